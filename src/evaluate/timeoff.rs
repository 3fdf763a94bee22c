//! Time-off permissions: one check per capability the rules require.
//!
//! A 200 means granted; a 403 (or a 401 after the credentials were proven) means missing; a
//! probe that could not run, or an answer that proves nothing, is unknown, with the reason.

use super::access::failed;
use super::{Sink, unknown_reason};
use crate::observations::{
    CallOutcome, Observations, Observed, ProbeRun, Refusal, TimeoffAnswer, TimeoffProbe,
};
use crate::permissions::TimeoffPermission;
use crate::report::{Check, CheckStatus, Code, Finding, Level};
use crate::rules::{Rules, TimeoffCapability as Cap, TimeoffNeed};

struct Spec<'r> {
    cap: Cap,
    probe: TimeoffProbe,
    what: &'static str,
    permission: TimeoffPermission,
    /// The guide's words for it, when they do not name HiBob's box.
    differs: Option<&'r str>,
}

impl Spec<'_> {
    /// "Your guide says 'X'; in HiBob this is Y." when the guide names the box otherwise.
    fn wording(&self) -> String {
        self.differs.map_or_else(String::new, |q| {
            format!(
                " Your guide says \"{q}\"; in HiBob this is {}.",
                self.permission.path()
            )
        })
    }
}

/// The probe that proves a capability.
pub(super) fn probe_of(cap: Cap) -> TimeoffProbe {
    match cap {
        Cap::WhosOut => TimeoffProbe::WhosOut,
        Cap::OutToday => TimeoffProbe::OutToday,
        Cap::Requests => TimeoffProbe::RequestChanges,
        Cap::PendingRequests => TimeoffProbe::WhosOutPending,
        Cap::PrivateRequests => TimeoffProbe::WhosOutPrivate,
        Cap::Balance => TimeoffProbe::Balance,
        Cap::PolicyTypes => TimeoffProbe::PolicyTypes,
    }
}

fn spec(need: &TimeoffNeed) -> Spec<'_> {
    let cap = need.capability;
    let probe = probe_of(cap);
    let permission = cap.permission();
    let what = match cap {
        Cap::WhosOut => "Who's out (GET /timeoff/whosout)",
        Cap::OutToday => "Out today (GET /timeoff/outtoday)",
        Cap::Requests => "Time-off requests (GET /timeoff/requests/changes)",
        Cap::PendingRequests => "Pending requests (includePending=true)",
        Cap::PrivateRequests => "Private-policy requests (includePrivate=true)",
        Cap::Balance => "Balances (GET /timeoff/employees/{id}/balance)",
        Cap::PolicyTypes => "Policy types (GET /timeoff/policy-types)",
    };
    Spec {
        cap,
        probe,
        what,
        permission,
        differs: need
            .source
            .guide_text
            .iter()
            .find(|q| !permission.named_by(q))
            .map(String::as_str),
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
    for need in &rule.require {
        let cap = need.capability;
        let s = spec(need);
        let verdict = match obs.timeoff(s.probe) {
            None => unknown("not probed", unknown_reason(obs)),
            Some(ProbeRun::NotRun(reason)) => unknown("not run", reason.clone()),
            Some(ProbeRun::Ran(observed)) => match cap {
                Cap::PrivateRequests | Cap::PendingRequests => {
                    compare(&s, observed, obs, need.level.unwrap_or(rule.level), sink)
                }
                _ => simple(&s, observed, need.level.unwrap_or(rule.level), sink),
            },
        };
        let mut codes = verdict.codes;
        if verdict.status == CheckStatus::Pass && s.differs.is_some() {
            codes.push(wording_differs(&s, sink));
        }
        let mut c = Check::new(format!("timeoff:{}", cap.as_str()), verdict.status, s.what)
            .sourced(&need.source);
        c.category = Some(
            if cap == Cap::PolicyTypes {
                "Features > Time off"
            } else {
                "Time off"
            }
            .into(),
        );
        c.permission = Some(s.permission.path());
        c.evidence = verdict.evidence;
        c.reason = verdict.reason;
        c.fix = verdict.fix;
        c.findings = codes;
        sink.check(c);
    }
}

/// The check passed, but the guide names the box in other words: say which box it is.
fn wording_differs(s: &Spec, sink: &mut Sink) -> Code {
    let mut f = Finding::new(
        Code::GuideWordingDiffers,
        Level::Info,
        format!("{} is granted.{}", s.what, s.wording()),
    );
    f.fix = Some(format!(
        "Nothing to change. When you set up another group from the guide, tick \"{}\" for this line.",
        s.permission.checkbox
    ));
    f.permission = Some(s.permission.path());
    sink.finding(f);
    Code::GuideWordingDiffers
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
    let mut f = Finding::new(
        code,
        level,
        format!(
            "HiBob refused {endpoint} (HTTP {}){how}: the service user lacks \"{}\".{}",
            r.status,
            s.permission.checkbox,
            s.wording()
        ),
    );
    f.fix = Some(format!("{}{}", s.permission.fix(), s.wording()));
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
