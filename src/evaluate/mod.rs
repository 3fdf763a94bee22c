//! The pure core: `evaluate(rules, observations) -> Report`. No network, clock or environment.
//!
//! One module per area: `access` (credentials and the people search), `fields` (People's
//! data categories).

mod access;
mod fields;
mod lifecycle;
mod timeoff;

use crate::observations::{CallOutcome, Observations};
use crate::report::{Check, Finding, Report};
use crate::rules::Rules;

/// Collects checks and findings while the areas are evaluated.
#[derive(Default)]
pub(crate) struct Sink {
    checks: Vec<Check>,
    findings: Vec<Finding>,
    complete: bool,
}

impl Sink {
    pub(crate) fn check(&mut self, check: Check) {
        self.checks.push(check);
    }

    pub(crate) fn finding(&mut self, finding: Finding) {
        self.findings.push(finding);
    }

    pub(crate) fn incomplete(&mut self) {
        self.complete = false;
    }
}

/// Judges what the probes saw against what the rules require.
pub fn evaluate(rules: &Rules, observations: &Observations) -> Report {
    let mut sink = Sink {
        complete: true,
        ..Sink::default()
    };
    let people = access::evaluate(observations, &mut sink);
    fields::evaluate(rules, observations, people.as_ref(), &mut sink);
    lifecycle::evaluate(rules, observations, people.as_ref(), &mut sink);
    timeoff::evaluate(rules, observations, &mut sink);

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
        checks: sink.checks,
        findings,
        complete: sink.complete,
        employees_visible: people.map(|p| p.employees),
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
    if n == 1 {
        "1 employee".to_string()
    } else {
        format!("{n} employees")
    }
}
