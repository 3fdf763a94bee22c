//! The people condition: which lifecycle statuses the group lets in.

use hibob_audit::observations::field_ids::{LIFECYCLE, STATUS};
use hibob_audit::report::{CheckStatus, Code, Level, Outcome};

use crate::build::{Tenant, absent, empty};
use crate::scenario::{
    Scenario, check, codes, finding, findings, fix_of, no_findings, run, says, status,
};

pub fn scenarios() -> Vec<Scenario> {
    vec![
        visible(),
        not_visible(),
        everyone(),
        unverifiable(),
        unverifiable_rules_need_it(),
        unverifiable_empty(),
        leave_all_types(),
        optional(),
    ]
}

fn visible() -> Scenario {
    Scenario::new(
        "lifecycle-visible",
        r#"
[lifecycle]
statuses = ["Hired", "Employed", "Terminated", "Leave"]
"#,
        Tenant::new(),
    )
}

/// Nobody Terminated or on garden leave is visible, while a Hired employee is: the condition
/// is not "Everyone", so no hint.
fn not_visible() -> Scenario {
    Scenario::new(
        "lifecycle-not-visible",
        r#"
[lifecycle]
statuses = ["Employed", "Terminated", "Garden leave"]
"#,
        Tenant::new()
            .lifecycle(&[("employed", 8), ("hired", 1), ("leave", 1)])
            .statuses(&[("Active", 9), ("Inactive", 1)]),
    )
}

/// Every visible employee is Active: the group most likely uses "Everyone".
fn everyone() -> Scenario {
    Scenario::new(
        "lifecycle-everyone",
        r#"
[lifecycle]
statuses = ["Hired", "Employed", "Terminated"]
"#,
        Tenant::new()
            .lifecycle(&[("employed", 9), ("leave", 1)])
            .statuses(&[("Active", 10)]),
    )
}

/// The Lifecycle category is not readable, so the status comes back for nobody; only the
/// audit needs it.
fn unverifiable() -> Scenario {
    Scenario::new(
        "lifecycle-unverifiable",
        r#"
[[fields]]
id = "work.title"
purpose = "Job title"
[lifecycle]
statuses = ["Employed", "Terminated"]
"#,
        Tenant::new()
            .fields(&[LIFECYCLE, STATUS], absent())
            .lifecycle(&[])
            .statuses(&[]),
    )
}

/// The same, but the rules read a Lifecycle field too.
fn unverifiable_rules_need_it() -> Scenario {
    Scenario::new(
        "lifecycle-unverifiable-rules-need-it",
        r#"
[[fields]]
id = "internal.terminationDate"
purpose = "Termination date"
[lifecycle]
statuses = ["Employed", "Terminated"]
"#,
        Tenant::new()
            .fields(&[LIFECYCLE, STATUS, "internal.terminationDate"], absent())
            .lifecycle(&[])
            .statuses(&[]),
    )
}

/// Lifecycle is readable (the key comes back) but null for everyone: nothing to count, and
/// nothing to grant.
fn unverifiable_empty() -> Scenario {
    Scenario::new(
        "lifecycle-unverifiable-empty",
        r#"
[[fields]]
id = "work.title"
purpose = "Job title"
[lifecycle]
statuses = ["Employed", "Terminated"]
"#,
        Tenant::new()
            .field(LIFECYCLE, empty())
            .lifecycle(&[])
            .statuses(&[("Active", 10)]),
    )
}

/// "Leave (all types)": HiBob's three leave statuses one by one, a visible custom leave type as
/// a passing check of its own, and an info on what the guide's phrase stands for.
fn leave_all_types() -> Scenario {
    Scenario::new(
        "lifecycle-leave-all-types",
        r#"
[lifecycle]
statuses = ["Employed", "Leave (all types)"]
guide_text = "Lifecycle statuses: Employed, Leave (all types)"
"#,
        Tenant::new()
            .lifecycle(&[("employed", 6), ("leave", 1), ("parental_leave", 1)])
            .labelled_status("sabbatical_leave", "Sabbatical", 2)
            .statuses(&[("Active", 10)]),
    )
}

/// Terminated is optional: nobody Terminated is an info, and the check passes.
fn optional() -> Scenario {
    Scenario::new(
        "lifecycle-optional",
        r#"
[lifecycle]
statuses = ["Employed", { status = "Terminated", level = "info" }]
"#,
        Tenant::new()
            .lifecycle(&[("employed", 10)])
            .statuses(&[("Active", 10)]),
    )
}

#[test]
fn visible_statuses_pass() {
    let report = run(&visible());
    no_findings(&report);
    for id in [
        "lifecycle:hired",
        "lifecycle:employed",
        "lifecycle:terminated",
        "lifecycle:leave",
    ] {
        assert_eq!(status(&report, id), CheckStatus::Pass, "{id}");
    }
    let c = check(&report, "lifecycle:employed");
    assert_eq!(c.evidence, "7 of 10 employees");
}

#[test]
fn a_status_nobody_has_is_a_warning_that_says_both_causes() {
    let report = run(&not_visible());
    let found = findings(&report, Code::LifecycleStatusNotVisible);
    let statuses: Vec<_> = found
        .iter()
        .map(|f| f.lifecycle_status.as_deref().unwrap_or_default())
        .collect();
    assert_eq!(
        statuses,
        ["Terminated", "Garden leave"],
        "in the rules' order"
    );
    for f in &found {
        assert_eq!(f.level, Level::Warning);
        says(&f.message, "HiBob answers the same");
        assert!(!f.message.contains("Everyone"), "{}", f.message);
        assert_eq!(f.evidence.lifecycle_statuses.get("employed"), Some(&8));
    }
    assert_eq!(status(&report, "lifecycle:terminated"), CheckStatus::Warn);
    assert_eq!(status(&report, "lifecycle:garden-leave"), CheckStatus::Warn);
    assert_eq!(status(&report, "lifecycle:employed"), CheckStatus::Pass);
    assert_eq!(report.outcome(), Outcome::Pass);
}

#[test]
fn only_active_employees_visible_hints_at_everyone() {
    let report = run(&everyone());
    let found = findings(&report, Code::LifecycleStatusNotVisible);
    assert_eq!(found.len(), 2, "Hired and Terminated: {found:#?}");
    for f in found {
        says(&f.message, "\"Everyone\"");
        says(fix_of(f), "instead of \"Everyone\"");
    }
}

#[test]
fn unreadable_statuses_claim_nothing_missing() {
    let report = run(&unverifiable());
    assert_eq!(codes(&report), [Code::LifecycleUnverifiable]);
    let f = finding(&report, Code::LifecycleUnverifiable);
    assert_eq!(f.category.as_deref(), Some("Lifecycle"));
    says(fix_of(f), "only the audit needs it");
    assert_eq!(status(&report, "lifecycle:employed"), CheckStatus::Unknown);
    assert_eq!(
        status(&report, "lifecycle:terminated"),
        CheckStatus::Unknown
    );
}

#[test]
fn unreadable_statuses_say_when_the_rules_need_the_category_too() {
    let report = run(&unverifiable_rules_need_it());
    let f = finding(&report, Code::LifecycleUnverifiable);
    let fix = f.fix.as_deref().unwrap_or_default();
    assert!(fix.starts_with("The rules need Lifecycle too"), "{fix}");
    assert_eq!(
        finding(&report, Code::CategoryNotReadable)
            .category
            .as_deref(),
        Some("Lifecycle")
    );
}

/// hibob-api.md: key present with null = permission but no data. Never "grant Lifecycle".
#[test]
fn readable_but_empty_statuses_are_not_called_unreadable() {
    let report = run(&unverifiable_empty());
    assert_eq!(codes(&report), [Code::LifecycleUnverifiable]);
    let f = finding(&report, Code::LifecycleUnverifiable);
    says(&f.message, "is readable");
    says(fix_of(f), "Nothing to grant");
    assert!(!fix_of(f).contains("Grant "), "{}", fix_of(f));
    let c = check(&report, "lifecycle:employed");
    assert_eq!(c.status, CheckStatus::Unknown);
    assert!(!c.reason.contains("not readable"), "{}", c.reason);
    assert!(!c.evidence.contains("not readable"), "{}", c.evidence);
}

#[test]
fn leave_all_types_is_checked_status_by_status() {
    let report = run(&leave_all_types());
    assert_eq!(status(&report, "lifecycle:leave"), CheckStatus::Pass);
    assert_eq!(
        status(&report, "lifecycle:parental-leave"),
        CheckStatus::Pass
    );
    assert_eq!(status(&report, "lifecycle:garden-leave"), CheckStatus::Warn);
    assert_eq!(status(&report, "lifecycle:sabbatical"), CheckStatus::Pass);
    let missing = finding(&report, Code::LifecycleStatusNotVisible);
    assert_eq!(missing.lifecycle_status.as_deref(), Some("Garden leave"));
    let wording = finding(&report, Code::GuideWordingDiffers);
    assert_eq!(wording.level, Level::Info);
    says(&wording.message, "visible here: Sabbatical");
}

#[test]
fn an_optional_status_nobody_has_is_an_info() {
    let report = run(&optional());
    let f = finding(&report, Code::LifecycleStatusNotVisible);
    assert_eq!(f.level, Level::Info);
    says(&f.message, "optional");
    assert_eq!(status(&report, "lifecycle:terminated"), CheckStatus::Pass);
    assert_eq!(report.outcome(), Outcome::Pass);
}
