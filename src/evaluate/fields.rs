//! People's data categories: is each required field readable, and under which category?

use std::collections::BTreeMap;

use super::{Sink, employees, unknown_reason};
use crate::observations::{CallOutcome, FieldCounts, FieldMeta, Observations, PeopleCounts};
use crate::permissions;
use crate::report::{Check, CheckStatus, Code, FieldEvidence, Finding, Level};
use crate::rules::{FieldRule, Rules};

/// How one field came back across the visible employees.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Seen {
    /// Absent for every employee: the category is not readable.
    NotReadable,
    /// Present for some, absent for others.
    Partly,
    /// Present for all, but null or empty for all: no data, not a permission problem.
    Empty,
    Readable,
}

fn seen(c: &FieldCounts) -> Seen {
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

fn evidence(rule: &FieldRule, c: &FieldCounts) -> FieldEvidence {
    FieldEvidence {
        field: rule.id.clone(),
        employees: c.present + c.absent,
        present: c.present,
        absent: c.absent,
        empty: c.empty,
    }
}

fn counts_text(c: &FieldCounts) -> String {
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

/// A field that came back unreadable or partly readable, grouped per category for one finding.
struct Gap<'a> {
    rule: &'a FieldRule,
    counts: FieldCounts,
}

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
    let mut gaps: BTreeMap<(Code, String), Vec<Gap>> = BTreeMap::new();
    // Checks whose status follows their category's finding: (check index, category, code).
    let mut gap_checks: Vec<(usize, String, Code)> = Vec::new();

    for rule in &rules.fields {
        let id = format!("field:{}", rule.id);
        let Some(catalog) = catalog else {
            sink.check(Check {
                id,
                status: CheckStatus::Unknown,
                category: None,
                what: label(rule),
                evidence: "not probed".into(),
                reason: unknown_reason(obs).into(),
                fix: None,
                findings: vec![],
            });
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
            sink.check(Check {
                id,
                status: effect.status(),
                category: None,
                what: label(rule),
                evidence: "not in metadata".into(),
                reason: effect.annotate("the tenant has no such field".into()),
                fix: effect.fix(fix),
                findings: vec![Code::FieldUnknown],
            });
            continue;
        };
        let mut codes = Vec::new();
        if let Some(f) = other_category(rule, meta) {
            codes.push(f.code);
            sink.finding(f);
        }
        let category = Some(meta.category_name.clone());
        let Some(counts) = people.and_then(|p| p.fields.get(&rule.id)) else {
            sink.check(Check {
                id,
                status: CheckStatus::Unknown,
                category,
                what: label(rule),
                evidence: "not probed".into(),
                reason: unknown_reason(obs).into(),
                fix: None,
                findings: codes,
            });
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
                        counts: *counts,
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
        let index = sink.check(Check {
            id,
            status,
            category,
            what: label(rule),
            evidence: counts_text(counts),
            reason,
            fix,
            findings: codes,
        });
        if let Some(code) = gap {
            gap_checks.push((index, meta.category_name.clone(), code));
        }
    }

    // One finding per code and category; each field's check follows what became of it.
    for ((code, category), list) in gaps {
        let finding = category_finding(code, &category, &list);
        let fix = finding.fix.clone();
        let effect = sink.finding(finding);
        for (index, _, _) in gap_checks
            .iter()
            .filter(|(_, c, k)| *c == category && *k == code)
        {
            sink.settle(*index, &effect, fix.clone());
        }
    }
}

fn category_finding(code: Code, category: &str, gaps: &[Gap]) -> Finding {
    let level = gaps
        .iter()
        .map(|g| g.rule.level)
        .max()
        .unwrap_or(Level::Error);
    let names: Vec<String> = gaps.iter().map(|g| label(g.rule)).collect();
    let n = gaps
        .first()
        .map_or(0, |g| g.counts.present + g.counts.absent);
    let message = match code {
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
                    label(g.rule),
                    g.counts.present,
                    n,
                    g.counts.absent
                ))
                .collect::<Vec<_>>()
                .join("; ")
        ),
    };
    let mut f = Finding::new(code, level, message);
    f.fix = Some(match code {
        Code::CategoryNotReadable => permissions::category_fix(category),
        _ => format!(
            "{} If it is ticked already, the permission covers fewer people than the group's condition under {}: widen it to the same people. Field-level permissions (a beta) can also hide a field for some employees.",
            permissions::category_fix(category),
            permissions::ACCESS_RIGHTS
        ),
    });
    f.category = Some(category.to_string());
    f.fields = gaps.iter().map(|g| g.rule.id.clone()).collect();
    f.permission = Some(permissions::category_view(category));
    f.evidence.employees = Some(n);
    f.evidence.fields = gaps.iter().map(|g| evidence(g.rule, &g.counts)).collect();
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
    let guide = rule.guide_categories.join(" or ");
    let mut f = Finding::new(
        Code::FieldInOtherCategory,
        Level::Info,
        format!(
            "{} is in the {} category in this tenant; the vendor's guide says {guide}.",
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
