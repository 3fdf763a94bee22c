//! The audit as one call: probe what the rules need, evaluate, return the report.
//!
//! Everything it touches comes in: the API (live, demo, recorder or replay), the rules and
//! their policy, the limits, today's date and a clock. What happens along the way (calls,
//! retries, waits) goes out through a callback; the command line draws it, tests collect it.

use crate::client::HiBobApi;
use crate::date::Date;
use crate::policy::Policy;
use crate::probes::{Event, Limits, Needs, clock::Clock};
use crate::report::Report;
use crate::rules::Rules;

/// One audit's inputs.
pub struct Audit<'a> {
    pub api: &'a dyn HiBobApi,
    pub rules: &'a Rules,
    /// The calls to make: [`Needs::of`] the rules, or [`Needs::for_recording`].
    pub needs: &'a Needs,
    pub policy: &'a Policy,
    pub limits: Limits,
    /// Today (UTC): lifecycle checks and date windows are relative to it.
    pub today: Date,
    /// Time for retries and waits: [`crate::probes::clock::SystemClock`] in the binary.
    pub clock: &'a dyn Clock,
}

impl Audit<'_> {
    /// Probes, then evaluates. Never fails: what could not be learned is in the report, as an
    /// incomplete audit with its findings.
    pub fn run(&self, on_event: &(dyn Fn(&Event) + Sync)) -> Report {
        let observations = crate::probes::run_with_clock(
            self.api,
            self.needs,
            self.today,
            self.limits,
            self.clock,
            on_event,
        );
        crate::evaluate::evaluate_with(self.rules, &observations, self.policy)
    }
}
