//! The severity policy: suppressions (used and stale), the rules file's `[levels]`, and the
//! command line's `--deny/--warn/--allow` and `--strict` on top.

use hibob_audit::observations::FailureKind;
use hibob_audit::policy::Severity;
use hibob_audit::report::{CheckStatus, Code, Level, Outcome};

use crate::build::{Tenant, absent, empty, failed, partly};
use crate::scenario::{Scenario, check, codes, finding, run, says, status};

const GAPS: &str = r#"
[[fields]]
id = "work.title"
purpose = "Job title"
[[fields]]
id = "payroll.salary.base"
purpose = "Base salary"
[lifecycle]
statuses = ["Employed", "Terminated"]
"#;

const SUPPRESSIONS: &str = r#"
[[suppress]]
code = "category-not-readable"
category = "payroll"
reason = "Salaries are synced from the payroll provider."
[[suppress]]
code = "lifecycle-status-not-visible"
lifecycle_status = "Terminated"
reason = "The vendor never reads leavers."
[[suppress]]
code = "field-empty"
field = "work.startDate"
reason = "Start dates are filled in next quarter."
"#;

const LEVELS: &str = r#"
[[fields]]
id = "root.email"
purpose = "Work email"
guide_categories = ["Work contact details"]
[[fields]]
id = "work.title"
purpose = "Job title"
[[fields]]
id = "work.startDate"
purpose = "Start date"
[lifecycle]
statuses = ["Employed", "Terminated"]
[levels]
field-in-other-category = "allow"
field-empty = "info"
category-partly-readable = "warning"
lifecycle-status-not-visible = "error"
"#;

pub fn scenarios() -> Vec<Scenario> {
    vec![
        suppressions(),
        suppressions_incomplete(),
        levels_from_the_rules(),
        levels_from_the_command_line(),
    ]
}

fn gaps() -> Tenant {
    Tenant::new()
        .field("work.title", absent())
        .field("payroll.salary.base", absent())
        .lifecycle(&[("employed", 9), ("hired", 1)])
}

/// Two suppressions match (Payroll, Terminated); the third matches nothing and is stale.
fn suppressions() -> Scenario {
    Scenario::new("suppressions", &format!("{GAPS}{SUPPRESSIONS}"), gaps())
}

/// The same rules, but the search broke off: an incomplete audit calls no suppression stale.
fn suppressions_incomplete() -> Scenario {
    Scenario::new(
        "suppressions-incomplete",
        &format!("{GAPS}{SUPPRESSIONS}"),
        gaps().search(failed(
            FailureKind::Malformed,
            Some(200),
            "HTTP 200, application/json, 2 kB: the JSON is cut off",
        )),
    )
}

fn levels_tenant() -> Tenant {
    Tenant::new()
        .field("work.title", partly(8))
        .field("work.startDate", empty())
        .lifecycle(&[("employed", 9), ("hired", 1)])
}

/// `[levels]`: one code allowed, others lowered or raised.
fn levels_from_the_rules() -> Scenario {
    Scenario::new("levels-rules", LEVELS, levels_tenant())
}

/// The command line over the rules file: `--deny field-empty`, `--allow
/// lifecycle-status-not-visible`, `--warn field-in-other-category`, then `--strict`.
fn levels_from_the_command_line() -> Scenario {
    Scenario::new("levels-command-line", LEVELS, levels_tenant()).with_policy(|p| {
        p.cli_levels
            .push((Code::FieldEmpty, Severity::Level(Level::Error)));
        p.cli_levels
            .push((Code::LifecycleStatusNotVisible, Severity::Allow));
        p.cli_levels
            .push((Code::FieldInOtherCategory, Severity::Level(Level::Warning)));
        p.strict = true;
    })
}

#[test]
fn matched_suppressions_accept_gaps_and_a_stale_one_is_reported() {
    let report = run(&suppressions());
    let suppressed: Vec<_> = report
        .suppressed
        .iter()
        .map(|s| (s.finding.code, s.reason.as_str()))
        .collect();
    assert_eq!(
        suppressed,
        [
            (
                Code::CategoryNotReadable,
                "Salaries are synced from the payroll provider."
            ),
            (
                Code::LifecycleStatusNotVisible,
                "The vendor never reads leavers."
            ),
        ]
    );
    assert_eq!(
        codes(&report),
        [Code::CategoryNotReadable, Code::SuppressionUnused]
    );
    let stale = finding(&report, Code::SuppressionUnused);
    assert_eq!(stale.level, Level::Warning);
    assert_eq!(stale.fields, ["work.startDate"]);
    says(&stale.message, "(rules line ");
    let salary = check(&report, "field:payroll.salary.base");
    assert_eq!(salary.status, CheckStatus::Pass);
    says(&salary.reason, "suppressed by the rules");
    assert_eq!(status(&report, "lifecycle:terminated"), CheckStatus::Pass);
    assert_eq!(status(&report, "field:work.title"), CheckStatus::Fail);
    assert_eq!(report.summary().suppressed, 2);
}

#[test]
fn an_incomplete_audit_calls_no_suppression_stale() {
    let report = run(&suppressions_incomplete());
    assert_eq!(codes(&report), [Code::UnexpectedResponse]);
    assert!(report.suppressed.is_empty());
    assert_eq!(report.outcome(), Outcome::Incomplete);
}

#[test]
fn the_rules_files_levels_change_and_drop_findings() {
    let report = run(&levels_from_the_rules());
    assert_eq!(
        codes(&report),
        [
            Code::LifecycleStatusNotVisible,
            Code::CategoryPartlyReadable,
            Code::FieldEmpty
        ]
    );
    let levels: Vec<_> = report.findings.iter().map(|f| f.level).collect();
    assert_eq!(levels, [Level::Error, Level::Warning, Level::Info]);
    assert_eq!(report.allowed, 1, "field-in-other-category is allowed");
    assert_eq!(status(&report, "lifecycle:terminated"), CheckStatus::Fail);
    assert_eq!(status(&report, "field:work.title"), CheckStatus::Warn);
    assert_eq!(status(&report, "field:work.startDate"), CheckStatus::Pass);
    assert_eq!(report.outcome(), Outcome::Fail);
}

#[test]
fn the_command_line_wins_over_the_rules_file_and_strict_comes_last() {
    let report = run(&levels_from_the_command_line());
    let found: Vec<_> = report.findings.iter().map(|f| (f.code, f.level)).collect();
    assert_eq!(
        found,
        [
            (Code::CategoryPartlyReadable, Level::Error),
            (Code::FieldEmpty, Level::Error),
            (Code::FieldInOtherCategory, Level::Error),
        ]
    );
    assert_eq!(report.allowed, 1, "lifecycle-status-not-visible is allowed");
    assert_eq!(status(&report, "lifecycle:terminated"), CheckStatus::Pass);
    assert_eq!(status(&report, "field:work.startDate"), CheckStatus::Fail);
    assert_eq!(status(&report, "field:work.title"), CheckStatus::Fail);
}
