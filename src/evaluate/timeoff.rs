//! Time-off permissions: one check per capability the rules require.
//!
//! A 200 means granted; a 403 (or a 401 after the credentials were proven) means missing; a
//! probe that could not run, or an answer that proves nothing, is unknown, with the reason.

use super::access::failed;
use super::{Sink, unknown_reason};
use crate::observations::{
    CallOutcome, Observations, Observed, ProbeRun, Refusal, TimeoffAnswer, TimeoffProbe,
};
use crate::permissions::{self, TimeoffPermission};
use crate::report::{Check, CheckStatus, Code, Finding, Level};
use crate::rules::{Rules, TimeoffCapability as Cap};

struct Spec {
    cap: Cap,
    probe: TimeoffProbe,
    what: &'static str,
    permission: TimeoffPermission,
}

fn spec(cap: Cap) -> Spec {
    let (probe, what, permission) = match cap {
        Cap::WhosOut => (
            TimeoffProbe::WhosOut,
            "Who's out (GET /timeoff/whosout)",
            permissions::WHOS_OUT,
        ),
        Cap::OutToday => (
            TimeoffProbe::OutToday,
            "Out today (GET /timeoff/outtoday)",
            permissions::WHOS_OUT,
        ),
        Cap::Requests => (
            TimeoffProbe::RequestChanges,
            "Time-off requests (GET /timeoff/requests/changes)",
            permissions::WHOS_OUT,
        ),
        Cap::PendingRequests => (
            TimeoffProbe::WhosOutPending,
            "Pending requests (includePending=true)",
            permissions::PENDING_REQUESTS,
        ),
        Cap::PrivateRequests => (
            TimeoffProbe::WhosOutPrivate,
            "Private-policy requests (includePrivate=true)",
            permissions::PRIVATE_POLICY,
        ),
        Cap::Balance => (
            TimeoffProbe::Balance,
            "Balances (GET /timeoff/employees/{id}/balance)",
            permissions::BALANCE,
        ),
        Cap::PolicyTypes => (
            TimeoffProbe::PolicyTypes,
            "Policy types (GET /timeoff/policy-types)",
            permissions::TIMEOFF_SETTINGS,
        ),
    };
    Spec {
        cap,
        probe,
        what,
        permission,
    }
}

/// What one capability's check came to.
struct Verdict {
    status: CheckStatus,
    evidence: String,
    reason: String,
    codes: Vec<Code>,
    fix: Option<String>,
}

fn unknown(evidence: &str, reason: impl Into<String>) -> Verdict {
    Verdict {
        status: CheckStatus::Unknown,
        evidence: evidence.into(),
        reason: reason.into(),
        codes: vec![],
        fix: None,
    }
}

pub(super) fn evaluate(rules: &Rules, obs: &Observations, sink: &mut Sink) {
    let Some(rule) = &rules.timeoff else { return };
    for &cap in &rule.require {
        let s = spec(cap);
        let verdict = match obs.timeoff(s.probe) {
            None => unknown("not probed", unknown_reason(obs)),
            Some(ProbeRun::NotRun(reason)) => unknown("not run", reason.clone()),
            Some(ProbeRun::Ran(observed)) => match cap {
                Cap::PrivateRequests | Cap::PendingRequests => {
                    compare(&s, observed, obs, rule.level, sink)
                }
                _ => simple(&s, observed, rule.level, sink),
            },
        };
        sink.check(Check {
            id: format!("timeoff:{}", cap.as_str()),
            status: verdict.status,
            category: Some(
                if cap == Cap::PolicyTypes {
                    "Features > Time off"
                } else {
                    "Time off"
                }
                .into(),
            ),
            what: s.what.into(),
            evidence: verdict.evidence,
            reason: verdict.reason,
            fix: verdict.fix,
            findings: verdict.codes,
        });
    }
}

/// A refusal: the permission is missing.
fn refused(s: &Spec, endpoint: &str, r: &Refusal, level: Level, sink: &mut Sink) -> Verdict {
    let code = if s.cap == Cap::PolicyTypes {
        Code::FeaturePermissionMissing
    } else {
        Code::TimeoffPermissionMissing
    };
    let how = if r.status == 401 && !r.mentions_permission {
        " (a 401 after the credentials were accepted: HiBob refuses missing permissions so too)"
    } else {
        ""
    };
    let flag = match s.cap {
        Cap::PrivateRequests => " with includePrivate=true",
        Cap::PendingRequests => " with includePending=true",
        _ => "",
    };
    let mut f = Finding::new(
        code,
        level,
        format!(
            "HiBob refused {endpoint}{flag} (HTTP {}){how}: the service user lacks \"{}\".",
            r.status, s.permission.checkbox
        ),
    );
    f.fix = Some(s.permission.fix());
    f.endpoint = Some(endpoint.to_string());
    f.permission = Some(s.permission.path());
    f.evidence.http_status = Some(r.status);
    let fix = f.fix.clone();
    let effect = sink.finding(f);
    Verdict {
        status: effect.status(),
        evidence: format!("HTTP {}", r.status),
        reason: effect.annotate(format!("refused: \"{}\" is missing", s.permission.checkbox)),
        codes: vec![code],
        fix: effect.fix(fix),
    }
}

/// A call that did not answer usably: 400/404 prove nothing about permissions (unknown);
/// anything else leaves the audit incomplete.
fn not_answered(
    probe: TimeoffProbe,
    observed: &Observed<TimeoffAnswer>,
    sink: &mut Sink,
) -> Verdict {
    let CallOutcome::Failed(failure) = &observed.outcome else {
        return unknown("no answer", "the call did not answer");
    };
    match failure.status {
        Some(404) => unknown(
            "HTTP 404",
            if probe == TimeoffProbe::Balance {
                "HiBob answered 404: the employee has no such policy, or the Time off module is not enabled"
            } else {
                "HiBob answered 404: the Time off module may not be enabled for this tenant"
            },
        ),
        Some(400) => unknown(
            "HTTP 400",
            "HiBob answered 400 (bad parameters, e.g. a policy type the employee does not have): nothing can be concluded",
        ),
        status => {
            let code = failed(&observed.endpoint, failure, sink);
            Verdict {
                status: CheckStatus::Unknown,
                evidence: status.map_or("no answer".into(), |s| format!("HTTP {s}")),
                reason: "the call could not be completed".into(),
                codes: vec![code],
                fix: None,
            }
        }
    }
}

fn simple(s: &Spec, observed: &Observed<TimeoffAnswer>, level: Level, sink: &mut Sink) -> Verdict {
    match &observed.outcome {
        CallOutcome::Refused(r) => refused(s, &observed.endpoint, r, level, sink),
        CallOutcome::Failed(_) => not_answered(s.probe, observed, sink),
        CallOutcome::Answered(TimeoffAnswer::Empty) => unknown(
            "HTTP 200, no data",
            "HiBob answered 200 without the documented data: the permission may be missing; check it in HiBob",
        ),
        CallOutcome::Answered(answer) => Verdict {
            status: CheckStatus::Pass,
            evidence: match answer {
                TimeoffAnswer::Outs { count, .. } => format!("HTTP 200, {count} absence(s)"),
                TimeoffAnswer::Changes { count } => format!("HTTP 200, {count} change(s)"),
                TimeoffAnswer::PolicyTypes(names) => {
                    format!("HTTP 200, {} policy type(s)", names.len())
                }
                _ => "HTTP 200".into(),
            },
            reason: "answered, so the permission is granted".into(),
            codes: vec![],
            fix: None,
        },
    }
}

/// `includePrivate` / `includePending` against the default: more absences prove the
/// permission; the same number proves nothing.
fn compare(
    s: &Spec,
    observed: &Observed<TimeoffAnswer>,
    obs: &Observations,
    level: Level,
    sink: &mut Sink,
) -> Verdict {
    let extended = match &observed.outcome {
        CallOutcome::Refused(r) => return refused(s, &observed.endpoint, r, level, sink),
        CallOutcome::Failed(_) => return not_answered(s.probe, observed, sink),
        CallOutcome::Answered(TimeoffAnswer::Outs { count, .. }) => *count,
        CallOutcome::Answered(_) => {
            return unknown(
                "HTTP 200, no data",
                "HiBob answered without the list of absences",
            );
        }
    };
    let base = match obs.timeoff(TimeoffProbe::WhosOut) {
        Some(ProbeRun::Ran(Observed {
            outcome: CallOutcome::Answered(TimeoffAnswer::Outs { count, .. }),
            ..
        })) => *count,
        _ => {
            return unknown(
                &format!("{extended} absence(s)"),
                "the default who's-out call did not answer, so there is nothing to compare with",
            );
        }
    };
    let flag = if s.cap == Cap::PrivateRequests {
        "includePrivate=true"
    } else {
        "includePending=true"
    };
    if extended > base {
        return Verdict {
            status: CheckStatus::Pass,
            evidence: format!("{extended} with {flag}, {base} without"),
            reason: "more absences with the flag: they are visible, so the permission is granted"
                .into(),
            codes: vec![],
            fix: None,
        };
    }
    let what = if s.cap == Cap::PrivateRequests {
        "private-policy absence"
    } else {
        "pending request"
    };
    unknown(
        &format!("{extended} with {flag}, {base} without"),
        format!(
            "the same absences with and without {flag}: either no {what} falls in the window, or \"{}\" is missing (HiBob leaves them out silently); check the permission in HiBob",
            s.permission.checkbox
        ),
    )
}
