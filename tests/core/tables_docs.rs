//! Per-employee probes: section histories (employee tables) and docs folders.

use hibob_audit::observations::{
    CallOutcome, DocsAnswer, EmployeeTable as T, FailureKind, TableAnswer,
};
use hibob_audit::report::{CheckStatus, Code, Level, Outcome};

use crate::build::{DOCS, Tenant, failed, refused, rows};
use crate::scenario::{Scenario, check, codes, finding, findings, no_findings, run, says, status};

const TWO_FOLDERS: &str = r#"
[docs]
folders = ["Shared", "Confidential"]
"#;

fn answered<T>(answer: T) -> CallOutcome<T> {
    CallOutcome::Answered(answer)
}

fn documents(documents: u64, folders: &[&str]) -> DocsAnswer {
    DocsAnswer {
        documents,
        folders: folders.iter().map(|f| f.to_string()).collect(),
        empty: false,
    }
}

pub fn scenarios() -> Vec<Scenario> {
    vec![
        histories_proven(),
        histories_inconclusive(),
        histories_refused(),
        histories_restricted(),
        histories_not_answered(),
        docs_refused(),
        docs_folder_named(),
        docs_folders_not_named(),
        docs_empty(),
    ]
}

/// More than one row, or one row that is not the current one: the history is readable.
fn histories_proven() -> Scenario {
    Scenario::new(
        "histories-proven",
        r#"
[[histories]]
category = "Work"
[[histories]]
category = "Employment"
"#,
        Tenant::new()
            .table(T::Work, answered(rows(3, 2)))
            .table(T::Employment, answered(rows(1, 1))),
    )
}

/// One current row, no row, an answer without rows and a 404: nothing proven either way.
fn histories_inconclusive() -> Scenario {
    Scenario::new(
        "histories-inconclusive",
        r#"
[[histories]]
category = "Work"
[[histories]]
category = "Employment"
[[histories]]
category = "Lifecycle"
[[histories]]
category = "Payroll"
"#,
        Tenant::new()
            .table(T::Work, answered(rows(1, 0)))
            .table(T::Employment, answered(rows(0, 0)))
            .table(
                T::Lifecycle,
                answered(TableAnswer {
                    empty: true,
                    ..TableAnswer::default()
                }),
            )
            .table(
                T::Payroll,
                failed(
                    FailureKind::Response,
                    Some(404),
                    "HTTP 404, application/json, 40 bytes",
                ),
            ),
    )
}

/// A 403, and a 401 after the credentials were proven on a table the rules want at warning.
fn histories_refused() -> Scenario {
    Scenario::new(
        "histories-refused",
        r#"
[[histories]]
category = "Work"
[[histories]]
category = "Lifecycle"
level = "warning"
"#,
        Tenant::new()
            .table(T::Work, refused(403, false))
            .table(T::Lifecycle, refused(401, true)),
    )
}

/// Field-level permissions withhold the history of some columns.
fn histories_restricted() -> Scenario {
    Scenario::new(
        "histories-restricted",
        r#"
[[histories]]
category = "Employment"
"#,
        Tenant::new().table(
            T::Employment,
            answered(TableAnswer {
                rows: 2,
                other_rows: 1,
                restricted_history: vec!["salaryPayType".into(), "contract".into()],
                restricted_view: vec!["weeklyHours".into()],
                empty: false,
            }),
        ),
    )
}

/// A table call that was not made, and one that broke off.
fn histories_not_answered() -> Scenario {
    Scenario::new(
        "histories-not-answered",
        r#"
[[histories]]
category = "Work"
[[histories]]
category = "Payroll"
"#,
        Tenant::new()
            .table_not_run(T::Work, "no visible employee to ask about")
            .table(
                T::Payroll,
                failed(FailureKind::Transport, None, "the connection was reset"),
            ),
    )
}

fn docs_refused() -> Scenario {
    Scenario::new(
        "docs-refused",
        TWO_FOLDERS,
        Tenant::new().docs(refused(403, false)),
    )
}

/// Documents of the Shared folder came back, none of Confidential.
fn docs_folder_named() -> Scenario {
    Scenario::new(
        "docs-folder-named",
        TWO_FOLDERS,
        Tenant::new().docs(answered(documents(4, &["shared"]))),
    )
}

/// Documents came back without saying their folder.
fn docs_folders_not_named() -> Scenario {
    Scenario::new(
        "docs-folders-not-named",
        TWO_FOLDERS,
        Tenant::new().docs(answered(documents(3, &[]))),
    )
}

fn docs_empty() -> Scenario {
    Scenario::new(
        "docs-empty",
        TWO_FOLDERS,
        Tenant::new().docs(answered(documents(0, &[]))),
    )
}

#[test]
fn rows_beyond_the_current_one_prove_the_history() {
    let report = run(&histories_proven());
    no_findings(&report);
    assert_eq!(status(&report, "history:work"), CheckStatus::Pass);
    assert_eq!(status(&report, "history:employment"), CheckStatus::Pass);
    assert_eq!(
        check(&report, "history:work").evidence,
        "3 rows, 2 not current"
    );
}

#[test]
fn one_row_or_none_proves_nothing() {
    let report = run(&histories_inconclusive());
    no_findings(&report);
    for (id, evidence) in [
        ("history:work", "1 row"),
        ("history:employment", "0 rows"),
        ("history:lifecycle", "HTTP 200, no rows list"),
        ("history:salaries", "HTTP 404"),
    ] {
        let c = check(&report, id);
        assert_eq!(c.status, CheckStatus::Unknown, "{id}");
        assert_eq!(c.evidence, evidence, "{id}");
    }
    assert_eq!(report.outcome(), Outcome::Pass);
}

#[test]
fn a_refused_table_misses_its_section_history() {
    let report = run(&histories_refused());
    let found = findings(&report, Code::SectionHistoryMissing);
    assert_eq!(found.len(), 2);
    let lifecycle = found
        .iter()
        .find(|f| f.category.as_deref() == Some("Lifecycle"))
        .expect("the Lifecycle table's finding");
    assert_eq!(lifecycle.level, Level::Warning);
    assert_eq!(lifecycle.evidence.http_status, Some(401));
    assert_eq!(
        lifecycle.permission.as_deref(),
        Some(
            "People's data > People > Lifecycle > View selected employees' Lifecycle section histories"
        )
    );
    assert_eq!(status(&report, "history:work"), CheckStatus::Fail);
    assert_eq!(status(&report, "history:lifecycle"), CheckStatus::Warn);
}

#[test]
fn restricted_history_columns_fail_the_check() {
    let report = run(&histories_restricted());
    let f = finding(&report, Code::SectionHistoryMissing);
    says(&f.message, "salaryPayType, contract");
    assert!(!f.message.contains("weeklyHours"), "{}", f.message);
    assert_eq!(status(&report, "history:employment"), CheckStatus::Fail);
}

#[test]
fn a_table_not_asked_or_not_answered_is_unknown() {
    let report = run(&histories_not_answered());
    assert_eq!(codes(&report), [Code::RequestFailed]);
    assert_eq!(check(&report, "history:work").evidence, "not run");
    assert_eq!(status(&report, "history:work"), CheckStatus::Unknown);
    assert_eq!(status(&report, "history:salaries"), CheckStatus::Unknown);
    assert_eq!(report.outcome(), Outcome::Incomplete);
}

#[test]
fn a_refused_docs_list_fails_every_folder() {
    let report = run(&docs_refused());
    let found = findings(&report, Code::DocsPermissionMissing);
    let categories: Vec<_> = found.iter().map(|f| f.category.as_deref()).collect();
    assert_eq!(
        categories,
        [Some("Docs > Confidential"), Some("Docs > Shared")]
    );
    assert!(found.iter().all(|f| f.endpoint.as_deref() == Some(DOCS)));
    assert_eq!(status(&report, "docs:shared"), CheckStatus::Fail);
    assert_eq!(status(&report, "docs:confidential"), CheckStatus::Fail);
}

#[test]
fn a_document_that_names_its_folder_proves_that_folder_only() {
    let report = run(&docs_folder_named());
    no_findings(&report);
    assert_eq!(status(&report, "docs:shared"), CheckStatus::Pass);
    let c = check(&report, "docs:confidential");
    assert_eq!(c.status, CheckStatus::Unknown);
    assert_eq!(c.evidence, "4 document(s), none in Confidential");
}

#[test]
fn documents_without_folders_prove_no_folder() {
    let report = run(&docs_folders_not_named());
    for id in ["docs:shared", "docs:confidential"] {
        let c = check(&report, id);
        assert_eq!(c.status, CheckStatus::Unknown, "{id}");
        assert_eq!(c.evidence, "3 document(s), folders not named");
    }
}

#[test]
fn no_document_proves_nothing() {
    let report = run(&docs_empty());
    for id in ["docs:shared", "docs:confidential"] {
        let c = check(&report, id);
        assert_eq!(c.status, CheckStatus::Unknown, "{id}");
        assert_eq!(c.evidence, "0 documents");
    }
}
