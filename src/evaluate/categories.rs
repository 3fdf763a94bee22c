//! Whole categories the rules name (`[[categories]]`), judged by the first few fields the
//! tenant's metadata lists for each. Their gaps join the fields' per-category findings, so a
//! category is named once whether the rules ask for it by field or as a whole.

use super::fields::{GapChecks, Gaps, Seen, counts_text, evidence_of, seen};
use super::{Sink, unknown_reason};
use crate::observations::{FieldCatalog, FieldCounts, Observations, PeopleCounts};
use crate::permissions;
use crate::report::{Check, CheckStatus, Code, Finding, Level};
use crate::rules::{CategoryRule, FieldRule, Rules};

/// A category rule, with a field rule that stands in for it in the findings.
pub(super) struct Wanted<'r> {
    rule: &'r CategoryRule,
    stand_in: FieldRule,
}

pub(super) fn synthesized(rules: &Rules) -> Vec<Wanted<'_>> {
    rules
        .categories
        .iter()
        .map(|rule| Wanted {
            rule,
            stand_in: FieldRule {
                id: format!("category:{}", rule.name),
                purpose: format!("the {} category", rule.name),
                guide_categories: Vec::new(),
                level: rule.level,
                source: rule.source.clone(),
            },
        })
        .collect()
}

pub(super) fn slug(name: &str) -> String {
    name.trim()
        .to_lowercase()
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '-' })
        .collect()
}

fn check(w: &Wanted, status: CheckStatus, category: Option<&str>) -> Check {
    let mut c = Check::new(
        format!("category:{}", slug(&w.rule.name)),
        status,
        format!("The whole {} category", w.rule.name),
    )
    .sourced(&w.rule.source);
    c.category = category.map(str::to_string);
    c.permission = Some(permissions::category_view(category.unwrap_or(&w.rule.name)));
    c
}

/// Every category rule's check is unknown: nothing was probed.
pub(super) fn not_probed(wanted: &[Wanted], obs: &Observations, sink: &mut Sink) {
    for w in wanted {
        let mut c = check(w, CheckStatus::Unknown, None);
        c.evidence = "not probed".into();
        c.reason = unknown_reason(obs).into();
        sink.check(c);
    }
}

/// The category's readability: the best-read sample field for each employee count.
fn aggregate(samples: &[(String, FieldCounts)]) -> FieldCounts {
    let best = samples
        .iter()
        .map(|(_, c)| *c)
        .max_by_key(|c| (c.present, c.present - c.empty.min(c.present)))
        .unwrap_or_default();
    FieldCounts {
        present: best.present,
        absent: best.absent,
        empty: best.empty,
    }
}

pub(super) fn evaluate<'w>(
    wanted: &'w [Wanted<'w>],
    catalog: &FieldCatalog,
    people: Option<&PeopleCounts>,
    obs: &Observations,
    sink: &mut Sink,
    gaps: &mut Gaps<'w>,
    gap_checks: &mut GapChecks,
) {
    for w in wanted {
        let matches = catalog.categories_named(&w.rule.name);
        let Some(first) = matches.first() else {
            unknown_category(w, catalog, sink);
            continue;
        };
        let name = first.name.clone();
        let fields: Vec<String> = matches
            .iter()
            .flat_map(|c| c.samples.iter().map(|s| s.id.clone()))
            .collect();
        let Some(people) = people else {
            let mut c = check(w, CheckStatus::Unknown, Some(&name));
            c.evidence = "not probed".into();
            c.reason = unknown_reason(obs).into();
            sink.check(c);
            continue;
        };
        let samples: Vec<(String, FieldCounts)> = fields
            .iter()
            .filter_map(|f| people.fields.get(f).map(|c| (f.clone(), *c)))
            .collect();
        if samples.is_empty() {
            let mut c = check(w, CheckStatus::Unknown, Some(&name));
            c.evidence = "no field to probe".into();
            c.reason = format!(
                "the tenant's metadata lists no field of {name} that the search could ask for"
            );
            sink.check(c);
            continue;
        }
        let counts = aggregate(&samples);
        let code = match seen(&counts) {
            Seen::NotReadable => Some(Code::CategoryNotReadable),
            Seen::Partly => Some(Code::CategoryPartlyReadable),
            Seen::Empty | Seen::Readable => None,
        };
        let mut c = check(
            w,
            if code.is_some() {
                CheckStatus::Fail
            } else {
                CheckStatus::Pass
            },
            Some(&name),
        );
        c.evidence = format!(
            "{} (best of {} field{})",
            counts_text(&counts),
            samples.len(),
            if samples.len() == 1 { "" } else { "s" }
        );
        c.reason = match code {
            Some(Code::CategoryNotReadable) => format!("{name} is not readable"),
            Some(_) => format!("{name} is readable for only some employees"),
            None => "readable".into(),
        };
        let Some(code) = code else {
            sink.check(c);
            continue;
        };
        c.findings = vec![code];
        let index = sink.check(c);
        gaps.entry((code, name.clone()))
            .or_default()
            .push(super::fields::Gap {
                rule: &w.stand_in,
                label: format!("{name} as a whole ({})", fields.join(", ")),
                fields: samples.iter().map(|(f, _)| f.clone()).collect(),
                counts,
                evidence: samples.iter().map(|(f, c)| evidence_of(f, c)).collect(),
            });
        gap_checks.push((index, name, code));
    }
}

/// The tenant has no category of that name: nothing to tick, and nothing to read.
fn unknown_category(w: &Wanted, catalog: &FieldCatalog, sink: &mut Sink) {
    let mut names: Vec<&str> = catalog
        .categories
        .values()
        .map(|c| c.name.as_str())
        .collect();
    names.sort_unstable();
    let mut f = Finding::new(
        Code::CategoryUnknown,
        Level::Warning,
        format!(
            "This tenant has no category named {} (its metadata lists {} categories), so there is nothing to tick for it and nothing for the integration to read there.",
            w.rule.name,
            names.len()
        ),
    );
    f.fix = Some(format!(
        "If the category has another name in this tenant, use that name in the rules (the tenant's categories: {}). If the tenant does not keep that data, nothing needs to change.",
        names.join(", ")
    ));
    f.category = Some(w.rule.name.clone());
    let fix = f.fix.clone();
    let effect = sink.finding(f);
    let mut c = check(w, effect.status(), None);
    c.evidence = "not in metadata".into();
    c.reason = effect.annotate("the tenant has no such category".into());
    c.fix = effect.fix(fix);
    c.findings = vec![Code::CategoryUnknown];
    sink.check(c);
}
