//! People's data categories: is each required field readable, and under which category?

use std::collections::BTreeMap;

use super::{Sink, employees, unknown_reason};
use crate::observations::{CallOutcome, FieldCounts, FieldMeta, Observations, PeopleCounts};
use crate::permissions;
use crate::report::{Check, CheckStatus, Code, FieldEvidence, Finding, Level};
use crate::rules::{FieldRule, Rules};

/// How one field came back across the visible employees.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Seen {
    /// Absent for every employee: the category is not readable.
    NotReadable,
    /// Present for some, absent for others.
    Partly,
    /// Present for all, but null or empty for all: no data, not a permission problem.
    Empty,
    Readable,
}

pub(super) fn seen(c: &FieldCounts) -> Seen {
    if c.present == 0 {
        Seen::NotReadable
    } else if c.absent > 0 {
        Seen::Partly
    } else if c.empty == c.present {
        Seen::Empty
    } else {
        Seen::Readable
    }
}

fn label(rule: &FieldRule) -> String {
    format!("{} ({})", rule.purpose, rule.id)
}

pub(super) fn evidence_of(field: &str, c: &FieldCounts) -> FieldEvidence {
    FieldEvidence {
        field: field.to_string(),
        employees: c.present + c.absent,
        present: c.present,
        absent: c.absent,
        empty: c.empty,
    }
}

fn evidence(rule: &FieldRule, c: &FieldCounts) -> FieldEvidence {
    evidence_of(&rule.id, c)
}

pub(super) fn counts_text(c: &FieldCounts) -> String {
    let n = c.present + c.absent;
    match seen(c) {
        Seen::NotReadable => format!("absent for all {}", employees(n)),
        Seen::Partly => format!(
            "present for {} of {}, absent for {}",
            c.present,
            employees(n),
            c.absent
        ),
        Seen::Empty => format!("present but empty for all {}", employees(n)),
        Seen::Readable if c.empty > 0 => format!(
            "present for {} of {} ({} empty)",
            c.present,
            employees(n),
            c.empty
        ),
        Seen::Readable => format!("present for {} of {}", c.present, employees(n)),
    }
}

/// A field's check, with where its requirement comes from and the permission that reads it.
fn field_check(rule: &FieldRule, status: CheckStatus, category: Option<&str>) -> Check {
    let mut c = Check::new(format!("field:{}", rule.id), status, label(rule)).sourced(&rule.source);
    c.category = category.map(str::to_string);
    c.permission = category.map(permissions::category_view);
    c
}

/// A field (or a whole category) that came back unreadable or partly readable, grouped per
/// category for one finding.
pub(super) struct Gap<'a> {
    pub rule: &'a FieldRule,
    /// How the message names it.
    pub label: String,
    /// The field IDs it stands for.
    pub fields: Vec<String>,
    pub counts: FieldCounts,
    pub evidence: Vec<FieldEvidence>,
}

/// Checks whose status follows their category's finding: (check index, category, code).
pub(super) type GapChecks = Vec<(usize, String, Code)>;

/// Gaps per code and category: one finding each.
pub(super) type Gaps<'a> = BTreeMap<(Code, String), Vec<Gap<'a>>>;

pub(super) fn evaluate(
    rules: &Rules,
    obs: &Observations,
    people: Option<&PeopleCounts>,
    sink: &mut Sink,
) {
    let catalog = match &obs.metadata.outcome {
        CallOutcome::Answered(c) => Some(c),
        _ => None,
    };
    // Unreadable and partly readable fields, per code and category: one finding each.
    let synthesized = super::categories::synthesized(rules);
    let mut gaps: Gaps = BTreeMap::new();
    // Checks whose status follows their category's finding: (check index, category, code).
    let mut gap_checks: GapChecks = Vec::new();

    for rule in &rules.fields {
        let Some(catalog) = catalog else {
            let mut c = field_check(rule, CheckStatus::Unknown, None);
            c.evidence = "not probed".into();
            c.reason = unknown_reason(obs).into();
            sink.check(c);
            continue;
        };
        let Some(meta) = catalog.get(&rule.id) else {
            let mut f = Finding::new(
                Code::FieldUnknown,
                Level::Error,
                format!(
                    "{} is not in this tenant's field metadata, so no permission can make it readable.",
                    label(rule)
                ),
            );
            f.fix = Some("Check the field ID in the rules: IDs are case-sensitive, and custom fields have IDs like `category_1720508362305.field_1720508362306` (GET /company/people/fields lists them). If the field was deleted in HiBob, the integration cannot read it.".into());
            f.fields = vec![rule.id.clone()];
            let fix = f.fix.clone();
            let effect = sink.finding(f);
            let mut c = field_check(rule, effect.status(), None);
            c.evidence = "not in metadata".into();
            c.reason = effect.annotate("the tenant has no such field".into());
            c.fix = effect.fix(fix);
            c.findings = vec![Code::FieldUnknown];
            sink.check(c);
            continue;
        };
        let mut codes = Vec::new();
        // Info by default; raised by `[levels]` or a flag, it marks the check like any gap.
        let elsewhere = other_category(rule, meta).map(|f| {
            codes.push(f.code);
            let fix = f.fix.clone();
            (sink.finding(f), fix)
        });
        let category = Some(meta.category_name.as_str());
        let Some(counts) = people.and_then(|p| p.fields.get(&rule.id)) else {
            let mut c = field_check(rule, CheckStatus::Unknown, category);
            c.evidence = "not probed".into();
            c.reason = unknown_reason(obs).into();
            c.findings = codes;
            sink.check(c);
            continue;
        };
        let mut fix = None;
        let (status, reason) = match seen(counts) {
            gap @ (Seen::NotReadable | Seen::Partly) => {
                let (code, what) = if gap == Seen::NotReadable {
                    (Code::CategoryNotReadable, "is not readable")
                } else {
                    (
                        Code::CategoryPartlyReadable,
                        "is readable for only some employees",
                    )
                };
                codes.push(code);
                gaps.entry((code, meta.category_name.clone()))
                    .or_default()
                    .push(Gap {
                        rule,
                        label: label(rule),
                        fields: vec![rule.id.clone()],
                        counts: *counts,
                        evidence: vec![evidence(rule, counts)],
                    });
                // The status follows the category's finding: settled below, once it is made.
                (CheckStatus::Fail, format!("{} {what}", meta.category_name))
            }
            Seen::Empty => {
                codes.push(Code::FieldEmpty);
                let finding = field_empty(rule, meta, counts);
                fix = finding.fix.clone();
                let effect = sink.finding(finding);
                fix = effect.fix(fix);
                (
                    effect.status(),
                    effect.annotate(
                        "readable, but no employee has a value: no data, not a missing permission"
                            .to_string(),
                    ),
                )
            }
            Seen::Readable => (CheckStatus::Pass, "readable".to_string()),
        };
        let gap = match seen(counts) {
            Seen::NotReadable => Some(Code::CategoryNotReadable),
            Seen::Partly => Some(Code::CategoryPartlyReadable),
            _ => None,
        };
        let (status, reason, fix) = match elsewhere {
            Some((effect, other_fix))
                if status == CheckStatus::Pass && effect.status() != CheckStatus::Pass =>
            {
                (
                    effect.status(),
                    format!(
                        "{reason}, but in {}, not where the guide puts it",
                        meta.category_name
                    ),
                    effect.fix(other_fix),
                )
            }
            _ => (status, reason, fix),
        };
        let mut c = field_check(rule, status, category);
        c.evidence = counts_text(counts);
        c.reason = reason;
        c.fix = fix;
        c.findings = codes;
        let index = sink.check(c);
        if let Some(code) = gap {
            gap_checks.push((index, meta.category_name.clone(), code));
        }
    }

    if let Some(catalog) = catalog {
        super::categories::evaluate(
            &synthesized,
            catalog,
            people,
            obs,
            sink,
            &mut gaps,
            &mut gap_checks,
        );
    } else {
        super::categories::not_probed(&synthesized, obs, sink);
    }

    // One finding per code and category; each check follows what became of it.
    for ((code, category), list) in gaps {
        let readable = readable_siblings(rules, catalog, people, &category);
        let finding = category_finding(code, &category, &list, &readable);
        let fix = finding.fix.clone();
        let effect = sink.finding(finding);
        for (index, _, _) in gap_checks
            .iter()
            .filter(|(_, c, k)| *c == category && *k == code)
        {
            if code == Code::CategoryNotReadable && !readable.is_empty() {
                // The category is ticked: a sibling came back. Say so, as the finding does.
                sink.reword(
                    *index,
                    format!(
                        "hidden although {category} is readable ({} came back): field-level permissions or a sensitive field",
                        readable.join(", ")
                    ),
                );
            }
            sink.settle(*index, &effect, fix.clone());
        }
    }
}

/// Other requested fields of a category that came back for somebody: proof that the category
/// itself is ticked. `root.id` does not count: HiBob returns it without any permission.
fn readable_siblings(
    rules: &Rules,
    catalog: Option<&crate::observations::FieldCatalog>,
    people: Option<&PeopleCounts>,
    category: &str,
) -> Vec<String> {
    let (Some(catalog), Some(people)) = (catalog, people) else {
        return Vec::new();
    };
    people
        .fields
        .iter()
        .filter(|(id, c)| {
            id.as_str() != crate::observations::field_ids::ID
                && c.present > 0
                && catalog.get(id).is_some_and(|m| m.category_name == category)
        })
        .map(|(id, _)| {
            rules
                .fields
                .iter()
                .find(|f| &f.id == id)
                .map_or_else(|| id.clone(), label)
        })
        .collect()
}

/// Where the guide sends the admin for these fields, when it names another category.
fn guide_elsewhere(category: &str, gaps: &[Gap]) -> String {
    gaps.iter()
        .filter(|g| {
            !g.rule.guide_categories.is_empty()
                && !g
                    .rule
                    .guide_categories
                    .iter()
                    .any(|c| c.eq_ignore_ascii_case(category))
        })
        .map(|g| {
            format!(
                " For {}, your guide says {}; in this tenant it is in {category}.",
                g.rule.purpose,
                g.rule.source.quote().map_or_else(
                    || g.rule.guide_categories.join(" or "),
                    |q| format!("\"{q}\"")
                )
            )
        })
        .collect()
}

fn category_finding(code: Code, category: &str, gaps: &[Gap], readable: &[String]) -> Finding {
    let level = gaps
        .iter()
        .map(|g| g.rule.level)
        .max()
        .unwrap_or(Level::Error);
    let names: Vec<String> = gaps.iter().map(|g| g.label.clone()).collect();
    let n = gaps
        .first()
        .map_or(0, |g| g.counts.present + g.counts.absent);
    let message = match code {
        Code::CategoryNotReadable if !readable.is_empty() => format!(
            "{} {} absent for all {}, although {} of the same category {} readable: {category} is ticked, so field-level permissions or a sensitive field hide {}.",
            names.join(", "),
            if names.len() == 1 { "is" } else { "are" },
            employees(n),
            readable.join(", "),
            if readable.len() == 1 { "is" } else { "are" },
            if names.len() == 1 { "it" } else { "them" },
        ),
        Code::CategoryNotReadable => format!(
            "The permission group cannot read the {category} category: {} {} absent for all {}.",
            names.join(", "),
            if names.len() == 1 { "is" } else { "are" },
            employees(n)
        ),
        _ => format!(
            "The {category} category is readable for only some employees: {}.",
            gaps.iter()
                .map(|g| format!(
                    "{} present for {} of {}, absent for {}",
                    g.label, g.counts.present, n, g.counts.absent
                ))
                .collect::<Vec<_>>()
                .join("; ")
        ),
    };
    let items: Vec<(&str, Option<&str>)> = gaps
        .iter()
        .map(|g| (g.rule.purpose.as_str(), g.rule.source.inferred.as_deref()))
        .collect();
    let message = format!("{message}{}", super::not_in_guide(&items));
    let mut f = Finding::new(code, level, message);
    let elsewhere = guide_elsewhere(category, gaps);
    f.fix = Some(match code {
        Code::CategoryNotReadable if !readable.is_empty() => format!(
            "In HiBob, open {} > {}: allow the group to view {}; if the tenant has no field-level permissions, the field is sensitive: also tick \"Edit selected employees' {category} sections\" (HiBob returns some sensitive fields only then).{elsewhere}",
            permissions::GROUP_PATH,
            permissions::FIELD_LEVEL,
            names.join(", ")
        ),
        Code::CategoryNotReadable => format!("{}{elsewhere}", permissions::category_fix(category)),
        _ => format!(
            "{} If it is ticked already, the permission covers fewer people than the group's condition under {}: widen it to the same people. Tenants with field-level permissions ({}) can also hide a field for some employees there.{elsewhere}",
            permissions::category_fix(category),
            permissions::ACCESS_RIGHTS,
            permissions::FIELD_LEVEL
        ),
    });
    f.category = Some(category.to_string());
    // A field the rules name and the same category as a whole: each field once.
    for g in gaps {
        for field in &g.fields {
            if !f.fields.contains(field) {
                f.fields.push(field.clone());
            }
        }
        for e in &g.evidence {
            if !f.evidence.fields.iter().any(|x| x.field == e.field) {
                f.evidence.fields.push(e.clone());
            }
        }
    }
    f.permission = Some(permissions::category_view(category));
    f.evidence.employees = Some(n);
    f
}

fn field_empty(rule: &FieldRule, meta: &FieldMeta, counts: &FieldCounts) -> Finding {
    let n = counts.present + counts.absent;
    let mut f = Finding::new(
        Code::FieldEmpty,
        Level::Warning,
        format!(
            "{} is readable, but empty for all {}: no data, not a missing permission.",
            label(rule),
            employees(n)
        ),
    );
    f.fix = Some(format!(
        "Nothing to tick. Open one employee's profile in HiBob: if the field is empty there too, fill it in (or map another field in the integration). If it has a value there, the field is restricted by field-level permissions or is a sensitive field that also needs Edit on {}.",
        meta.category_name
    ));
    f.category = Some(meta.category_name.clone());
    f.fields = vec![rule.id.clone()];
    f.evidence.employees = Some(n);
    f.evidence.fields = vec![evidence(rule, counts)];
    f
}

/// The guide names other categories than the tenant's metadata: an admin following it ticks the wrong box.
fn other_category(rule: &FieldRule, meta: &FieldMeta) -> Option<Finding> {
    if rule.guide_categories.is_empty()
        || rule.guide_categories.iter().any(|g| {
            g.eq_ignore_ascii_case(&meta.category_name) || g.eq_ignore_ascii_case(&meta.category_id)
        })
    {
        return None;
    }
    let guide = match rule.source.quote() {
        Some(q) => format!("\"{q}\" ({})", rule.guide_categories.join(" or ")),
        None => rule.guide_categories.join(" or "),
    };
    let mut f = Finding::new(
        Code::FieldInOtherCategory,
        Level::Info,
        format!(
            "{} is in the {} category in this tenant; your guide says {guide}.",
            label(rule),
            meta.category_name
        ),
    );
    f.fix = Some(format!(
        "Tick {}, whatever the guide says: {}.",
        meta.category_name,
        permissions::category_view(&meta.category_name)
    ));
    f.category = Some(meta.category_name.clone());
    f.fields = vec![rule.id.clone()];
    f.permission = Some(permissions::category_view(&meta.category_name));
    Some(f)
}
