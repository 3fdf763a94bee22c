//! The probes: a bounded, read-only plan of calls, each reduced to plain observations.
//!
//! `needs` says what to find out; `metadata` proves host and credentials and maps field IDs
//! to categories; `people` runs the one people search and counts which keys came back;
//! `timeoff`, `tables` and `docs` make one call per capability. Nothing here judges: that is
//! `evaluate`'s job.

/// The scalar visits of a serde `Visitor` that treats every scalar alike, by calling its method
/// `$on(self) -> Result<Self::Value, E>`; with `str`, strings too. For the stream decoders, which
/// skip what they do not keep.
macro_rules! scalars {
    ($on:ident) => {
        fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<Self::Value, E> {
            self.$on()
        }
        fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<Self::Value, E> {
            self.$on()
        }
        fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<Self::Value, E> {
            self.$on()
        }
        fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<Self::Value, E> {
            self.$on()
        }
        fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            self.$on()
        }
    };
    ($on:ident, str) => {
        scalars!($on);
        fn visit_str<E: serde::de::Error>(self, _: &str) -> Result<Self::Value, E> {
            self.$on()
        }
    };
}

pub(crate) mod call;
pub mod clock;
pub(crate) mod docs;
pub mod metadata;
pub(crate) mod needs;
pub mod people;
pub(crate) mod size;
pub(crate) mod tables;
pub mod timeoff;

use call::Caller;
pub use call::{CallEvent, Event, Limits};
pub use needs::{Excess, Needs};
pub use size::{AnswerLimit, AnswerLimits};

use crate::client::{ApiRequest, HiBobApi};
use crate::date::Date;
use crate::observations::{
    CallOutcome, Failure, FailureKind, Observations, Observed, PeopleCounts, ProbeRun,
    TableObservation, TimeoffAnswer, TimeoffObservation, TimeoffProbe,
};

/// One call of the plan, with what it is for.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedCall {
    pub request: ApiRequest,
    pub purpose: String,
}

/// The calls the audit will make, in order, known before the first one. The per-employee
/// calls' employee and the balance call's policy type are placeholders until the earlier
/// answers name them; so are the fields of categories needed as a whole, which come from the
/// tenant's metadata (`purpose` says so).
pub fn plan(needs: &Needs, today: Date) -> Vec<PlannedCall> {
    let mut search = "one people search: which fields and lifecycle statuses come back".to_string();
    if !needs.categories.is_empty() {
        search.push_str(&format!(
            "; plus up to {} fields of each of these categories, chosen from the tenant's metadata: {}",
            crate::observations::SAMPLES_PER_CATEGORY,
            needs.categories.join(", ")
        ));
    }
    match needs.excess {
        Excess::Off => {}
        Excess::Unneeded => search.push_str(
            "; with --excess, plus one field of every other category in the tenant's metadata (chosen once the metadata is known: a field that is not sensitive where the category has one), to see what the group grants beyond the rules",
        ),
        Excess::Every => search.push_str(
            "; with --excess, plus one field of every category in the tenant's metadata (chosen once the metadata is known: a field that is not sensitive where the category has one), so that the recording replays with --excess under any profile",
        ),
    }
    let mut calls = vec![
        PlannedCall {
            request: metadata::request(),
            purpose: "field metadata: proves host and credentials, maps fields to categories"
                .into(),
        },
        PlannedCall {
            request: people::request(&people::requested_fields(needs, None)),
            purpose: search,
        },
    ];
    let planned = timeoff::planned(needs);
    for &probe in planned.iter().filter(|p| **p != TimeoffProbe::Balance) {
        let mut purpose = timeoff::purpose(probe).to_string();
        if timeoff::for_excess(needs, probe) {
            purpose.push_str(
                "; added by --excess: is this box granted although the rules do not need it?",
            );
        }
        calls.push(PlannedCall {
            request: timeoff::request(probe, today, None, None),
            purpose,
        });
    }
    for &table in &needs.tables {
        calls.push(PlannedCall {
            request: tables::request(table, None),
            purpose: tables::purpose(table),
        });
    }
    if needs.docs {
        calls.push(PlannedCall {
            request: docs::request(None),
            purpose: docs::PURPOSE.into(),
        });
    }
    if planned.contains(&TimeoffProbe::Balance) {
        calls.push(PlannedCall {
            request: timeoff::request(TimeoffProbe::Balance, today, None, None),
            purpose: timeoff::purpose(TimeoffProbe::Balance).into(),
        });
    }
    calls
}

/// Runs the plan against `api` within `limits`. `today` dates the time-off queries; `log`
/// hears of every attempt and every wait. A refused call is never repeated.
pub fn run(
    api: &dyn HiBobApi,
    needs: &Needs,
    today: Date,
    limits: Limits,
    log: &(dyn Fn(&Event) + Sync),
) -> Observations {
    run_with_clock(api, needs, today, limits, &clock::SystemClock, log)
}

/// [`run`], with time from `clock`: tests pass a [`clock::FakeClock`] so that retries and
/// waits take no real time.
pub(crate) fn run_with_clock(
    api: &dyn HiBobApi,
    needs: &Needs,
    today: Date,
    limits: Limits,
    clock: &dyn clock::Clock,
    log: &(dyn Fn(&Event) + Sync),
) -> Observations {
    let mut caller = Caller::new(api, limits, clock, log);
    // Only the fields the search asks for (and each category's first few) are kept of the
    // metadata.
    let wanted: std::collections::BTreeSet<String> =
        people::requested_fields(needs, None).into_iter().collect();
    let metadata = caller.call(&metadata::request(), |r| metadata::decode(r, &wanted));
    // A refused or failed metadata call stops all probing: a 401 there means bad
    // credentials, and HiBob blocks a caller after repeated 401s.
    let CallOutcome::Answered(catalog) = &metadata.outcome else {
        return Observations {
            metadata,
            people: None,
            timeoff: Vec::new(),
            tables: Vec::new(),
            docs: None,
            excess: needs.excess.on(),
        };
    };
    let requested = people::requested_fields(needs, Some(catalog));
    let tracked = people::tracked_fields(&requested, catalog);
    let planned = timeoff::planned(needs);
    // The people search and the time-off probes are independent (but for the balance, which
    // needs a visible employee): they run at once, on two threads, each endpoint still called
    // at most a few times.
    let (people, mut timeoff) = std::thread::scope(|s| {
        let mut search = caller.sibling();
        let request = people::request(&requested);
        let tracked = &tracked;
        let handle = s.spawn(move || search.call(&request, |r| people::decode_answer(r, tracked)));
        let timeoff = timeoff_probes(&mut caller, &planned, today);
        let people = handle.join().unwrap_or_else(|_| Observed {
            endpoint: people::request(&requested).endpoint(),
            outcome: CallOutcome::Failed(Failure {
                kind: FailureKind::Response,
                status: None,
                detail: "the answer could not be read (internal error)".into(),
            }),
        });
        (people, timeoff)
    });
    // The per-employee probes ask about one visible employee.
    let counts = match &people.outcome {
        CallOutcome::Answered(c) => Some(c),
        _ => None,
    };
    let employee = counts.and_then(|c| c.sample_employee.as_deref());
    let not_run = || no_employee(&people.outcome, "to ask about");
    let tables = needs
        .tables
        .iter()
        .map(|&table| TableObservation {
            table,
            run: match employee {
                None => ProbeRun::NotRun(not_run()),
                Some(e) => {
                    ProbeRun::Ran(caller.call(&tables::request(table, Some(e)), tables::decode))
                }
            },
        })
        .collect();
    let docs = needs.docs.then(|| match employee {
        None => ProbeRun::NotRun(not_run()),
        Some(e) => ProbeRun::Ran(caller.call(&docs::request(Some(e)), docs::decode)),
    });
    if planned.contains(&TimeoffProbe::Balance) {
        let run = balance(&mut caller, needs, today, &people.outcome, &timeoff);
        timeoff.push(TimeoffObservation {
            probe: TimeoffProbe::Balance,
            run,
        });
    }
    Observations {
        metadata,
        people: Some(people),
        timeoff,
        tables,
        docs,
        excess: needs.excess.on(),
    }
}

/// The time-off probes but the balance, one after another. A refused plain who's-out call is
/// not repeated with a flag.
fn timeoff_probes(
    caller: &mut Caller,
    planned: &[TimeoffProbe],
    today: Date,
) -> Vec<TimeoffObservation> {
    let mut timeoff: Vec<TimeoffObservation> = Vec::new();
    for &probe in planned.iter().filter(|p| **p != TimeoffProbe::Balance) {
        let base_refused = timeoff.iter().any(|t| {
            t.probe == TimeoffProbe::WhosOut
                && matches!(
                    t.run,
                    ProbeRun::Ran(Observed {
                        outcome: CallOutcome::Refused(_),
                        ..
                    })
                )
        });
        let run = match probe {
            // The same endpoint with a flag, after the plain call was refused, would only be
            // refused again and prove nothing: never repeat a refused call.
            TimeoffProbe::WhosOutPrivate | TimeoffProbe::WhosOutPending if base_refused => ProbeRun::NotRun(
                "the plain who's-out call was refused (\"See who's out\" is missing), so this one was not made".into(),
            ),
            _ => ProbeRun::Ran(caller.call(&timeoff::request(probe, today, None, None), |r| {
                timeoff::decode(probe, r)
            })),
        };
        timeoff.push(TimeoffObservation { probe, run });
    }
    timeoff
}

/// Why no employee is known for a per-employee probe, from what the people search came to:
/// nobody visible is not the same as a search that was refused or could not be read.
fn no_employee(search: &CallOutcome<PeopleCounts>, purpose: &str) -> String {
    match search {
        CallOutcome::Answered(c) if c.employees > 0 => format!(
            "no employee ID came back with {} (root.id), so there is none {purpose}",
            if c.employees == 1 {
                "the one visible employee".to_string()
            } else {
                format!("the {} visible employees", c.employees)
            }
        ),
        CallOutcome::Answered(_) => format!("no visible employee {purpose}"),
        CallOutcome::Refused(_) => {
            format!("the people search was refused, so no employee is known {purpose}")
        }
        CallOutcome::Failed(_) => {
            format!("the people search could not be completed, so no employee is known {purpose}")
        }
    }
}

/// The balance probe: one visible employee, one policy type named by the policy types
/// answer, else the rules, else the who's-out answer.
fn balance(
    caller: &mut Caller,
    needs: &Needs,
    today: Date,
    search: &CallOutcome<PeopleCounts>,
    earlier: &[TimeoffObservation],
) -> ProbeRun<TimeoffAnswer> {
    let people = match search {
        CallOutcome::Answered(c) => Some(c),
        _ => None,
    };
    let Some(employee) = people.and_then(|p| p.sample_employee.as_deref()) else {
        return ProbeRun::NotRun(no_employee(search, "to ask a balance for"));
    };
    let answered = |probe: TimeoffProbe| {
        earlier.iter().find_map(|t| match &t.run {
            ProbeRun::Ran(Observed {
                outcome: CallOutcome::Answered(a),
                ..
            }) if t.probe == probe => Some(a),
            _ => None,
        })
    };
    let from_policy_types = match answered(TimeoffProbe::PolicyTypes) {
        Some(TimeoffAnswer::PolicyTypes(names)) => names.first().cloned(),
        _ => None,
    };
    let from_rules = needs.policy_types.first().cloned();
    let from_whos_out = match answered(TimeoffProbe::WhosOut) {
        Some(TimeoffAnswer::Outs { policy_types, .. }) => policy_types.first().cloned(),
        _ => None,
    };
    let Some(policy) = from_policy_types.or(from_rules).or(from_whos_out) else {
        // Nobody out is not the same as a who's-out call that was refused or not made.
        let whos_out = if answered(TimeoffProbe::WhosOut).is_some() {
            "nobody was out"
        } else {
            "who's out named none (not answered, or not asked)"
        };
        return ProbeRun::NotRun(format!(
            "no policy type name is known: the policy types could not be read, the rules name none (timeoff.policy_types), and {whos_out}"
        ));
    };
    let request = timeoff::request(TimeoffProbe::Balance, today, Some(employee), Some(&policy));
    ProbeRun::Ran(caller.call(&request, |r| timeoff::decode(TimeoffProbe::Balance, r)))
}
