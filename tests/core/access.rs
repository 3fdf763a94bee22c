//! Getting in: the metadata call (credentials, IP allow-list, each kind of failure) and the
//! people search.

use hibob_audit::observations::{FailureKind, PeopleCounts};
use hibob_audit::report::{CheckStatus, Code, Level, Outcome};

use crate::build::{SEARCH, Tenant, failed, refused};
use crate::scenario::{Scenario, codes, finding, run, says, status};

/// Rules that need every kind of probe, so a stop at the metadata call shows them all unknown.
const EVERYTHING: &str = r#"
[[fields]]
id = "work.title"
purpose = "Job title"
[[categories]]
name = "Address"
[lifecycle]
statuses = ["Employed", "Terminated"]
[timeoff]
require = ["whos-out", "balance"]
[[histories]]
category = "Work"
[docs]
folders = ["Shared"]
[[manual]]
id = "members"
permission = "Group members: the service user only"
reason = "group membership is invisible to the API"
"#;

const ONE_FIELD: &str = r#"
[[fields]]
id = "work.title"
purpose = "Job title"
"#;

pub fn scenarios() -> Vec<Scenario> {
    let mut all = vec![
        credentials_rejected(),
        metadata_forbidden(),
        search_refused(),
        search_failed(),
        no_employees(),
    ];
    all.extend(metadata_failures().into_iter().map(|(s, _)| s));
    all
}

fn credentials_rejected() -> Scenario {
    Scenario::new(
        "credentials-rejected",
        EVERYTHING,
        Tenant::new().metadata(refused(401, false)),
    )
}

fn metadata_forbidden() -> Scenario {
    Scenario::new(
        "metadata-forbidden",
        ONE_FIELD,
        Tenant::new().metadata(refused(403, false)),
    )
}

/// The metadata call failed in each way a call can: no answer, an answer the audit cannot
/// read, and no answer in a recording; with the code each one gets.
fn metadata_failures() -> Vec<(Scenario, Code)> {
    [
        (
            "metadata-request-failed",
            FailureKind::Dns,
            None,
            "the host name could not be resolved",
            Code::RequestFailed,
        ),
        (
            "metadata-unexpected-response",
            FailureKind::NotJson,
            Some(200),
            "HTTP 200 with text/html (5 kB), not JSON",
            Code::UnexpectedResponse,
        ),
        (
            "metadata-not-recorded",
            FailureKind::NotRecorded,
            None,
            "the recording has no answer for this call",
            Code::CallNotRecorded,
        ),
    ]
    .into_iter()
    .map(|(name, kind, status, detail, code)| {
        let tenant = Tenant::new().metadata(failed(kind, status, detail));
        (Scenario::new(name, ONE_FIELD, tenant), code)
    })
    .collect()
}

fn search_refused() -> Scenario {
    Scenario::new(
        "search-refused",
        ONE_FIELD,
        Tenant::new().search(refused(403, true)),
    )
}

fn search_failed() -> Scenario {
    Scenario::new(
        "search-failed",
        ONE_FIELD,
        Tenant::new().search(failed(FailureKind::Timeout, None, "no answer within 30 s")),
    )
}

fn no_employees() -> Scenario {
    Scenario::new(
        "no-employees",
        ONE_FIELD,
        Tenant::new().search(hibob_audit::observations::CallOutcome::Answered(
            PeopleCounts::default(),
        )),
    )
}

#[test]
fn a_401_on_the_metadata_call_rejects_the_credentials_and_stops() {
    let report = run(&credentials_rejected());
    assert_eq!(codes(&report), [Code::CredentialsRejected]);
    assert_eq!(report.outcome(), Outcome::Incomplete);
    let headline = report.headline.as_ref().expect("a headline");
    says(&headline.cause, "401");
    assert_eq!(status(&report, "credentials"), CheckStatus::Fail);
    // Everything else was never probed: unknown, but for what only a person can confirm.
    for c in report.checks.iter().filter(|c| c.id != "credentials") {
        let expected = if c.id.starts_with("manual:") {
            CheckStatus::Manual
        } else {
            CheckStatus::Unknown
        };
        assert_eq!(c.status, expected, "{}", c.id);
    }
    assert!(report.checks.len() >= 9, "every kind of check is listed");
}

#[test]
fn a_403_on_the_metadata_call_blames_an_ip_allow_list() {
    let report = run(&metadata_forbidden());
    let f = finding(&report, Code::EndpointForbidden);
    assert_eq!(f.endpoint.as_deref(), Some("GET /company/people/fields"));
    assert_eq!(f.evidence.http_status, Some(403));
    let headline = report.headline.as_ref().expect("a headline");
    says(&headline.cause, "allow-list");
    assert_eq!(report.outcome(), Outcome::Incomplete);
}

/// Each kind of failure has its own code: no answer at all, an answer the audit cannot read,
/// and a replay without the call.
#[test]
fn a_failed_metadata_call_is_named_by_its_kind() {
    for (scenario, code) in metadata_failures() {
        let report = run(&scenario);
        assert_eq!(codes(&report), [code], "{}", scenario.name);
        assert_eq!(report.outcome(), Outcome::Incomplete, "{}", scenario.name);
        assert!(report.headline.is_some(), "{}", scenario.name);
        assert_eq!(status(&report, "credentials"), CheckStatus::Unknown);
        assert_eq!(status(&report, "people-search"), CheckStatus::Unknown);
        assert_eq!(status(&report, "field:work.title"), CheckStatus::Unknown);
    }
}

#[test]
fn a_refused_search_fails_and_names_people_data() {
    let report = run(&search_refused());
    let f = finding(&report, Code::EndpointForbidden);
    assert_eq!(f.endpoint.as_deref(), Some(SEARCH));
    says(&f.message, "naming a missing permission");
    assert_eq!(f.permission.as_deref(), Some("People's data > People"));
    assert_eq!(status(&report, "people-search"), CheckStatus::Fail);
    assert_eq!(status(&report, "field:work.title"), CheckStatus::Unknown);
    // The audit ran to its end: a refusal is an answer.
    assert_eq!(report.outcome(), Outcome::Fail);
    assert!(report.headline.is_none());
}

#[test]
fn a_search_without_answer_leaves_the_audit_incomplete() {
    let report = run(&search_failed());
    assert_eq!(codes(&report), [Code::RequestFailed]);
    assert_eq!(status(&report, "credentials"), CheckStatus::Pass);
    assert_eq!(status(&report, "people-search"), CheckStatus::Unknown);
    assert_eq!(report.outcome(), Outcome::Incomplete);
}

#[test]
fn a_search_that_sees_nobody_fails() {
    let report = run(&no_employees());
    let f = finding(&report, Code::NoEmployeesVisible);
    assert_eq!(f.level, Level::Error);
    assert_eq!(f.evidence.employees, Some(0));
    assert_eq!(status(&report, "people-search"), CheckStatus::Fail);
    assert_eq!(status(&report, "field:work.title"), CheckStatus::Unknown);
    // The search answered: nobody is a count (0), not "did not answer" (null).
    assert_eq!(report.employees_visible, Some(0));
    assert_eq!(report.outcome(), Outcome::Fail);
}
