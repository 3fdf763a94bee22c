//! Time off: one check per capability, judged by its call.

use hibob_audit::observations::{FailureKind, TimeoffAnswer, TimeoffProbe as P};
use hibob_audit::report::{CheckStatus, Code, Level, Outcome};

use crate::build::{Tenant, failed, outs, refused};
use crate::scenario::{Scenario, check, codes, finding, findings, no_findings, run, says, status};

const ALL: &str = r#"
[timeoff]
require = [
  "whos-out", "out-today", "requests", "pending-requests", "private-requests",
  { capability = "balance", level = "warning" }, "policy-types",
]
"#;

fn answered<T>(answer: T) -> hibob_audit::observations::CallOutcome<T> {
    hibob_audit::observations::CallOutcome::Answered(answer)
}

pub fn scenarios() -> Vec<Scenario> {
    vec![
        granted(),
        refusals(),
        inconclusive(),
        whos_out_refused(),
        failures(),
    ]
}

/// Every call answered; the private and pending calls found more absences than the default.
fn granted() -> Scenario {
    Scenario::new(
        "timeoff-granted",
        ALL,
        Tenant::new()
            .timeoff(
                P::PolicyTypes,
                answered(TimeoffAnswer::PolicyTypes(vec![
                    "Holiday".into(),
                    "Sick".into(),
                ])),
            )
            .timeoff(P::WhosOut, answered(outs(3)))
            .timeoff(P::WhosOutPrivate, answered(outs(5)))
            .timeoff(P::WhosOutPending, answered(outs(4)))
            .timeoff(P::OutToday, answered(outs(1)))
            .timeoff(
                P::RequestChanges,
                answered(TimeoffAnswer::Changes { count: 6 }),
            )
            .timeoff(P::Balance, answered(TimeoffAnswer::Balance)),
    )
}

/// Refusals: 403, a 401 after the credentials were proven (with and without a body that
/// names a permission), and the policy types' Features permission.
fn refusals() -> Scenario {
    Scenario::new(
        "timeoff-refused",
        ALL,
        Tenant::new()
            .timeoff(P::PolicyTypes, refused(403, false))
            .timeoff(P::WhosOut, answered(outs(3)))
            .timeoff(P::WhosOutPrivate, refused(403, true))
            .timeoff(P::WhosOutPending, refused(401, false))
            .timeoff(P::OutToday, refused(403, false))
            .timeoff(P::RequestChanges, refused(401, true))
            .timeoff(P::Balance, refused(403, false)),
    )
}

/// Answers that prove nothing: 404, 400, 200 without data, the same absences with and
/// without a flag, and a probe that could not run.
fn inconclusive() -> Scenario {
    Scenario::new(
        "timeoff-inconclusive",
        ALL,
        Tenant::new()
            .timeoff(P::PolicyTypes, answered(TimeoffAnswer::Empty))
            .timeoff(P::WhosOut, answered(outs(2)))
            .timeoff(P::WhosOutPrivate, answered(outs(2)))
            .timeoff(P::WhosOutPending, answered(outs(2)))
            .timeoff(
                P::OutToday,
                failed(
                    FailureKind::Response,
                    Some(404),
                    "HTTP 404, application/json, 40 bytes",
                ),
            )
            .timeoff(
                P::RequestChanges,
                failed(
                    FailureKind::Response,
                    Some(400),
                    "HTTP 400, application/json, 60 bytes",
                ),
            )
            .timeoff_not_run(
                P::Balance,
                "no policy type name is known: the policy types could not be read, the rules name none (timeoff.policy_types), and nobody was out",
            ),
    )
}

/// The plain who's-out call refused: the calls with a flag are not made.
fn whos_out_refused() -> Scenario {
    let not_made = "the plain who's-out call was refused (\"See who's out\" is missing), so this one was not made";
    Scenario::new(
        "timeoff-whos-out-refused",
        r#"
[timeoff]
require = ["whos-out", "private-requests", "pending-requests"]
"#,
        Tenant::new()
            .timeoff(P::WhosOut, refused(403, false))
            .timeoff_not_run(P::WhosOutPrivate, not_made)
            .timeoff_not_run(P::WhosOutPending, not_made),
    )
}

/// Calls that could not be completed leave the audit incomplete; the private call has no
/// default to be compared with.
fn failures() -> Scenario {
    Scenario::new(
        "timeoff-failed",
        r#"
[timeoff]
require = ["whos-out", "private-requests", "balance"]
"#,
        Tenant::new()
            .timeoff(
                P::WhosOut,
                failed(
                    FailureKind::ServerError,
                    Some(500),
                    "HTTP 500, application/json, 30 bytes",
                ),
            )
            .timeoff(P::WhosOutPrivate, answered(outs(4)))
            .timeoff(
                P::Balance,
                failed(FailureKind::Timeout, None, "no answer within 30 s"),
            ),
    )
}

const IDS: [&str; 7] = [
    "timeoff:whos-out",
    "timeoff:out-today",
    "timeoff:requests",
    "timeoff:pending-requests",
    "timeoff:private-requests",
    "timeoff:balance",
    "timeoff:policy-types",
];

#[test]
fn every_answered_capability_passes() {
    let report = run(&granted());
    no_findings(&report);
    for id in IDS {
        assert_eq!(status(&report, id), CheckStatus::Pass, "{id}");
    }
    assert_eq!(
        check(&report, "timeoff:private-requests").evidence,
        "5 with includePrivate=true, 3 without"
    );
    assert_eq!(
        check(&report, "timeoff:pending-requests").evidence,
        "4 with includePending=true, 3 without"
    );
}

#[test]
fn every_refused_capability_names_its_box() {
    let report = run(&refusals());
    assert_eq!(status(&report, "timeoff:whos-out"), CheckStatus::Pass);
    for id in IDS.iter().filter(|id| **id != "timeoff:whos-out") {
        let expected = if *id == "timeoff:balance" {
            CheckStatus::Warn
        } else {
            CheckStatus::Fail
        };
        assert_eq!(status(&report, id), expected, "{id}");
    }
    let feature = finding(&report, Code::FeaturePermissionMissing);
    assert_eq!(
        feature.endpoint.as_deref(),
        Some("GET /timeoff/policy-types")
    );
    let missing = findings(&report, Code::TimeoffPermissionMissing);
    assert_eq!(missing.len(), 5);
    let pending = missing
        .iter()
        .find(|f| {
            f.evidence.http_status == Some(401)
                && f.endpoint
                    .as_deref()
                    .is_some_and(|e| e.contains("includePending"))
        })
        .expect("the pending call's 401");
    says(
        &pending.message,
        "a 401 after the credentials were accepted",
    );
    let requests = missing
        .iter()
        .find(|f| f.endpoint.as_deref() == Some("GET /timeoff/requests/changes"))
        .expect("the requests call's 401");
    assert!(
        !requests.message.contains("after the credentials"),
        "a 401 naming a permission needs no explanation: {}",
        requests.message
    );
    let balance = missing
        .iter()
        .find(|f| f.endpoint.as_deref() == Some("GET /timeoff/employees/{id}/balance"))
        .expect("the balance refusal");
    assert_eq!(balance.level, Level::Warning, "the capability's own level");
    assert_eq!(report.outcome(), Outcome::Fail);
}

#[test]
fn answers_that_prove_nothing_are_unknown_with_their_reason() {
    let report = run(&inconclusive());
    no_findings(&report);
    assert_eq!(status(&report, "timeoff:whos-out"), CheckStatus::Pass);
    for (id, evidence) in [
        ("timeoff:policy-types", "HTTP 200, no data"),
        (
            "timeoff:private-requests",
            "2 with includePrivate=true, 2 without",
        ),
        (
            "timeoff:pending-requests",
            "2 with includePending=true, 2 without",
        ),
        ("timeoff:out-today", "HTTP 404"),
        ("timeoff:requests", "HTTP 400"),
        ("timeoff:balance", "not run"),
    ] {
        let c = check(&report, id);
        assert_eq!(c.status, CheckStatus::Unknown, "{id}");
        assert_eq!(c.evidence, evidence, "{id}");
    }
    assert_eq!(
        report.outcome(),
        Outcome::Pass,
        "nothing is claimed missing"
    );
}

#[test]
fn a_refused_whos_out_leaves_the_flagged_calls_unmade() {
    let report = run(&whos_out_refused());
    assert_eq!(codes(&report), [Code::TimeoffPermissionMissing]);
    assert_eq!(status(&report, "timeoff:whos-out"), CheckStatus::Fail);
    for id in ["timeoff:private-requests", "timeoff:pending-requests"] {
        let c = check(&report, id);
        assert_eq!(c.status, CheckStatus::Unknown, "{id}");
        says(&c.reason, "was not made");
    }
}

#[test]
fn calls_without_an_answer_leave_the_audit_incomplete() {
    let report = run(&failures());
    assert_eq!(
        codes(&report),
        [Code::RequestFailed, Code::UnexpectedResponse]
    );
    assert_eq!(report.outcome(), Outcome::Incomplete);
    for id in ["timeoff:whos-out", "timeoff:balance"] {
        assert_eq!(status(&report, id), CheckStatus::Unknown, "{id}");
    }
    let private = check(&report, "timeoff:private-requests");
    assert_eq!(private.status, CheckStatus::Unknown);
    says(&private.reason, "nothing to compare with");
}
