//! Lifecycle coverage: does the group's people condition let in every status the rules need?
//!
//! HiBob cannot tell "left out by the condition" from "none exist", so a status with no
//! visible employee is a warning by default, and the message says both.

use std::collections::BTreeMap;

use super::{Sink, employees, unknown_reason};
use crate::observations::{CallOutcome, LifecycleCount, Observations, PeopleCounts};
use crate::permissions;
use crate::probes::people::LIFECYCLE;
use crate::report::{Check, CheckStatus, Code, Finding, Level};
use crate::rules::{LifecycleStatus, Rules};

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

fn slug(status: LifecycleStatus) -> String {
    status
        .label()
        .to_lowercase()
        .replace(" (all types)", "-all-types")
        .replace(' ', "-")
}

fn check(
    status: LifecycleStatus,
    check: CheckStatus,
    evidence: String,
    reason: String,
    codes: Vec<Code>,
    fix: Option<String>,
) -> Check {
    Check {
        id: format!("lifecycle:{}", slug(status)),
        status: check,
        category: Some("Access rights".into()),
        what: format!(
            "Lifecycle status {} in the people condition",
            status.label()
        ),
        evidence,
        reason,
        fix,
        findings: codes,
    }
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
    let Some(people) = people else {
        for &s in &rule.statuses {
            sink.check(check(
                s,
                CheckStatus::Unknown,
                "not probed".into(),
                unknown_reason(obs).into(),
                vec![],
                None,
            ));
        }
        return;
    };
    let readable = people
        .fields
        .get(LIFECYCLE)
        .map_or(0, |c| c.present - c.empty);
    if readable == 0 {
        unverifiable(rule.statuses.as_slice(), obs, people, sink);
        return;
    }

    let statuses = tally(people);
    let everyone = all_active(people) && rule.statuses.iter().any(|s| is_inactive(*s));
    for &status in &rule.statuses {
        let n: u64 = people
            .lifecycle
            .iter()
            .filter(|lc| matches(status, lc))
            .map(|lc| lc.employees)
            .sum();
        if n > 0 {
            sink.check(check(
                status,
                CheckStatus::Pass,
                format!("{n} of {}", employees(people.employees)),
                "visible, so the condition includes it".into(),
                vec![],
                None,
            ));
            continue;
        }
        let label = status.label();
        let hint = if everyone && is_inactive(status) {
            " Every visible employee is Active: the group most likely uses \"Everyone\", which in HiBob means active employees only."
        } else {
            ""
        };
        let mut f = Finding::new(
            Code::LifecycleStatusNotVisible,
            rule.level,
            format!(
                "No visible employee has lifecycle status {label} ({} visible). Either the permission group's people condition leaves {label} out, or this tenant has no {label} employee: HiBob answers the same in both cases.{hint}",
                employees(people.employees)
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
        f.evidence.lifecycle_statuses = statuses.clone();
        let fix = f.fix.clone();
        let effect = sink.finding(f);
        sink.check(check(
            status,
            effect.status(),
            format!("0 of {}", employees(people.employees)),
            effect.annotate(if hint.is_empty() {
                "none visible: left out by the condition, or none exist".into()
            } else {
                "none visible, and every visible employee is active: most likely \"Everyone\""
                    .into()
            }),
            vec![Code::LifecycleStatusNotVisible],
            effect.fix(fix),
        ));
    }
}

fn unverifiable(
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
    let mut f = Finding::new(
        Code::LifecycleUnverifiable,
        Level::Warning,
        format!(
            "Lifecycle statuses cannot be read ({LIFECYCLE} has no value for any of {}), so the audit cannot verify which statuses the people condition lets in. Nothing is claimed missing.",
            employees(people.employees)
        ),
    );
    f.fix = Some(format!(
        "To verify, grant {} (integrations that sync terminations need it too), then run again; or check {} by hand.",
        permissions::category_view(&category),
        permissions::ACCESS_RIGHTS
    ));
    f.category = Some(category.clone());
    f.fields = vec![LIFECYCLE.to_string()];
    f.permission = Some(permissions::category_view(&category));
    f.evidence.employees = Some(people.employees);
    sink.finding(f);
    for &s in statuses {
        sink.check(check(
            s,
            CheckStatus::Unknown,
            "lifecycle not readable".into(),
            format!("{category} is not readable, so statuses cannot be seen"),
            vec![Code::LifecycleUnverifiable],
            None,
        ));
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
        assert_eq!(slug(LifecycleStatus::LeaveAllTypes), "leave-all-types");
        assert_eq!(slug(LifecycleStatus::GardenLeave), "garden-leave");
    }
}
