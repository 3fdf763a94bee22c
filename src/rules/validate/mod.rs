//! Stage two of reading a rules file: every key known, every value of the right type and
//! range, every requirement traceable to the guide, and every problem reported at once.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use toml::de::DeTable;

mod policy;
mod requirements;

use super::input::{Problems, Value, array, date, entries, has, one_or_more, string, table, text};
use super::{
    AllowExtra, CategoryRule, ExtraTarget, GuideLine, HistoryRule, ManualRule, Provenance, Rules,
};
use policy::{validate_allow_extra, validate_levels, validate_suppression};
use requirements::{
    validate_categories, validate_docs, validate_field, validate_histories, validate_lifecycle,
    validate_manual, validate_timeoff,
};

/// At most this many fields in one people search (HiBob's limit is 400; the audit adds a few).
pub const MAX_FIELDS: usize = 390;

/// The keys of a requirement that say where it comes from.
const PROVENANCE_KEYS: [&str; 2] = ["guide_text", "inferred"];

/// Every `guide_text` seen, with its span, to check against the `[[guide]]` lines.
#[derive(Default)]
pub(super) struct Quotes {
    list: Vec<(String, Range<usize>)>,
}

/// Reads `guide_text` or `inferred` into `source`; false for any other key.
pub(super) fn provenance(
    key: &str,
    v: &Value,
    source: &mut Provenance,
    quotes: &mut Quotes,
    p: &mut Problems,
) -> bool {
    match key {
        "guide_text" => {
            for (t, span) in one_or_more(v, key, p) {
                source.guide_text.push(t.clone());
                quotes.list.push((t, span));
            }
        }
        "inferred" => {
            source.inferred = text(
                v,
                key,
                "say why the integration needs it although the guide does not ask for it",
                p,
            );
        }
        _ => return false,
    }
    true
}

/// A requirement is from the guide or inferred, not both.
pub(super) fn one_source(source: &Provenance, span: Range<usize>, what: &str, p: &mut Problems) {
    if !source.guide_text.is_empty() && source.inferred.is_some() {
        p.add(
            span,
            format!(
                "{what} has both `guide_text` and `inferred`: a requirement either quotes the guide or says why it is needed although the guide does not ask"
            ),
        );
    }
}

pub(super) fn with_provenance<'a>(keys: &[&'a str]) -> Vec<&'a str> {
    let mut all = keys.to_vec();
    all.extend(PROVENANCE_KEYS);
    all
}

pub(super) fn validate(doc: &DeTable, p: &mut Problems) -> Rules {
    let mut integration = None;
    let mut guide_lines: Vec<(GuideLine, Range<usize>)> = Vec::new();
    let mut fields = Vec::new();
    let mut categories: Vec<(CategoryRule, Range<usize>)> = Vec::new();
    let mut histories: Vec<(HistoryRule, Range<usize>)> = Vec::new();
    let mut docs = None;
    let mut lifecycle = None;
    let mut timeoff = None;
    let mut manual: Vec<(ManualRule, Range<usize>)> = Vec::new();
    let mut field_tables: Vec<Range<usize>> = Vec::new();
    let mut levels = BTreeMap::new();
    let mut suppressions = Vec::new();
    let mut allow_extra: Vec<(AllowExtra, Range<usize>)> = Vec::new();
    let mut quotes = Quotes::default();
    for (key, v) in entries(
        doc,
        &[
            "integration",
            "guide",
            "fields",
            "categories",
            "lifecycle",
            "timeoff",
            "histories",
            "docs",
            "manual",
            "levels",
            "suppress",
            "allow_extra",
        ],
        "the rules file",
        p,
    ) {
        match key {
            "integration" => {
                integration = table(v, key, p).map(|t| validate_integration(t, v.span(), p))
            }
            "guide" => {
                for item in array(v, key, p) {
                    if let Some(line) =
                        table(item, "guide", p).and_then(|t| validate_guide_line(t, item.span(), p))
                    {
                        guide_lines.push((line, item.span()));
                    }
                }
            }
            "fields" => {
                for item in array(v, key, p) {
                    if let Some((f, id_span)) = table(item, "fields", p)
                        .and_then(|t| validate_field(t, item.span(), &mut quotes, p))
                    {
                        field_tables.push(id_span);
                        fields.push(f);
                    }
                }
            }
            "categories" => {
                for item in array(v, key, p) {
                    if let Some(c) = table(item, "categories", p)
                        .and_then(|t| validate_categories(t, item.span(), &mut quotes, p))
                    {
                        categories.push((c, item.span()));
                    }
                }
            }
            "histories" => {
                for item in array(v, key, p) {
                    if let Some(h) = table(item, "histories", p)
                        .and_then(|t| validate_histories(t, item.span(), &mut quotes, p))
                    {
                        histories.push((h, item.span()));
                    }
                }
            }
            "docs" => docs = table(v, key, p).map(|t| validate_docs(t, v.span(), &mut quotes, p)),
            "lifecycle" => {
                lifecycle =
                    table(v, key, p).map(|t| validate_lifecycle(t, v.span(), &mut quotes, p))
            }
            "timeoff" => {
                timeoff = table(v, key, p).map(|t| validate_timeoff(t, v.span(), &mut quotes, p))
            }
            "manual" => {
                for item in array(v, key, p) {
                    if let Some(m) = table(item, "manual", p)
                        .and_then(|t| validate_manual(t, item.span(), &mut quotes, p))
                    {
                        manual.push((m, item.span()));
                    }
                }
            }
            "levels" => {
                if let Some(t) = table(v, key, p) {
                    levels = validate_levels(t, p);
                }
            }
            "allow_extra" => {
                for item in array(v, key, p) {
                    if let Some(a) = table(item, "allow_extra", p)
                        .and_then(|t| validate_allow_extra(t, item.span(), p))
                    {
                        allow_extra.push((a, item.span()));
                    }
                }
            }
            _ => {
                for item in array(v, key, p) {
                    if let Some(s) = table(item, "suppress", p)
                        .and_then(|t| validate_suppression(t, item.span(), p))
                    {
                        suppressions.push(s);
                    }
                }
            }
        }
    }

    let mut seen = BTreeSet::new();
    for (f, span) in fields.iter().zip(&field_tables) {
        if !f.id.is_empty() && !seen.insert(f.id.clone()) {
            p.add(span.clone(), format!("field `{}` is listed twice", f.id));
        }
    }
    if let Some(span) = field_tables.get(MAX_FIELDS) {
        p.add(
            span.clone(),
            format!("at most {MAX_FIELDS} fields fit in one HiBob people search"),
        );
    }
    let mut names = BTreeSet::new();
    for (c, span) in &categories {
        if !names.insert(c.name.to_lowercase()) {
            p.add(
                span.clone(),
                format!("category `{}` is listed twice", c.name),
            );
        }
    }
    let mut tables = BTreeSet::new();
    for (h, span) in &histories {
        if !tables.insert(h.table) {
            p.add(
                span.clone(),
                format!("the {} history is listed twice", h.table.category()),
            );
        }
    }
    let mut ids = BTreeSet::new();
    for (m, span) in &manual {
        if !ids.insert(m.id.clone()) {
            p.add(
                span.clone(),
                format!(
                    "[[manual]] id `{}` is used twice: give each entry its own `id`",
                    m.id
                ),
            );
        }
    }
    let mut extras = BTreeSet::new();
    for (a, span) in &allow_extra {
        let key = match &a.target {
            ExtraTarget::Category(c) => c.to_lowercase(),
            ExtraTarget::Timeoff(cap) => format!("timeoff:{}", cap.as_str()),
        };
        if !extras.insert(key) {
            p.add(
                span.clone(),
                format!("[[allow_extra]] names {} twice", a.describe()),
            );
        }
        let needed = match &a.target {
            ExtraTarget::Category(c) => categories
                .iter()
                .any(|(r, _)| r.name.eq_ignore_ascii_case(c)),
            ExtraTarget::Timeoff(cap) => timeoff
                .as_ref()
                .is_some_and(|t: &super::TimeoffRule| t.requires(*cap)),
        };
        if needed {
            p.add(
                span.clone(),
                format!(
                    "[[allow_extra]] names {}, which the rules require: it is needed, not extra",
                    a.describe()
                ),
            );
        }
    }
    check_guide(&guide_lines, &quotes, p);
    let meta = integration.unwrap_or_else(|| {
        p.add(
            0..0,
            "the rules file needs an [integration] table with a `name`",
        );
        Integration::default()
    });
    if fields.is_empty()
        && categories.is_empty()
        && lifecycle.is_none()
        && timeoff.is_none()
        && histories.is_empty()
        && docs.is_none()
        && manual.is_empty()
    {
        p.add(
            0..0,
            "the rules require nothing: add [[fields]], [[categories]], [lifecycle], [timeoff], [[histories]], [docs] or [[manual]]",
        );
    }
    Rules {
        title: meta
            .title
            .filter(|t: &String| !t.is_empty())
            .unwrap_or_else(|| meta.name.clone()),
        name: meta.name,
        guide: meta.guide,
        source: meta.source,
        read: meta.read,
        note: meta.note,
        guide_lines: guide_lines.into_iter().map(|(l, _)| l).collect(),
        fields,
        categories: categories.into_iter().map(|(c, _)| c).collect(),
        lifecycle,
        timeoff,
        histories: histories.into_iter().map(|(h, _)| h).collect(),
        docs,
        manual: manual.into_iter().map(|(m, _)| m).collect(),
        levels,
        suppressions,
        allow_extra: allow_extra.into_iter().map(|(a, _)| a).collect(),
    }
}

/// With `[[guide]]` lines, every `guide_text` quotes one of them, and every line is answered
/// by at least one requirement: a probe or a `[[manual]]` entry. No line is dropped silently.
fn check_guide(lines: &[(GuideLine, Range<usize>)], quotes: &Quotes, p: &mut Problems) {
    if lines.is_empty() {
        return;
    }
    let mut texts = BTreeSet::new();
    for (line, span) in lines {
        if !texts.insert(line.text.as_str()) {
            p.add(
                span.clone(),
                format!("guide line `{}` is listed twice", line.text),
            );
        }
    }
    for (quote, span) in &quotes.list {
        if !texts.contains(quote.as_str()) {
            p.add(
                span.clone(),
                format!("guide_text `{quote}` is not one of the [[guide]] lines: quote a line exactly, or add it as a [[guide]] line"),
            );
        }
    }
    let quoted: BTreeSet<&str> = quotes.list.iter().map(|(q, _)| q.as_str()).collect();
    for (line, span) in lines {
        if !quoted.contains(line.text.as_str()) {
            p.add(
                span.clone(),
                format!(
                    "guide line `{}` is answered by no requirement: add a rule that probes it, or a [[manual]] entry, with this guide_text",
                    line.text
                ),
            );
        }
    }
}

fn validate_guide_line(t: &DeTable, span: Range<usize>, p: &mut Problems) -> Option<GuideLine> {
    let (mut line, mut section) = (None, None);
    for (key, v) in entries(t, &["text", "section"], "[[guide]]", p) {
        match key {
            "text" => line = text(v, key, "quote the guide's line", p),
            _ => section = string(v, key, p).filter(|s| !s.is_empty()),
        }
    }
    if !has(t, "text") {
        p.add(span, "[[guide]] needs a `text`: the guide's line, verbatim");
    }
    Some(GuideLine {
        text: line?,
        section,
    })
}

#[derive(Default)]
struct Integration {
    name: String,
    title: Option<String>,
    guide: Option<String>,
    source: Option<String>,
    read: Option<String>,
    note: Option<String>,
}

fn validate_integration(t: &DeTable, span: Range<usize>, p: &mut Problems) -> Integration {
    let mut out = Integration::default();
    let mut named = false;
    for (key, v) in entries(
        t,
        &["name", "title", "guide", "source", "read", "note"],
        "[integration]",
        p,
    ) {
        match key {
            "name" => {
                named = true;
                let s = string(v, key, p);
                if s.as_deref() == Some("") {
                    p.add(v.span(), "integration.name must not be empty");
                }
                out.name = s.unwrap_or_default();
            }
            "title" => out.title = string(v, key, p),
            "guide" => out.guide = string(v, key, p),
            "source" => out.source = text(v, key, "the guide's URL or document", p),
            "read" => out.read = date(v, key, p),
            _ => out.note = string(v, key, p).filter(|s| !s.is_empty()),
        }
    }
    if !named {
        p.add(span, "[integration] needs a `name`");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::requirements::slug;

    #[test]
    fn slugs_are_short_and_plain() {
        assert_eq!(
            slug("Settings > Permission groups > Group members: Add Specific Employees"),
            "settings-permission-groups-group-members-add-spe"
        );
        assert_eq!(slug("Features > People"), "features-people");
    }
}
