//! Can the service user get in, and can it search people at all?

use super::{Sink, employees};
use crate::observations::{
    CallOutcome, Failure, FailureKind, Observations, Observed, PeopleCounts,
};
use crate::report::{Check, CheckStatus, Code, Evidence, Finding, Level};

/// Adds the `credentials` and `people-search` checks. Returns the counts when the search
/// answered with at least one employee.
pub(super) fn evaluate(obs: &Observations, sink: &mut Sink) -> Option<PeopleCounts> {
    credentials(&obs.metadata, sink);
    people_search(obs, sink)
}

fn credentials(metadata: &Observed<crate::observations::FieldCatalog>, sink: &mut Sink) {
    let what = format!("Service user accepted ({})", metadata.endpoint);
    let mut fix = None;
    let (status, evidence, reason, codes) = match &metadata.outcome {
        CallOutcome::Answered(catalog) => (
            CheckStatus::Pass,
            format!("{} fields in the tenant's metadata", catalog.total),
            "the metadata call needs no permission; it answered, so host and credentials work"
                .to_string(),
            vec![],
        ),
        CallOutcome::Refused(r) if r.status == 401 => {
            sink.incomplete();
            let mut f = Finding::new(
                Code::CredentialsRejected,
                Level::Error,
                format!(
                    "HiBob rejected the service user's credentials: HTTP 401 on {}, which needs no permission. Probing stopped at once, because HiBob blocks callers after repeated 401s.",
                    metadata.endpoint
                ),
            );
            f.fix = Some("Check the service-user ID and token (HiBob: Settings > Integrations > Service users). Production and sandbox have separate service users: add --sandbox for a sandbox user. A lost token cannot be shown again: reset it there.".into());
            f.endpoint = Some(metadata.endpoint.clone());
            f.evidence.http_status = Some(401);
            fix = f.fix.clone();
            sink.finding(f);
            (
                CheckStatus::Fail,
                "HTTP 401".to_string(),
                "the ID or token is wrong".to_string(),
                vec![Code::CredentialsRejected],
            )
        }
        CallOutcome::Refused(r) => {
            sink.incomplete();
            let mut f = Finding::new(
                Code::EndpointForbidden,
                Level::Error,
                format!(
                    "HiBob refused {} (HTTP {}), a call that needs no permission. Probing stopped.",
                    metadata.endpoint, r.status
                ),
            );
            f.fix = Some("An IP allow-list on the HiBob account may block this machine: run from an allowed address, or ask the HiBob admin to allow it.".into());
            f.endpoint = Some(metadata.endpoint.clone());
            f.evidence.http_status = Some(r.status);
            fix = f.fix.clone();
            sink.finding(f);
            (
                CheckStatus::Fail,
                format!("HTTP {}", r.status),
                "refused before any permission applies".to_string(),
                vec![Code::EndpointForbidden],
            )
        }
        CallOutcome::Failed(failure) => unfinished(&metadata.endpoint, failure, sink),
    };
    sink.check(Check {
        id: "credentials".into(),
        status,
        category: None,
        what,
        evidence,
        reason,
        fix,
        findings: codes,
        permission: None,
        guide_text: Vec::new(),
        inferred: None,
    });
}

fn people_search(obs: &Observations, sink: &mut Sink) -> Option<PeopleCounts> {
    let what = "People search (POST /people/search)".to_string();
    let Some(people) = &obs.people else {
        sink.check(Check {
            id: "people-search".into(),
            status: CheckStatus::Unknown,
            category: None,
            what,
            evidence: "not called".into(),
            reason: "not run: the metadata call did not succeed".into(),
            fix: None,
            findings: vec![],
            permission: None,
            guide_text: Vec::new(),
            inferred: None,
        });
        return None;
    };
    let mut fix = None;
    let (status, evidence, reason, codes, counts) = match &people.outcome {
        CallOutcome::Answered(counts) if counts.employees == 0 => {
            let mut f = Finding::new(
                Code::NoEmployeesVisible,
                Level::Error,
                format!(
                    "{} answered, but with no employee: the permission group selects nobody, or grants no People's data category at all.",
                    people.endpoint
                ),
            );
            f.fix = Some(format!(
                "In HiBob, open {} > {}: choose Select people by condition and add the lifecycle statuses the integration needs; tick at least one People's data category; and check that the service user is one of the group's members.",
                crate::permissions::GROUP_PATH,
                crate::permissions::ACCESS_RIGHTS
            ));
            f.endpoint = Some(people.endpoint.clone());
            f.evidence.employees = Some(0);
            let found_fix = f.fix.clone();
            let effect = sink.finding(f);
            fix = effect.fix(found_fix);
            (
                effect.status(),
                "0 employees visible".to_string(),
                effect.annotate("no employee came back".to_string()),
                vec![Code::NoEmployeesVisible],
                None,
            )
        }
        CallOutcome::Answered(counts) => (
            CheckStatus::Pass,
            format!("{} visible", employees(counts.employees)),
            "the search answered".to_string(),
            vec![],
            Some(counts.clone()),
        ),
        CallOutcome::Refused(r) => {
            let mut f = Finding::new(
                Code::EndpointForbidden,
                Level::Error,
                format!(
                    "HiBob refused {} (HTTP {}{}): the service user may not search people.",
                    people.endpoint,
                    r.status,
                    if r.mentions_permission {
                        ", naming a missing permission"
                    } else {
                        ""
                    }
                ),
            );
            f.fix = Some(format!(
                "A new service user has no permissions. In HiBob, put it in a permission group ({}), and grant People's data there: {} and at least the People categories the integration reads.",
                crate::permissions::GROUP_PATH,
                crate::permissions::ACCESS_RIGHTS
            ));
            f.endpoint = Some(people.endpoint.clone());
            f.permission = Some("People's data > People".into());
            f.evidence.http_status = Some(r.status);
            let found_fix = f.fix.clone();
            let effect = sink.finding(f);
            fix = effect.fix(found_fix);
            (
                effect.status(),
                format!("HTTP {}", r.status),
                effect.annotate("refused".to_string()),
                vec![Code::EndpointForbidden],
                None,
            )
        }
        CallOutcome::Failed(failure) => {
            let (status, evidence, reason, codes) = unfinished(&people.endpoint, failure, sink);
            (status, evidence, reason, codes, None)
        }
    };
    sink.check(Check {
        id: "people-search".into(),
        status,
        category: None,
        what,
        evidence,
        reason,
        fix,
        findings: codes,
        permission: None,
        guide_text: Vec::new(),
        inferred: None,
    });
    counts
}

/// A check whose call could not be completed: unknown, with the failure's finding.
fn unfinished(
    endpoint: &str,
    failure: &Failure,
    sink: &mut Sink,
) -> (CheckStatus, String, String, Vec<Code>) {
    let code = failed(endpoint, failure, sink);
    (
        CheckStatus::Unknown,
        failure
            .status
            .map_or("no answer".into(), |s| format!("HTTP {s}")),
        "the call could not be completed".to_string(),
        vec![code],
    )
}

/// A call that could not be completed: the audit is incomplete.
pub(super) fn failed(endpoint: &str, failure: &Failure, sink: &mut Sink) -> Code {
    sink.incomplete();
    let (code, fix) = match (failure.kind, failure.status) {
        (FailureKind::NotRecorded, _) => (
            Code::CallNotRecorded,
            "A recording holds what every shipped profile needs; these rules need more. Record again with them (hibob-audit check --rules PATH --record FILE, with --excess too when the replay uses it), then replay the new recording.",
        ),
        (FailureKind::Transport, _) => (
            Code::RequestFailed,
            "Check the network, any proxy (HTTPS_PROXY) and --base-url, then run again.",
        ),
        (FailureKind::TooLarge, _) => (
            Code::UnexpectedResponse,
            "Check that --base-url points at HiBob's API. If the tenant really is this large, raise the limit with --max-answer-size ENDPOINT=SIZE (docs/reliability.md); memory grows with it.",
        ),
        (_, Some(429)) => (
            Code::UnexpectedResponse,
            "HiBob limits each endpoint to about 50 calls a minute: wait a minute and run again.",
        ),
        (_, Some(s)) if s >= 500 => (
            Code::UnexpectedResponse,
            "HiBob had a server error: run again later; if it persists, check HiBob's status page.",
        ),
        _ => (
            Code::UnexpectedResponse,
            "Check that --base-url points at HiBob's API (https://api.hibob.com/v1, or --sandbox), then run again.",
        ),
    };
    let mut f = Finding::new(
        code,
        Level::Error,
        format!("{endpoint} could not be completed: {}.", failure.detail),
    );
    f.fix = Some(fix.into());
    f.endpoint = Some(endpoint.to_string());
    f.evidence = Evidence {
        http_status: failure.status,
        ..Evidence::default()
    };
    sink.finding(f);
    code
}
