//! The pure core: `evaluate(rules, observations) -> Report`. No network, clock or environment.
//!
//! One module per area: `access` (credentials and the people search), `fields` (People's
//! data categories), `lifecycle` (the people condition), `timeoff`, `guide` (what the guide's
//! own steps leave out), `excess` (what is granted beyond the rules, with `check --excess`)
//! and `manual` (what only a person can confirm). Every finding passes the
//! severity policy (`crate::policy`) on its way into the report, and a check's status follows
//! what became of its finding.

mod access;
mod categories;
mod docs;
mod excess;
mod fields;
mod guide;
mod histories;
mod lifecycle;
mod manual;
mod timeoff;

use crate::observations::{CallOutcome, Observations};
use crate::policy::{Effect, Policy};
use crate::report::{Check, CheckStatus, Code, Finding, Level, Report, SuppressedFinding};
use crate::rules::Rules;

/// Collects checks and findings while the areas are evaluated, applying the policy.
pub(crate) struct Sink<'p> {
    policy: &'p Policy,
    used: Vec<bool>,
    checks: Vec<Check>,
    findings: Vec<Finding>,
    suppressed: Vec<SuppressedFinding>,
    allowed: usize,
    complete: bool,
    headline: Option<crate::report::Headline>,
}

impl Effect {
    /// A check's status when its finding came to this.
    pub(crate) fn status(&self) -> CheckStatus {
        match self {
            Effect::Reported(Level::Error) => CheckStatus::Fail,
            Effect::Reported(Level::Warning) => CheckStatus::Warn,
            Effect::Reported(Level::Info) | Effect::Suppressed(_) | Effect::Allowed => {
                CheckStatus::Pass
            }
        }
    }

    /// The fix a check carries: the finding's, when it is reported.
    pub(crate) fn fix(&self, fix: Option<String>) -> Option<String> {
        match self {
            Effect::Reported(_) => fix,
            _ => None,
        }
    }

    /// Appends why a gap does not count, to a check's reason.
    pub(crate) fn annotate(&self, reason: String) -> String {
        match self {
            Effect::Suppressed(why) => format!("{reason}; suppressed by the rules: {why}"),
            Effect::Allowed => format!("{reason}; allowed by the severity settings"),
            Effect::Reported(_) => reason,
        }
    }
}

impl<'p> Sink<'p> {
    fn new(policy: &'p Policy) -> Self {
        Sink {
            policy,
            used: vec![false; policy.suppressions.len()],
            checks: Vec::new(),
            findings: Vec::new(),
            suppressed: Vec::new(),
            allowed: 0,
            complete: true,
            headline: None,
        }
    }

    pub(crate) fn check(&mut self, check: Check) -> usize {
        self.checks.push(check);
        self.checks.len() - 1
    }

    /// Sets a check's status, reason and fix after its finding went through the policy.
    /// Replaces a check's reason, once more is known than when it was made.
    pub(crate) fn reword(&mut self, index: usize, reason: String) {
        if let Some(c) = self.checks.get_mut(index) {
            c.reason = reason;
        }
    }

    pub(crate) fn settle(&mut self, index: usize, effect: &Effect, fix: Option<String>) {
        if let Some(c) = self.checks.get_mut(index) {
            c.status = effect.status();
            c.reason = effect.annotate(std::mem::take(&mut c.reason));
            c.fix = effect.fix(fix);
        }
    }

    /// Passes a finding through the policy: suppressed (with its reason), allowed, or
    /// reported at its effective level.
    pub(crate) fn finding(&mut self, mut finding: Finding) -> Effect {
        if let Some(i) = self
            .policy
            .suppressions
            .iter()
            .position(|s| s.matches(&finding))
        {
            self.used[i] = true;
            let reason = self.policy.suppressions[i].reason.clone();
            self.suppressed.push(SuppressedFinding {
                finding,
                reason: reason.clone(),
            });
            return Effect::Suppressed(reason);
        }
        match self.policy.level(finding.code, finding.level) {
            None => {
                self.allowed += 1;
                Effect::Allowed
            }
            Some(level) => {
                finding.level = level;
                self.findings.push(finding);
                Effect::Reported(level)
            }
        }
    }

    /// Reports a finding as suppressed with `reason`, whatever the policy says: something the
    /// rules accept by name (`[[allow_extra]]`).
    pub(crate) fn suppress(&mut self, finding: Finding, reason: String) -> Effect {
        self.suppressed.push(SuppressedFinding {
            finding,
            reason: reason.clone(),
        });
        Effect::Suppressed(reason)
    }

    /// Adds a finding code to the check with this id, if there is one.
    pub(crate) fn tag(&mut self, id: &str, code: Code) {
        if let Some(c) = self.checks.iter_mut().find(|c| c.id == id)
            && !c.findings.contains(&code)
        {
            c.findings.push(code);
        }
    }

    /// Says why the audit could not proceed; the first cause stays.
    pub(crate) fn headline(&mut self, cause: String, fix: String) {
        if self.headline.is_none() {
            self.headline = Some(crate::report::Headline { cause, fix });
        }
    }

    pub(crate) fn incomplete(&mut self) {
        self.complete = false;
    }
}

/// Judges what the probes saw against what the rules require, with the rules file's own
/// levels and suppressions.
pub fn evaluate(rules: &Rules, observations: &Observations) -> Report {
    evaluate_with(rules, observations, &rules.policy())
}

/// Judges with an explicit policy (the rules file's, plus the command line's).
pub fn evaluate_with(rules: &Rules, observations: &Observations, policy: &Policy) -> Report {
    let mut sink = Sink::new(policy);
    let people = access::evaluate(observations, &mut sink);
    fields::evaluate(rules, observations, people.as_ref(), &mut sink);
    lifecycle::evaluate(rules, observations, people.as_ref(), &mut sink);
    timeoff::evaluate(rules, observations, &mut sink);
    histories::evaluate(rules, observations, &mut sink);
    docs::evaluate(rules, observations, &mut sink);
    guide::evaluate(rules, observations, people.as_ref(), &mut sink);
    excess::evaluate(rules, observations, people.as_ref(), &mut sink);
    manual::evaluate(rules, &mut sink);

    // A suppression that matched nothing is stale. Only judged when the audit ran to the end:
    // an incomplete audit may simply not have seen what it suppresses.
    if sink.complete {
        for (s, used) in policy.suppressions.iter().zip(sink.used.clone()) {
            // What only `check --excess` finds cannot be stale without it.
            if used || (s.code == Code::CategoryNotNeeded && !observations.excess) {
                continue;
            }
            let mut f = Finding::new(
                Code::SuppressionUnused,
                Level::Warning,
                format!(
                    "The suppression of {} (rules line {}) matched no finding: it is stale.",
                    s.describe(),
                    s.line
                ),
            );
            f.fix = Some("Remove it from the rules file, or correct its code and matchers (category, field, lifecycle_status, endpoint).".into());
            f.fields = s.field.iter().cloned().collect();
            f.category = s.category.clone();
            if let Some(level) = policy.level(f.code, f.level) {
                f.level = level;
                sink.findings.push(f);
            }
        }
    }

    let mut findings = sink.findings;
    findings.sort_by(|a, b| {
        b.level
            .cmp(&a.level)
            .then(a.code.cmp(&b.code))
            .then(a.category.cmp(&b.category))
            .then(a.fields.cmp(&b.fields))
            .then(a.endpoint.cmp(&b.endpoint))
    });
    Report {
        headline: sink.headline,
        checks: sink.checks,
        findings,
        suppressed: sink.suppressed,
        allowed: sink.allowed,
        complete: sink.complete,
        // The search's count, also when it answered with nobody (0): null only when it did
        // not answer.
        employees_visible: observations.people.as_ref().and_then(|p| match &p.outcome {
            CallOutcome::Answered(c) => Some(c.employees),
            _ => None,
        }),
    }
}

/// Why people data cannot be judged, when the search gave nothing to count.
pub(crate) fn unknown_reason(obs: &Observations) -> &'static str {
    match (
        &obs.metadata.outcome,
        obs.people.as_ref().map(|p| &p.outcome),
    ) {
        (CallOutcome::Answered(_), Some(CallOutcome::Answered(_))) => {
            "no employee is visible, so nothing can be seen"
        }
        (CallOutcome::Answered(_), Some(CallOutcome::Refused(_))) => {
            "the people search was refused"
        }
        (CallOutcome::Answered(_), _) => "the people search could not be completed",
        _ => "the field metadata could not be read, so nothing was probed",
    }
}

/// "N employee(s)".
pub(crate) fn employees(n: u64) -> String {
    count(n, "employee", "employees")
}

/// "1 row", "2 rows": a number with its noun, singular or plural.
pub(crate) fn count(n: u64, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// " Not in the guide: why." for requirements the guide does not ask for, grouped by why;
/// each group names its requirements unless one reason covers them all.
pub(crate) fn not_in_guide(items: &[(&str, Option<&str>)]) -> String {
    let mut groups: Vec<(&str, Vec<&str>)> = Vec::new();
    for (name, why) in items {
        let Some(why) = why else { continue };
        match groups.iter_mut().find(|(w, _)| w == why) {
            Some((_, names)) => names.push(name),
            None => groups.push((why, vec![name])),
        }
    }
    let all = groups.len() == 1 && groups[0].1.len() == items.len();
    groups
        .iter()
        .map(|(why, names)| {
            if all {
                format!(" Not in the guide: {why}.")
            } else {
                format!(" Not in the guide ({}): {why}.", names.join(", "))
            }
        })
        .collect()
}
