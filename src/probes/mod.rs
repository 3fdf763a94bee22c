//! The probes: a bounded, read-only plan of calls, each reduced to plain observations.
//!
//! `metadata` proves host and credentials and maps field IDs to categories; `people` runs
//! the one people search and counts which keys came back. Nothing here judges: that is
//! `evaluate`'s job.

pub mod metadata;
pub mod people;
pub mod timeoff;

use std::io::{self, Read};
use std::time::Instant;

use crate::client::{ApiRequest, ApiResponse, HiBobApi};
use crate::date::Date;
use crate::observations::{
    CallOutcome, Failure, FailureKind, Observations, Observed, PeopleCounts, ProbeRun, Refusal,
    TimeoffAnswer, TimeoffObservation, TimeoffProbe,
};
use crate::rules::Rules;

/// One finished call, for `--verbose`: no token, no value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallEvent {
    pub endpoint: String,
    pub status: Option<u16>,
    pub millis: u128,
    pub bytes: u64,
}

/// One call of the plan, with what it is for.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedCall {
    pub request: ApiRequest,
    pub purpose: &'static str,
}

/// The calls the audit will make, in order, known before the first one. The balance call's
/// employee and policy type are placeholders until the earlier answers name them.
pub fn plan(rules: &Rules, today: Date) -> Vec<PlannedCall> {
    let mut calls = vec![
        PlannedCall {
            request: metadata::request(),
            purpose: "field metadata: proves host and credentials, maps fields to categories",
        },
        PlannedCall {
            request: people::request(rules),
            purpose: "one people search: which fields and lifecycle statuses come back",
        },
    ];
    for probe in timeoff::planned(rules) {
        calls.push(PlannedCall {
            request: timeoff::request(probe, today, None, None),
            purpose: timeoff::purpose(probe),
        });
    }
    calls
}

/// Runs the plan against `api`. `today` dates the time-off queries; `log` hears of every
/// finished call. No call is ever repeated.
pub fn run(
    api: &dyn HiBobApi,
    rules: &Rules,
    today: Date,
    log: &mut dyn FnMut(&CallEvent),
) -> Observations {
    let metadata = perform(api, &metadata::request(), log, metadata::decode);
    // A refused or failed metadata call stops all probing: a 401 there means bad
    // credentials, and HiBob blocks a caller after repeated 401s.
    let CallOutcome::Answered(catalog) = &metadata.outcome else {
        return Observations {
            metadata,
            people: None,
            timeoff: Vec::new(),
        };
    };
    let tracked = people::tracked_fields(rules, catalog);
    let people = perform(api, &people::request(rules), log, |r| {
        people::decode(r, &tracked)
    });
    let counts = match &people.outcome {
        CallOutcome::Answered(c) => Some(c),
        _ => None,
    };
    let mut timeoff: Vec<TimeoffObservation> = Vec::new();
    for probe in timeoff::planned(rules) {
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
            TimeoffProbe::Balance => balance(api, rules, today, counts, &timeoff, log),
            // The same endpoint with a flag, after the plain call was refused, would only be
            // refused again and prove nothing: never repeat a refused call.
            TimeoffProbe::WhosOutPrivate | TimeoffProbe::WhosOutPending if base_refused => ProbeRun::NotRun(
                "the plain who's-out call was refused (\"See who's out\" is missing), so this one was not made".into(),
            ),
            _ => ProbeRun::Ran(perform(api, &timeoff::request(probe, today, None, None), log, |r| {
                timeoff::decode(probe, r)
            })),
        };
        timeoff.push(TimeoffObservation { probe, run });
    }
    Observations {
        metadata,
        people: Some(people),
        timeoff,
    }
}

/// The balance probe: one visible employee, one policy type named by the policy types
/// answer, else the rules, else the who's-out answer.
fn balance(
    api: &dyn HiBobApi,
    rules: &Rules,
    today: Date,
    people: Option<&PeopleCounts>,
    earlier: &[TimeoffObservation],
    log: &mut dyn FnMut(&CallEvent),
) -> ProbeRun<TimeoffAnswer> {
    let Some(employee) = people.and_then(|p| p.sample_employee.as_deref()) else {
        return ProbeRun::NotRun("no visible employee to ask a balance for".into());
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
    let from_rules = rules
        .timeoff
        .as_ref()
        .and_then(|t| t.policy_types.first().cloned());
    let from_whos_out = match answered(TimeoffProbe::WhosOut) {
        Some(TimeoffAnswer::Outs { policy_types, .. }) => policy_types.first().cloned(),
        _ => None,
    };
    let Some(policy) = from_policy_types.or(from_rules).or(from_whos_out) else {
        return ProbeRun::NotRun(
            "no policy type name is known: the policy types could not be read, the rules name none (timeoff.policy_types), and nobody was out"
                .into(),
        );
    };
    let request = timeoff::request(TimeoffProbe::Balance, today, Some(employee), Some(&policy));
    ProbeRun::Ran(perform(api, &request, log, |r| {
        timeoff::decode(TimeoffProbe::Balance, r)
    }))
}

/// Why a body could not be decoded. Never carries a value from the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError(pub String);

impl DecodeError {
    /// Describes a serde_json error by its class and position only: its message can quote values.
    pub fn from_json(e: &serde_json::Error) -> Self {
        use serde_json::error::Category;
        let at = format!("line {} column {}", e.line(), e.column());
        DecodeError(match e.classify() {
            Category::Eof => format!("the JSON ends early (truncated at {at})"),
            Category::Syntax => format!("the JSON is malformed at {at}"),
            Category::Data => format!("the JSON has an unexpected shape at {at}"),
            Category::Io => "the connection broke while reading the answer".to_string(),
        })
    }
}

/// Counts the bytes read through it.
struct Counting<R> {
    inner: R,
    bytes: u64,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.bytes += n as u64;
        Ok(n)
    }
}

/// At most this much of a refused or unusable answer is read, to learn its size and wording.
const ERROR_BODY_LIMIT: u64 = 64 * 1024;

fn is_json(content_type: Option<&str>) -> bool {
    match content_type {
        None => true,
        Some(ct) => {
            let essence = ct
                .split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase();
            essence == "application/json" || essence.ends_with("+json")
        }
    }
}

/// Sends one request, classifies the answer and decodes a usable body with `decode`.
pub(crate) fn perform<T>(
    api: &dyn HiBobApi,
    request: &ApiRequest,
    log: &mut dyn FnMut(&CallEvent),
    decode: impl FnOnce(&mut dyn Read) -> Result<T, DecodeError>,
) -> Observed<T> {
    let endpoint = request.endpoint();
    let started = Instant::now();
    let (outcome, status, bytes) = match api.send(request) {
        Err(e) => (
            CallOutcome::Failed(Failure {
                kind: FailureKind::Transport,
                status: None,
                detail: e.to_string(),
            }),
            None,
            0,
        ),
        Ok(response) => {
            let status = response.status;
            let (outcome, bytes) = classify(response, decode);
            (outcome, Some(status), bytes)
        }
    };
    log(&CallEvent {
        endpoint: endpoint.clone(),
        status,
        millis: started.elapsed().as_millis(),
        bytes,
    });
    Observed { endpoint, outcome }
}

fn classify<T>(
    response: ApiResponse,
    decode: impl FnOnce(&mut dyn Read) -> Result<T, DecodeError>,
) -> (CallOutcome<T>, u64) {
    let status = response.status;
    let content_type = response.content_type.clone();
    let mut body = Counting {
        inner: response.body,
        bytes: 0,
    };
    let failure = |detail: String| {
        CallOutcome::Failed(Failure {
            kind: FailureKind::Response,
            status: Some(status),
            detail,
        })
    };
    let outcome = match status {
        200..=299 if !is_json(content_type.as_deref()) => {
            let size = drain(&mut body);
            failure(format!(
                "HTTP {status} with content type {} ({size} bytes), not JSON: the URL is probably not HiBob's API (check --base-url)",
                content_type.as_deref().unwrap_or("none")
            ))
        }
        200..=299 => {
            let mut reader = io::BufReader::with_capacity(64 * 1024, &mut body);
            match decode(&mut reader) {
                Ok(value) => CallOutcome::Answered(value),
                Err(DecodeError(why)) => {
                    drop(reader);
                    let size = drain(&mut body);
                    failure(format!(
                        "HTTP {status} ({}, {size} bytes read) that cannot be used: {why}",
                        content_type.as_deref().unwrap_or("no content type")
                    ))
                }
            }
        }
        401 | 403 => {
            let mut text = Vec::new();
            let _ = (&mut body).take(ERROR_BODY_LIMIT).read_to_end(&mut text);
            let mentions_permission = String::from_utf8_lossy(&text)
                .to_ascii_lowercase()
                .contains("permission");
            CallOutcome::Refused(Refusal {
                status,
                mentions_permission,
            })
        }
        _ => {
            let size = drain(&mut body);
            let what = match status {
                429 => "rate limited by HiBob",
                404 => "not found: check --base-url, or the module is not enabled for this tenant",
                500..=599 => "HiBob server error",
                _ => "unexpected status",
            };
            failure(format!(
                "HTTP {status} ({what}; {}, {size} bytes)",
                content_type.as_deref().unwrap_or("no content type")
            ))
        }
    };
    (outcome, body.bytes)
}

/// Reads and discards up to the limit; returns how many bytes the body had (as far as read).
fn drain(body: &mut Counting<Box<dyn Read>>) -> u64 {
    let _ = io::copy(
        &mut (&mut *body).take(ERROR_BODY_LIMIT * 16),
        &mut io::sink(),
    );
    body.bytes
}
