//! `check --excess`: what the group grants beyond the rules (least privilege), and the
//! `[[allow_extra]]` entries that accept some of it.

use hibob_audit::observations::{CallOutcome, TimeoffProbe as P};
use hibob_audit::report::{CheckStatus, Code, Level, Outcome};

use crate::build::{Tenant, absent, outs, partly, refused};
use crate::scenario::{Scenario, check, finding, findings, run, says, status};

const RULES: &str = r#"
[[fields]]
id = "root.email"
purpose = "Work email"
[timeoff]
require = ["whos-out"]
[[allow_extra]]
category = "Work contact details"
reason = "The vendor shows work phones."
[[allow_extra]]
category = "Bands"
reason = "Kept from an old contract."
"#;

fn answered<T>(answer: T) -> CallOutcome<T> {
    CallOutcome::Answered(answer)
}

pub fn scenarios() -> Vec<Scenario> {
    vec![granted_beyond(), not_judged()]
}

/// Payroll (sensitive, partly) and Address (sensitive) granted, Work and Lifecycle granted,
/// Employment not; Work contact details granted on purpose; the private-policy box granted,
/// the pending box unproven; an `[[allow_extra]]` entry for a category the tenant lacks.
fn granted_beyond() -> Scenario {
    Scenario::new(
        "excess",
        RULES,
        Tenant::new()
            .excess()
            .field("payroll.salary.base", partly(4))
            .field("payroll.employment.type", absent())
            .timeoff(P::WhosOut, answered(outs(2)))
            .timeoff(P::WhosOutPrivate, answered(outs(3)))
            .timeoff(P::WhosOutPending, answered(outs(2))),
    )
}

/// The search was refused: nothing beyond the rules can be judged, and no entry is stale.
fn not_judged() -> Scenario {
    Scenario::new(
        "excess-not-judged",
        RULES,
        Tenant::new()
            .excess()
            .search(refused(403, false))
            .timeoff(P::WhosOut, answered(outs(2))),
    )
}

#[test]
fn what_the_rules_do_not_need_is_named_sensitive_first() {
    let report = run(&granted_beyond());
    let found = findings(&report, Code::CategoryNotNeeded);
    let judged: Vec<_> = found
        .iter()
        .map(|f| {
            (
                f.category.as_deref().unwrap_or_default(),
                f.level,
                f.sensitive,
            )
        })
        .collect();
    assert_eq!(
        judged,
        [
            ("Address", Level::Warning, Some(true)),
            ("Payroll", Level::Warning, Some(true)),
            ("Time off", Level::Warning, Some(true)),
            ("Lifecycle", Level::Info, Some(false)),
            ("Work", Level::Info, Some(false)),
        ]
    );
    let payroll = found
        .iter()
        .find(|f| f.category.as_deref() == Some("Payroll"))
        .expect("Payroll");
    says(&payroll.message, "readable for 4 of 10 employees");
    says(&payroll.message, "employee_data.sensitive:read");
    assert_eq!(
        status(&report, "excess:category:payroll"),
        CheckStatus::Warn
    );
    assert_eq!(status(&report, "excess:category:work"), CheckStatus::Pass);
    let employment = check(&report, "excess:category:employment");
    assert_eq!(employment.status, CheckStatus::Pass);
    assert!(employment.findings.is_empty(), "not granted: nothing found");
    assert_eq!(
        status(&report, "excess:timeoff:pending-requests"),
        CheckStatus::Unknown
    );
    assert!(
        !report.checks.iter().any(|c| c.id.contains("basic-info")),
        "Basic info is needed"
    );
    // Accepted on purpose, with its reason and line.
    let accepted: Vec<_> = report
        .suppressed
        .iter()
        .map(|s| s.finding.category.as_deref().unwrap_or_default())
        .collect();
    assert_eq!(accepted, ["Work contact details"]);
    says(
        &report.suppressed[0].reason,
        "The vendor shows work phones.",
    );
    let stale = finding(&report, Code::SuppressionUnused);
    says(&stale.message, "Bands");
    assert_eq!(report.outcome(), Outcome::Pass, "excess never fails alone");
}

#[test]
fn nothing_is_judged_beyond_the_rules_without_a_search() {
    let report = run(&not_judged());
    assert_eq!(status(&report, "excess"), CheckStatus::Unknown);
    assert!(findings(&report, Code::CategoryNotNeeded).is_empty());
    assert!(findings(&report, Code::SuppressionUnused).is_empty());
}
