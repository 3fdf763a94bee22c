//! The requirements of a rules file: fields, categories, lifecycle, time off, histories,
//! docs and manual checks, each with where it comes from.

use std::collections::BTreeMap;
use std::ops::Range;

use toml::de::{DeTable, DeValue};

use super::super::input::{Problems, Value, array, entries, has, level, string, strings, text};
use super::super::{
    CategoryRule, DocsFolder, DocsRule, FieldRule, HistoryRule, HistoryTable, LifecycleRule,
    LifecycleStatus, ManualRule, Provenance, TimeoffCapability, TimeoffNeed, TimeoffRule,
    is_field_id,
};
use super::{Quotes, one_source, provenance, with_provenance};
use crate::report::Level;

/// A `[[fields]]` entry, with the span of its `id` value.
pub(super) fn validate_field(
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

/// One entry of `[lifecycle] statuses`: a status's name, or a table with `status` and its
/// own `level` (an optional status is `info`).
fn status_entry(item: &Value, p: &mut Problems) -> Option<(LifecycleStatus, Option<Level>)> {
    let known = LifecycleStatus::ALL.map(|s| s.label());
    let parse = |text: &str, span: Range<usize>, p: &mut Problems| {
        let s = LifecycleStatus::parse(text);
        if s.is_none() {
            p.add(
                span,
                format!(
                    "unknown lifecycle status `{text}`, expected one of: {}",
                    known.join(", ")
                ),
            );
        }
        s
    };
    match item.get_ref() {
        DeValue::String(_) => {
            let t = text(item, "statuses", "name a lifecycle status", p)?;
            parse(&t, item.span(), p).map(|s| (s, None))
        }
        DeValue::Table(t) => {
            let (mut status, mut lvl) = (None, None);
            for (key, v) in entries(
                t,
                &["status", "level"],
                "an entry of [lifecycle] statuses",
                p,
            ) {
                if key == "level" {
                    lvl = level(v, p);
                } else {
                    status = string(v, key, p).and_then(|t| parse(&t, v.span(), p));
                }
            }
            if !has(t, "status") {
                p.add(
                    item.span(),
                    "an entry of [lifecycle] statuses needs a `status`",
                );
            }
            status.map(|s| (s, lvl))
        }
        _ => {
            p.add(
                item.span(),
                "an entry of `statuses` must be a status's name or a table with `status`",
            );
            None
        }
    }
}

pub(super) fn validate_lifecycle(
    t: &DeTable,
    span: Range<usize>,
    quotes: &mut Quotes,
    p: &mut Problems,
) -> LifecycleRule {
    let mut statuses = Vec::new();
    let mut levels = BTreeMap::new();
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
        let items = array(v, key, p);
        if items.is_empty() && matches!(v.get_ref(), DeValue::Array(_)) {
            p.add(
                v.span(),
                "`statuses` must list at least one lifecycle status",
            );
        }
        for item in items {
            let Some((status, own)) = status_entry(item, p) else {
                continue;
            };
            if statuses.contains(&status) {
                p.add(
                    item.span(),
                    format!("lifecycle status `{}` is listed twice", status.label()),
                );
                continue;
            }
            statuses.push(status);
            if let Some(l) = own {
                levels.insert(status, l);
            }
        }
    }
    if !has(t, "statuses") {
        p.add(span.clone(), "[lifecycle] needs `statuses`");
    }
    one_source(&source, span, "[lifecycle]", p);
    LifecycleRule {
        statuses,
        level: lvl,
        levels,
        source,
    }
}

/// `[[categories]]`: a whole category by name, with its level and provenance.
pub(super) fn validate_categories(
    t: &DeTable,
    span: Range<usize>,
    quotes: &mut Quotes,
    p: &mut Problems,
) -> Option<CategoryRule> {
    let (mut name, mut lvl) = (None, Level::Error);
    let mut source = Provenance::default();
    for (key, v) in entries(t, &with_provenance(&["name", "level"]), "[[categories]]", p) {
        if provenance(key, v, &mut source, quotes, p) {
            continue;
        }
        match key {
            "name" => {
                name = text(
                    v,
                    key,
                    "the category's name as HiBob shows it (\"Payroll\") or its ID",
                    p,
                )
            }
            _ => lvl = level(v, p).unwrap_or(Level::Error),
        }
    }
    if !has(t, "name") {
        p.add(span.clone(), "[[categories]] needs a `name`");
    }
    one_source(&source, span, "this category", p);
    Some(CategoryRule {
        name: name?,
        level: lvl,
        source,
    })
}

/// `[[histories]]`: one employee table's section histories.
pub(super) fn validate_histories(
    t: &DeTable,
    span: Range<usize>,
    quotes: &mut Quotes,
    p: &mut Problems,
) -> Option<HistoryRule> {
    let (mut table, mut lvl) = (None, Level::Error);
    let mut source = Provenance::default();
    for (key, v) in entries(
        t,
        &with_provenance(&["category", "level"]),
        "[[histories]]",
        p,
    ) {
        if provenance(key, v, &mut source, quotes, p) {
            continue;
        }
        match key {
            "category" => {
                let Some(name) = text(v, key, "name the category", p) else {
                    continue;
                };
                table = HistoryTable::parse(&name);
                if table.is_none() {
                    p.add(
                        v.span(),
                        format!(
                            "HiBob has no read-only endpoint for `{name}` section histories; the ones that can be probed are {}. Make it a [[manual]] entry instead",
                            HistoryTable::ALL.map(|t| t.category()).join(", ")
                        ),
                    );
                }
            }
            _ => lvl = level(v, p).unwrap_or(Level::Error),
        }
    }
    if !has(t, "category") {
        p.add(span.clone(), "[[histories]] needs a `category`");
    }
    one_source(&source, span, "this history", p);
    Some(HistoryRule {
        table: table?,
        level: lvl,
        source,
    })
}

/// One entry of `[docs] folders`: a folder's name, or a table with `folder` and provenance.
fn folder_entry(item: &Value, quotes: &mut Quotes, p: &mut Problems) -> Option<DocsFolder> {
    match item.get_ref() {
        DeValue::String(_) => {
            text(item, "folders", "name a docs folder", p).map(|folder| DocsFolder {
                folder,
                source: Provenance::default(),
            })
        }
        DeValue::Table(t) => {
            let mut folder = None;
            let mut source = Provenance::default();
            for (key, v) in entries(
                t,
                &with_provenance(&["folder"]),
                "an entry of [docs] folders",
                p,
            ) {
                if !provenance(key, v, &mut source, quotes, p) {
                    folder = text(v, key, "name a docs folder", p);
                }
            }
            if !has(t, "folder") {
                p.add(item.span(), "an entry of [docs] folders needs a `folder`");
            }
            one_source(&source, item.span(), "this folder", p);
            folder.map(|folder| DocsFolder { folder, source })
        }
        _ => {
            p.add(
                item.span(),
                "an entry of `folders` must be a folder's name or a table with `folder`",
            );
            None
        }
    }
}

/// `[docs]`: the docs folders whose documents the integration reads.
pub(super) fn validate_docs(
    t: &DeTable,
    span: Range<usize>,
    quotes: &mut Quotes,
    p: &mut Problems,
) -> DocsRule {
    let mut folders: Vec<DocsFolder> = Vec::new();
    let mut lvl = Level::Error;
    let mut shared = Provenance::default();
    for (key, v) in entries(t, &with_provenance(&["folders", "level"]), "[docs]", p) {
        if provenance(key, v, &mut shared, quotes, p) {
            continue;
        }
        if key == "level" {
            lvl = level(v, p).unwrap_or(Level::Error);
            continue;
        }
        let items = array(v, key, p);
        if items.is_empty() && matches!(v.get_ref(), DeValue::Array(_)) {
            p.add(v.span(), "`folders` must list at least one docs folder");
        }
        for item in items {
            let Some(f) = folder_entry(item, quotes, p) else {
                continue;
            };
            if folders
                .iter()
                .any(|x| x.folder.eq_ignore_ascii_case(&f.folder))
            {
                p.add(
                    item.span(),
                    format!("docs folder `{}` is listed twice", f.folder),
                );
                continue;
            }
            folders.push(f);
        }
    }
    if !has(t, "folders") {
        p.add(span.clone(), "[docs] needs `folders`: the folders whose documents the integration reads (\"Shared\", \"Confidential\", or a custom folder's name)");
    }
    one_source(&shared, span, "[docs]", p);
    for f in &mut folders {
        if f.source == Provenance::default() {
            f.source = shared.clone();
        }
    }
    DocsRule {
        folders,
        level: lvl,
    }
}

/// One entry of `[timeoff] require`: a capability's name, or a table with `capability` and
/// where it comes from.
pub(super) fn validate_need(
    item: &Value,
    quotes: &mut Quotes,
    p: &mut Problems,
) -> Option<(TimeoffCapability, Option<Level>, Provenance, Range<usize>)> {
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
            parse(&text, item.span(), p).map(|c| (c, None, Provenance::default(), item.span()))
        }
        DeValue::Table(t) => {
            let (mut cap, mut lvl) = (None, None);
            let mut source = Provenance::default();
            for (key, v) in entries(
                t,
                &with_provenance(&["capability", "level"]),
                "an entry of [timeoff] require",
                p,
            ) {
                if provenance(key, v, &mut source, quotes, p) {
                    continue;
                }
                if key == "level" {
                    lvl = level(v, p);
                } else {
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
            cap.map(|c| (c, lvl, source, item.span()))
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

pub(super) fn validate_timeoff(
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
                    let Some((capability, own, source, s)) = validate_need(item, quotes, p) else {
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
                    require.push(TimeoffNeed {
                        capability,
                        level: own,
                        source,
                    });
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
pub(super) fn slug(text: &str) -> String {
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

pub(super) fn validate_manual(
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
