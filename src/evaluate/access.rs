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
            sink.headline(
                format!(
                    "HiBob rejected the service user's ID or token: HTTP 401 on {}, a call that needs no permission.",
                    metadata.endpoint
                ),
                f.fix.clone().unwrap_or_default(),
            );
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
            sink.headline(
                format!(
                    "HiBob refused the one call that needs no permission (HTTP {} on {}): an IP allow-list most likely blocks this machine.",
                    r.status, metadata.endpoint
                ),
                f.fix.clone().unwrap_or_default(),
            );
            sink.finding(f);
            (
                CheckStatus::Fail,
                format!("HTTP {}", r.status),
                "refused before any permission applies".to_string(),
                vec![Code::EndpointForbidden],
            )
        }
        CallOutcome::Failed(failure) => {
            lead(&metadata.endpoint, failure, sink);
            unfinished(&metadata.endpoint, failure, sink)
        }
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
            lead(&people.endpoint, failure, sink);
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

/// The audit could not proceed past this call: its cause leads the human report.
fn lead(endpoint: &str, failure: &Failure, sink: &mut Sink) {
    let (cause, fix) = cause(failure.kind);
    sink.headline(
        format!("{cause} ({endpoint}: {})", failure.detail),
        fix.to_string(),
    );
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

/// What went wrong, as a headline, and what to do, for each kind of failure.
pub(super) fn cause(kind: FailureKind) -> (&'static str, &'static str) {
    match kind {
        FailureKind::Dns => (
            "The host could not be resolved: its name is wrong, or DNS is not reachable from here.",
            "Check --base-url (https://api.hibob.com/v1, or --sandbox) and this machine's DNS and network, then run again.",
        ),
        FailureKind::Connect => (
            "The host could not be reached: the connection was refused or timed out before it opened.",
            "Check the network, any proxy (HTTPS_PROXY) or firewall, and --base-url, then run again.",
        ),
        FailureKind::Certificate => (
            "The server's TLS certificate was refused: it is self-signed, expired or for another host, or a proxy intercepts TLS.",
            "Check --base-url; behind a TLS-intercepting proxy, run from a network without it. The audit never skips certificate checks.",
        ),
        FailureKind::Tls => (
            "The TLS handshake with the host failed.",
            "Check --base-url and any proxy between this machine and HiBob, then run again.",
        ),
        FailureKind::Timeout => (
            "HiBob did not answer in time.",
            "Run again later, or raise --timeout (per request) or --deadline (the whole audit).",
        ),
        FailureKind::Transport => (
            "The connection to HiBob broke before the answer was complete.",
            "Check the network and any proxy (HTTPS_PROXY), then run again.",
        ),
        FailureKind::NotJson => (
            "The URL answers with a web page, not HiBob's API (HiBob answers unknown paths with its login page).",
            "Check that --base-url points at HiBob's API: https://api.hibob.com/v1, or --sandbox; it ends in /v1.",
        ),
        FailureKind::Malformed => (
            "HiBob's answer could not be read: the JSON is malformed or cut off.",
            "Run again; if it persists, a proxy may alter answers, or HiBob has a problem: check HiBob's status page.",
        ),
        FailureKind::ServerError => (
            "HiBob is having trouble: it answered with a server error.",
            "HiBob had a server error: run again later; if it persists, check HiBob's status page.",
        ),
        FailureKind::RateLimited => (
            "HiBob rate-limited the audit, and the wait it asked for did not fit the deadline.",
            "HiBob limits each endpoint to about 50 calls a minute: wait a minute and run again.",
        ),
        FailureKind::Response => (
            "HiBob answered with a status the audit cannot use.",
            "Check that --base-url points at HiBob's API (https://api.hibob.com/v1, or --sandbox), then run again.",
        ),
        FailureKind::NotRecorded => (
            "The recording has no answer for a call these rules need.",
            "A recording holds what every shipped profile needs; these rules need more. Record again with them (hibob-audit check --rules PATH --record FILE, with --excess too when the replay uses it), then replay the new recording.",
        ),
        FailureKind::TooLarge => (
            "An answer was larger than its limit, so reading stopped.",
            "Check that --base-url points at HiBob's API. If the tenant really is this large, raise the limit with --max-answer-size ENDPOINT=SIZE (docs/reliability.md); memory grows with it.",
        ),
    }
}

/// A call that could not be completed: the audit is incomplete.
pub(super) fn failed(endpoint: &str, failure: &Failure, sink: &mut Sink) -> Code {
    sink.incomplete();
    let code = match failure.kind {
        FailureKind::NotRecorded => Code::CallNotRecorded,
        k if k.is_transport() => Code::RequestFailed,
        _ => Code::UnexpectedResponse,
    };
    let fix = cause(failure.kind).1;
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
