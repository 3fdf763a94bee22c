//! Lifecycle coverage: does the group's people condition let in every status the rules need?
//!
//! HiBob cannot tell "left out by the condition" from "none exist", so a status with no
//! visible employee is a warning by default, and the message says both.

use std::collections::BTreeMap;

use super::{Sink, employees, unknown_reason};
use crate::observations::field_ids::LIFECYCLE;
use crate::observations::{CallOutcome, LifecycleCount, Observations, PeopleCounts};
use crate::permissions;
use crate::report::{Check, CheckStatus, Code, Finding, Level};
use crate::rules::{LifecycleRule, LifecycleStatus, Rules};

/// Lower case, with `-`, `_` and camelCase humps as spaces: `parentalLeave` is `parental leave`.
fn norm(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 4);
    let mut prev_lower = false;
    for c in s.trim().chars() {
        if c.is_uppercase() && prev_lower {
            out.push(' ');
        }
        prev_lower = c.is_lowercase();
        match c {
            '-' | '_' => out.push(' '),
            c => out.extend(c.to_lowercase()),
        }
    }
    out
}

fn is(lc: &LifecycleCount, word: &str) -> bool {
    [&lc.value, &lc.label]
        .iter()
        .any(|v| v.as_deref().map(norm).as_deref() == Some(word))
}

/// Does a visible status count for a required one? Values and labels match case-insensitively.
fn matches(required: LifecycleStatus, lc: &LifecycleCount) -> bool {
    match required {
        LifecycleStatus::Hired => is(lc, "hired"),
        LifecycleStatus::Employed => is(lc, "employed"),
        LifecycleStatus::Terminated => is(lc, "terminated"),
        LifecycleStatus::Leave => is(lc, "leave"),
        LifecycleStatus::GardenLeave => is(lc, "garden leave"),
        LifecycleStatus::ParentalLeave => is(lc, "parental leave"),
        // Every leave type, custom ones included: anything that is not one of the three others.
        LifecycleStatus::LeaveAllTypes => {
            !(is(lc, "hired") || is(lc, "employed") || is(lc, "terminated"))
        }
    }
}

/// Statuses that "Everyone" (active employees only) leaves out.
fn is_inactive(status: LifecycleStatus) -> bool {
    matches!(status, LifecycleStatus::Hired | LifecycleStatus::Terminated)
}

fn slug(label: &str) -> String {
    label
        .to_lowercase()
        .replace(" (all types)", "-all-types")
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '-' })
        .collect()
}

/// The HiBob statuses a rule asks for: "Leave (all types)", a guide's phrase, becomes
/// HiBob's three leave statuses (custom leave types are added when visible). Each once.
fn expand(statuses: &[LifecycleStatus]) -> Vec<LifecycleStatus> {
    let mut out = Vec::new();
    for &s in statuses {
        let list: &[LifecycleStatus] = if s == LifecycleStatus::LeaveAllTypes {
            &[
                LifecycleStatus::Leave,
                LifecycleStatus::GardenLeave,
                LifecycleStatus::ParentalLeave,
            ]
        } else {
            std::slice::from_ref(&s)
        };
        for &x in list {
            if !out.contains(&x) {
                out.push(x);
            }
        }
    }
    out
}

/// A status's check. `label` is HiBob's name for it (a custom leave type's own name).
fn check(
    rule: &LifecycleRule,
    label: &str,
    status: CheckStatus,
    evidence: String,
    reason: String,
) -> Check {
    let mut c = Check::new(
        format!("lifecycle:{}", slug(label)),
        status,
        format!("Lifecycle status {label} in the people condition"),
    )
    .sourced(&rule.source);
    c.category = Some("Access rights".into());
    c.permission = Some(permissions::lifecycle_condition(label));
    c.evidence = evidence;
    c.reason = reason;
    c
}

/// Visible statuses that are none of HiBob's built-in ones: custom leave types.
fn custom_statuses(people: &PeopleCounts) -> BTreeMap<String, u64> {
    let mut out = BTreeMap::new();
    for lc in &people.lifecycle {
        let known = LifecycleStatus::ALL
            .iter()
            .any(|s| *s != LifecycleStatus::LeaveAllTypes && matches(*s, lc));
        if known {
            continue;
        }
        let name = lc
            .label
            .clone()
            .or_else(|| lc.value.clone())
            .unwrap_or_default();
        if !name.trim().is_empty() {
            *out.entry(name).or_insert(0) += lc.employees;
        }
    }
    out
}

/// Visible employees per status label, for evidence.
fn tally(people: &PeopleCounts) -> BTreeMap<String, u64> {
    let mut out = BTreeMap::new();
    for lc in &people.lifecycle {
        let name = lc
            .label
            .clone()
            .or_else(|| lc.value.clone())
            .unwrap_or_default();
        *out.entry(name).or_insert(0) += lc.employees;
    }
    out
}

/// True when every visible employee is active: by `internal.status` when readable, else by
/// lifecycle status.
fn all_active(people: &PeopleCounts) -> bool {
    if !people.statuses.is_empty() {
        let active: u64 = people
            .statuses
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case("active"))
            .map(|(_, n)| n)
            .sum();
        return active == people.employees;
    }
    !people.lifecycle.is_empty()
        && people
            .lifecycle
            .iter()
            .all(|lc| !is(lc, "hired") && !is(lc, "terminated"))
}

pub(super) fn evaluate(
    rules: &Rules,
    obs: &Observations,
    people: Option<&PeopleCounts>,
    sink: &mut Sink,
) {
    let Some(rule) = &rules.lifecycle else { return };
    let statuses = expand(&rule.statuses);
    let Some(people) = people else {
        for &s in &statuses {
            sink.check(check(
                rule,
                s.label(),
                CheckStatus::Unknown,
                "not probed".into(),
                unknown_reason(obs).into(),
            ));
        }
        return;
    };
    let readable = people
        .fields
        .get(LIFECYCLE)
        .map_or(0, |c| c.present - c.empty);
    if readable == 0 {
        unverifiable(rules, rule, &statuses, obs, people, sink);
        return;
    }

    let tally = tally(people);
    let everyone = all_active(people) && statuses.iter().any(|s| is_inactive(*s));
    for &status in &statuses {
        let n: u64 = people
            .lifecycle
            .iter()
            .filter(|lc| matches(status, lc))
            .map(|lc| lc.employees)
            .sum();
        if n > 0 {
            sink.check(check(
                rule,
                status.label(),
                CheckStatus::Pass,
                format!("{n} of {}", employees(people.employees)),
                "visible, so the condition includes it".into(),
            ));
            continue;
        }
        not_visible(rule, status, everyone, people, &tally, sink);
    }
    if rule.statuses.contains(&LifecycleStatus::LeaveAllTypes) {
        leave_all_types(rule, people, sink);
    }
}

/// A required status nobody visible has: a warning that says both possible causes.
fn not_visible(
    rule: &LifecycleRule,
    status: LifecycleStatus,
    everyone: bool,
    people: &PeopleCounts,
    tally: &BTreeMap<String, u64>,
    sink: &mut Sink,
) {
    let label = status.label();
    let hint = if everyone && is_inactive(status) {
        " Every visible employee is Active: the group most likely uses \"Everyone\", which in HiBob means active employees only."
    } else {
        ""
    };
    let optional = rule.level_of(status) == Level::Info;
    let mut f = Finding::new(
        Code::LifecycleStatusNotVisible,
        rule.level_of(status),
        format!(
            "No visible employee has lifecycle status {label} ({} visible). Either the permission group's people condition leaves {label} out, or this tenant has no {label} employee: HiBob answers the same in both cases.{hint}{}",
            employees(people.employees),
            if optional {
                " The rules make this status optional: the integration works without it."
            } else {
                ""
            }
        ),
    );
    f.fix = Some(format!(
        "In HiBob, open {} > {}: {}choose Select people by condition > Lifecycle status and add {label}; then Apply and Save. If the tenant has no {label} employee, nothing needs to change.",
        permissions::GROUP_PATH,
        permissions::ACCESS_RIGHTS,
        if hint.is_empty() {
            ""
        } else {
            "instead of \"Everyone\", "
        }
    ));
    f.lifecycle_status = Some(label.to_string());
    f.permission = Some(permissions::lifecycle_condition(label));
    f.evidence.employees = Some(people.employees);
    f.evidence.lifecycle_statuses = tally.clone();
    let fix = f.fix.clone();
    let effect = sink.finding(f);
    let mut c = check(
        rule,
        label,
        effect.status(),
        format!("0 of {}", employees(people.employees)),
        effect.annotate(if hint.is_empty() {
            "none visible: left out by the condition, or none exist".into()
        } else {
            "none visible, and every visible employee is active: most likely \"Everyone\"".into()
        }),
    );
    c.findings = vec![Code::LifecycleStatusNotVisible];
    c.fix = effect.fix(fix);
    sink.check(c);
}

/// "Leave (all types)" is a guide's phrase: HiBob has no such status. Custom leave types that
/// are visible pass as their own rows, and an info finding says what the phrase stands for.
fn leave_all_types(rule: &LifecycleRule, people: &PeopleCounts, sink: &mut Sink) {
    let custom = custom_statuses(people);
    for (name, n) in &custom {
        let mut c = check(
            rule,
            name,
            CheckStatus::Pass,
            format!("{n} of {}", employees(people.employees)),
            "a custom leave type, visible, so the condition includes it".into(),
        );
        c.what = format!("Lifecycle status {name} (custom leave type) in the people condition");
        sink.check(c);
    }
    let custom_note = if custom.is_empty() {
        "and any custom leave type the tenant defines (none is visible here)".to_string()
    } else {
        format!(
            "and the tenant's custom leave types (visible here: {})",
            custom.keys().cloned().collect::<Vec<_>>().join(", ")
        )
    };
    // Only a guide that says "Leave (all types)" gets told what the phrase stands for.
    let Some(quote) = rule
        .source
        .guide_text
        .iter()
        .find(|q| q.to_lowercase().contains("leave (all types)"))
    else {
        return;
    };
    let mut f = Finding::new(
        Code::GuideWordingDiffers,
        Level::Info,
        format!(
            "Your guide says \"{quote}\"; HiBob has no status called \"Leave (all types)\". In HiBob these are the lifecycle statuses Leave, Garden leave and Parental leave, {custom_note}: the audit checks each."
        ),
    );
    f.fix = Some(format!(
        "Under {} > Select people by condition > Lifecycle status, add each of Leave, Garden leave, Parental leave and every custom leave type.",
        permissions::ACCESS_RIGHTS
    ));
    f.lifecycle_status = Some("Leave (all types)".into());
    f.permission = Some(permissions::lifecycle_condition(
        "Leave, Garden leave, Parental leave",
    ));
    sink.finding(f);
}

/// Whether the rules themselves need the Lifecycle category (so not only the audit does).
fn rules_need(rules: &Rules, obs: &Observations, category: &str) -> bool {
    let CallOutcome::Answered(catalog) = &obs.metadata.outcome else {
        return false;
    };
    rules.fields.iter().any(|f| {
        catalog
            .get(&f.id)
            .is_some_and(|m| m.category_name.eq_ignore_ascii_case(category))
    }) || rules.categories.iter().any(|c| {
        catalog
            .categories_named(&c.name)
            .iter()
            .any(|m| m.name.eq_ignore_ascii_case(category))
    })
}

fn unverifiable(
    rules: &Rules,
    rule: &LifecycleRule,
    statuses: &[LifecycleStatus],
    obs: &Observations,
    people: &PeopleCounts,
    sink: &mut Sink,
) {
    let category = match &obs.metadata.outcome {
        CallOutcome::Answered(c) => c.get(LIFECYCLE).map(|m| m.category_name.clone()),
        _ => None,
    }
    .unwrap_or_else(|| "Lifecycle".to_string());
    let audit_only = !rules_need(rules, obs, &category);
    // Key present with null: the category is readable, there is just no status to count.
    let keyed = people.fields.get(LIFECYCLE).map_or(0, |c| c.present);
    let mut f = Finding::new(
        Code::LifecycleUnverifiable,
        Level::Warning,
        if keyed > 0 {
            format!(
                "Lifecycle statuses cannot be counted: {LIFECYCLE} is readable (present for {keyed} of {}) but empty for every one of them, so the audit cannot verify which statuses the people condition lets in. Nothing is claimed missing.",
                employees(people.employees)
            )
        } else {
            format!(
                "Lifecycle statuses cannot be read ({LIFECYCLE} has no value for any of {}), so the audit cannot verify which statuses the people condition lets in. Nothing is claimed missing.",
                employees(people.employees)
            )
        },
    );
    f.fix = Some(if keyed > 0 {
        format!(
            "Nothing to grant: {category} is readable. Check {} by hand; to tell no data from a hidden value, open one employee's profile in HiBob: a lifecycle status there means field-level permissions (People's data > People's fields) hide it.",
            permissions::ACCESS_RIGHTS
        )
    } else if audit_only {
        format!(
            "The integration's guide does not ask for this: only the audit needs it. Grant {} to let the audit verify, then run again; or check {} by hand.",
            permissions::category_view(&category),
            permissions::ACCESS_RIGHTS
        )
    } else {
        format!(
            "The rules need {category} too: grant {}, then run again; or check {} by hand.",
            permissions::category_view(&category),
            permissions::ACCESS_RIGHTS
        )
    });
    f.category = Some(category.clone());
    f.fields = vec![LIFECYCLE.to_string()];
    // Nothing to grant when the category is readable.
    f.permission = (keyed == 0).then(|| permissions::category_view(&category));
    f.evidence.employees = Some(people.employees);
    sink.finding(f);
    for &s in statuses {
        let (evidence, reason) = if keyed > 0 {
            (
                "lifecycle status empty".to_string(),
                format!(
                    "{category} is readable, but no visible employee's status has a value: check by hand"
                ),
            )
        } else {
            (
                "lifecycle not readable".to_string(),
                format!(
                    "{category} is not readable, so statuses cannot be seen: grant it{} or check by hand",
                    if audit_only {
                        " (only the audit needs it)"
                    } else {
                        ""
                    }
                ),
            )
        };
        let mut c = check(rule, s.label(), CheckStatus::Unknown, evidence, reason);
        c.findings = vec![Code::LifecycleUnverifiable];
        sink.check(c);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lc(value: Option<&str>, label: Option<&str>) -> LifecycleCount {
        LifecycleCount {
            value: value.map(str::to_string),
            label: label.map(str::to_string),
            employees: 1,
        }
    }

    #[test]
    fn values_and_labels_match_case_insensitively() {
        assert!(matches(
            LifecycleStatus::GardenLeave,
            &lc(Some("garden leave"), None)
        ));
        assert!(matches(
            LifecycleStatus::GardenLeave,
            &lc(Some("x1"), Some("Garden Leave"))
        ));
        assert!(matches(
            LifecycleStatus::ParentalLeave,
            &lc(Some("parental_leave"), None)
        ));
        assert!(matches(
            LifecycleStatus::Terminated,
            &lc(None, Some("TERMINATED"))
        ));
        assert!(!matches(
            LifecycleStatus::Leave,
            &lc(Some("parental leave"), None)
        ));
    }

    #[test]
    fn machine_values_in_other_spellings_match() {
        assert!(matches(
            LifecycleStatus::ParentalLeave,
            &lc(Some("parentalLeave"), None)
        ));
        assert!(matches(
            LifecycleStatus::GardenLeave,
            &lc(Some("GARDEN_LEAVE"), None)
        ));
        assert!(matches(
            LifecycleStatus::Employed,
            &lc(Some(" Employed "), None)
        ));
    }

    #[test]
    fn leave_all_types_covers_custom_leave() {
        for v in ["leave", "parental leave", "garden leave", "Sabbatical"] {
            assert!(
                matches(LifecycleStatus::LeaveAllTypes, &lc(Some(v), None)),
                "{v}"
            );
        }
        for v in ["hired", "Employed", "terminated"] {
            assert!(
                !matches(LifecycleStatus::LeaveAllTypes, &lc(Some(v), None)),
                "{v}"
            );
        }
    }

    #[test]
    fn check_ids_are_slugs() {
        assert_eq!(
            slug(LifecycleStatus::LeaveAllTypes.label()),
            "leave-all-types"
        );
        assert_eq!(slug(LifecycleStatus::GardenLeave.label()), "garden-leave");
        assert_eq!(slug("Sabbatical / unpaid"), "sabbatical---unpaid");
    }

    #[test]
    fn leave_all_types_becomes_hibobs_statuses_once() {
        use LifecycleStatus as S;
        assert_eq!(
            expand(&[S::Hired, S::Leave, S::LeaveAllTypes]),
            vec![S::Hired, S::Leave, S::GardenLeave, S::ParentalLeave]
        );
    }
}
