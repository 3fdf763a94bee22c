//! The probes: a bounded, read-only plan of calls, each reduced to plain observations.
//!
//! `metadata` proves host and credentials and maps field IDs to categories; `people` runs
//! the one people search and counts which keys came back. Nothing here judges: that is
//! `evaluate`'s job.

pub mod metadata;
pub mod people;

use std::io::{self, Read};
use std::time::Instant;

use crate::client::{ApiRequest, ApiResponse, HiBobApi};
use crate::observations::{CallOutcome, Failure, FailureKind, Observations, Observed, Refusal};
use crate::rules::Rules;

/// One finished call, for `--verbose`: no token, no value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallEvent {
    pub endpoint: String,
    pub status: Option<u16>,
    pub millis: u128,
    pub bytes: u64,
}

/// The calls the audit will make, in order, known before the first one.
pub fn plan(rules: &Rules) -> Vec<ApiRequest> {
    vec![metadata::request(), people::request(rules)]
}

/// Runs the plan against `api`. `log` hears of every finished call.
pub fn run(api: &dyn HiBobApi, rules: &Rules, log: &mut dyn FnMut(&CallEvent)) -> Observations {
    let metadata = perform(api, &metadata::request(), log, metadata::decode);
    // A refused or failed metadata call stops all probing: a 401 there means bad
    // credentials, and HiBob blocks a caller after repeated 401s.
    let people = match &metadata.outcome {
        CallOutcome::Answered(catalog) => {
            let request = people::request(rules);
            let tracked = people::tracked_fields(rules, catalog);
            Some(perform(api, &request, log, |r| people::decode(r, &tracked)))
        }
        _ => None,
    };
    Observations { metadata, people }
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
