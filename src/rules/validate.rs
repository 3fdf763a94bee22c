//! Stage two of reading a rules file: every key known, every value of the right type and
//! range, every requirement traceable to the guide, and every problem reported at once.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use toml::de::{DeTable, DeValue};

use super::input::{
    Problems, Value, array, choices, date, entries, has, level, one_or_more, string, strings,
    table, text,
};
use super::{
    FieldRule, GuideLine, LifecycleRule, LifecycleStatus, ManualRule, Provenance, Rules,
    TimeoffCapability, TimeoffNeed, TimeoffRule, is_field_id,
};
use crate::policy::{Severity, Suppression};
use crate::report::{Code, Level};

/// At most this many fields in one people search (HiBob's limit is 400; the audit adds a few).
pub const MAX_FIELDS: usize = 390;

/// The keys of a requirement that say where it comes from.
const PROVENANCE_KEYS: [&str; 2] = ["guide_text", "inferred"];

/// Every `guide_text` seen, with its span, to check against the `[[guide]]` lines.
#[derive(Default)]
struct Quotes {
    list: Vec<(String, Range<usize>)>,
}

/// Reads `guide_text` or `inferred` into `source`; false for any other key.
fn provenance(
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
fn one_source(source: &Provenance, span: Range<usize>, what: &str, p: &mut Problems) {
    if !source.guide_text.is_empty() && source.inferred.is_some() {
        p.add(
            span,
            format!(
                "{what} has both `guide_text` and `inferred`: a requirement either quotes the guide or says why it is needed although the guide does not ask"
            ),
        );
    }
}

fn with_provenance<'a>(keys: &[&'a str]) -> Vec<&'a str> {
    let mut all = keys.to_vec();
    all.extend(PROVENANCE_KEYS);
    all
}

pub(super) fn validate(doc: &DeTable, p: &mut Problems) -> Rules {
    let mut integration = None;
    let mut guide_lines: Vec<(GuideLine, Range<usize>)> = Vec::new();
    let mut fields = Vec::new();
    let mut lifecycle = None;
    let mut timeoff = None;
    let mut manual: Vec<(ManualRule, Range<usize>)> = Vec::new();
    let mut field_tables: Vec<Range<usize>> = Vec::new();
    let mut levels = BTreeMap::new();
    let mut suppressions = Vec::new();
    let mut quotes = Quotes::default();
    for (key, v) in entries(
        doc,
        &[
            "integration",
            "guide",
            "fields",
            "lifecycle",
            "timeoff",
            "manual",
            "levels",
            "suppress",
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
    check_guide(&guide_lines, &quotes, p);
    let meta = integration.unwrap_or_else(|| {
        p.add(
            0..0,
            "the rules file needs an [integration] table with a `name`",
        );
        Integration::default()
    });
    if fields.is_empty() && lifecycle.is_none() && timeoff.is_none() && manual.is_empty() {
        p.add(
            0..0,
            "the rules require nothing: add [[fields]], [lifecycle], [timeoff] or [[manual]]",
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
        lifecycle,
        timeoff,
        manual: manual.into_iter().map(|(m, _)| m).collect(),
        levels,
        suppressions,
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

fn code(v: &Value, text: &str, p: &mut Problems) -> Option<Code> {
    let c = Code::parse(text);
    if c.is_none() {
        p.add(
            v.span(),
            format!(
                "unknown finding code `{text}`, expected one of: {}",
                Code::names().join(", ")
            ),
        );
    }
    c
}

/// `[levels]`: `code = "error" | "warning" | "info" | "allow"`.
fn validate_levels(t: &DeTable, p: &mut Problems) -> BTreeMap<Code, Severity> {
    let mut out = BTreeMap::new();
    for (k, v) in t.iter() {
        let key: &str = k.get_ref();
        let Some(c) = Code::parse(key) else {
            p.add(
                k.span(),
                format!(
                    "unknown finding code `{key}` in [levels], expected one of: {}",
                    Code::names().join(", ")
                ),
            );
            continue;
        };
        let Some(text) = string(v, key, p) else {
            continue;
        };
        match Severity::parse(&text) {
            Some(s) => {
                out.insert(c, s);
            }
            None => p.add(
                v.span(),
                format!("unknown level `{text}` for `{key}`, expected one of: error, warning, info, allow"),
            ),
        }
    }
    out
}

/// `[[suppress]]`: a code, optional matchers, and a reason (required).
fn validate_suppression(t: &DeTable, span: Range<usize>, p: &mut Problems) -> Option<Suppression> {
    let mut s = Suppression {
        code: Code::CategoryNotReadable,
        category: None,
        field: None,
        lifecycle_status: None,
        endpoint: None,
        reason: String::new(),
        line: p.line(span.start),
    };
    let (mut has_code, mut ok) = (false, true);
    for (key, v) in entries(
        t,
        &[
            "code",
            "category",
            "field",
            "lifecycle_status",
            "endpoint",
            "reason",
        ],
        "[[suppress]]",
        p,
    ) {
        let Some(text) = string(v, key, p) else {
            ok = false;
            continue;
        };
        match key {
            "code" => match code(v, &text, p) {
                Some(c) => {
                    s.code = c;
                    has_code = true;
                }
                None => ok = false,
            },
            "category" => s.category = Some(text),
            "field" => s.field = Some(text),
            "lifecycle_status" => s.lifecycle_status = Some(text),
            "endpoint" => s.endpoint = Some(text),
            _ => {
                if text.is_empty() {
                    p.add(v.span(), "a suppression's `reason` must not be empty");
                    ok = false;
                }
                s.reason = text;
            }
        }
    }
    if !has_code && ok {
        p.add(span.clone(), "[[suppress]] needs a `code`");
        ok = false;
    }
    if !has(t, "reason") {
        p.add(
            span,
            "[[suppress]] needs a `reason`: say why the gap is accepted",
        );
        ok = false;
    }
    ok.then_some(s)
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

/// A `[[fields]]` entry, with the span of its `id` value.
fn validate_field(
    t: &DeTable,
    span: Range<usize>,
    quotes: &mut Quotes,
    p: &mut Problems,
) -> Option<(FieldRule, Range<usize>)> {
    let (mut id, mut purpose, mut guide_categories, mut lvl) =
        (None, None, Vec::new(), Level::Error);
    let mut source = Provenance::default();
    let mut id_span = span.clone();
    for (key, v) in entries(
        t,
        &with_provenance(&["id", "purpose", "guide_categories", "level"]),
        "[[fields]]",
        p,
    ) {
        if provenance(key, v, &mut source, quotes, p) {
            continue;
        }
        match key {
            "id" => {
                let Some(text) = string(v, key, p) else {
                    continue;
                };
                if text.is_empty() {
                    p.add(v.span(), "field id must not be empty");
                } else if !is_field_id(&text) {
                    p.add(
                        v.span(),
                        format!("`{text}` is not a HiBob field ID: expected dotted IDs such as `root.email` or `work.employeeIdInCompany`"),
                    );
                } else if text == "root.id" {
                    p.add(v.span(), "`root.id` is always requested; do not list it");
                }
                id_span = v.span();
                id = Some(text);
            }
            "purpose" => {
                let text = string(v, key, p);
                if text.as_deref() == Some("") {
                    p.add(
                        v.span(),
                        "purpose must not be empty: say what the vendor calls the field",
                    );
                }
                purpose = text;
            }
            "guide_categories" => {
                guide_categories = strings(v, key, p).into_iter().map(|(s, _)| s).collect()
            }
            _ => lvl = level(v, p).unwrap_or(Level::Error),
        }
    }
    if !has(t, "id") {
        p.add(span.clone(), "[[fields]] needs an `id`");
    }
    if !has(t, "purpose") {
        p.add(
            span.clone(),
            "[[fields]] needs a `purpose`: what the vendor calls the field",
        );
    }
    one_source(&source, span, "this field", p);
    Some((
        FieldRule {
            id: id?,
            purpose: purpose.unwrap_or_default(),
            guide_categories,
            level: lvl,
            source,
        },
        id_span,
    ))
}

fn validate_lifecycle(
    t: &DeTable,
    span: Range<usize>,
    quotes: &mut Quotes,
    p: &mut Problems,
) -> LifecycleRule {
    let mut statuses = Vec::new();
    let mut lvl = Level::Warning;
    let mut source = Provenance::default();
    for (key, v) in entries(
        t,
        &with_provenance(&["statuses", "level"]),
        "[lifecycle]",
        p,
    ) {
        if provenance(key, v, &mut source, quotes, p) {
            continue;
        }
        if key == "level" {
            lvl = level(v, p).unwrap_or(Level::Warning);
            continue;
        }
        statuses = choices(
            v,
            key,
            "lifecycle status",
            LifecycleStatus::parse,
            &LifecycleStatus::ALL.map(|s| s.label()),
            p,
        );
    }
    if !has(t, "statuses") {
        p.add(span.clone(), "[lifecycle] needs `statuses`");
    }
    one_source(&source, span, "[lifecycle]", p);
    LifecycleRule {
        statuses,
        level: lvl,
        source,
    }
}

/// One entry of `[timeoff] require`: a capability's name, or a table with `capability` and
/// where it comes from.
fn validate_need(
    item: &Value,
    quotes: &mut Quotes,
    p: &mut Problems,
) -> Option<(TimeoffCapability, Provenance, Range<usize>)> {
    let known = TimeoffCapability::ALL.map(|c| c.as_str());
    let parse = |text: &str, span: Range<usize>, p: &mut Problems| {
        let c = TimeoffCapability::parse(text);
        if c.is_none() {
            p.add(
                span,
                format!(
                    "unknown time-off capability `{text}`, expected one of: {}",
                    known.join(", ")
                ),
            );
        }
        c
    };
    match item.get_ref() {
        DeValue::String(_) => {
            let text = text(item, "require", "name a time-off capability", p)?;
            parse(&text, item.span(), p).map(|c| (c, Provenance::default(), item.span()))
        }
        DeValue::Table(t) => {
            let mut cap = None;
            let mut source = Provenance::default();
            for (key, v) in entries(
                t,
                &with_provenance(&["capability"]),
                "an entry of [timeoff] require",
                p,
            ) {
                if !provenance(key, v, &mut source, quotes, p) {
                    cap = string(v, key, p).and_then(|text| parse(&text, v.span(), p));
                }
            }
            if !has(t, "capability") {
                p.add(
                    item.span(),
                    "an entry of [timeoff] require needs a `capability`",
                );
            }
            one_source(&source, item.span(), "this time-off capability", p);
            cap.map(|c| (c, source, item.span()))
        }
        _ => {
            p.add(
                item.span(),
                "an entry of `require` must be a capability's name or a table with `capability`",
            );
            None
        }
    }
}

fn validate_timeoff(
    t: &DeTable,
    span: Range<usize>,
    quotes: &mut Quotes,
    p: &mut Problems,
) -> TimeoffRule {
    let mut require: Vec<TimeoffNeed> = Vec::new();
    let mut policy_types = Vec::new();
    let mut lvl = Level::Error;
    // Where every capability without its own comes from.
    let mut shared = Provenance::default();
    for (key, v) in entries(
        t,
        &with_provenance(&["require", "policy_types", "level"]),
        "[timeoff]",
        p,
    ) {
        if provenance(key, v, &mut shared, quotes, p) {
            continue;
        }
        match key {
            "require" => {
                let items = array(v, key, p);
                if items.is_empty() && matches!(v.get_ref(), DeValue::Array(_)) {
                    p.add(
                        v.span(),
                        "`require` must list at least one time-off capability",
                    );
                }
                for item in items {
                    let Some((capability, source, s)) = validate_need(item, quotes, p) else {
                        continue;
                    };
                    if require.iter().any(|n| n.capability == capability) {
                        p.add(
                            s,
                            format!(
                                "time-off capability `{}` is listed twice",
                                capability.as_str()
                            ),
                        );
                        continue;
                    }
                    require.push(TimeoffNeed { capability, source });
                }
            }
            "policy_types" => {
                policy_types = strings(v, key, p).into_iter().map(|(s, _)| s).collect()
            }
            _ => lvl = level(v, p).unwrap_or(Level::Error),
        }
    }
    if !has(t, "require") {
        p.add(span.clone(), "[timeoff] needs `require`");
    }
    one_source(&shared, span, "[timeoff]", p);
    for need in &mut require {
        if need.source == Provenance::default() {
            need.source = shared.clone();
        }
    }
    TimeoffRule {
        require,
        policy_types,
        level: lvl,
    }
}

/// A slug of a permission's words, for a `[[manual]]` entry without an `id`.
fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
        if out.len() >= 48 {
            break;
        }
    }
    out.trim_end_matches('-').to_string()
}

fn validate_manual(
    t: &DeTable,
    span: Range<usize>,
    quotes: &mut Quotes,
    p: &mut Problems,
) -> Option<ManualRule> {
    let (mut id, mut category, mut permission, mut reason) = (None, None, None, None);
    let mut source = Provenance::default();
    for (key, v) in entries(
        t,
        &with_provenance(&["id", "category", "permission", "reason"]),
        "[[manual]]",
        p,
    ) {
        if provenance(key, v, &mut source, quotes, p) {
            continue;
        }
        match key {
            "id" => {
                id = text(v, key, "a short stable name", p);
                if let Some(i) = &id
                    && !i
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
                {
                    p.add(
                        v.span(),
                        format!("[[manual]] id `{i}` may hold only letters, digits, `-` and `_`"),
                    );
                }
            }
            "category" => category = string(v, key, p).filter(|s| !s.is_empty()),
            "permission" => permission = text(v, key, "name the setting in HiBob's words", p),
            _ => reason = text(v, key, "say why a read-only audit cannot prove it", p),
        }
    }
    if !has(t, "permission") {
        p.add(
            span.clone(),
            "[[manual]] needs a `permission`: the setting in HiBob's words",
        );
    }
    if !has(t, "reason") {
        p.add(
            span.clone(),
            "[[manual]] needs a `reason`: why a read-only audit cannot prove it",
        );
    }
    one_source(&source, span, "this [[manual]] entry", p);
    let permission = permission?;
    Some(ManualRule {
        id: id.unwrap_or_else(|| slug(&permission)),
        category,
        permission,
        reason: reason?,
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::slug;

    #[test]
    fn slugs_are_short_and_plain() {
        assert_eq!(
            slug("Settings > Permission groups > Group members: Add Specific Employees"),
            "settings-permission-groups-group-members-add-spe"
        );
        assert_eq!(slug("Features > People"), "features-people");
    }
}
