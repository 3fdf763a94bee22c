//! What an attempt came to: a transport failure, a refusal, an answer too large, or a body to
//! decode; and whether it is worth another attempt.

use std::io::{self, Read};
use std::time::Duration;

use super::rate::rate_limit_wait;
use super::{Attempt, TimeBound};
use crate::client::body::{DecodeError, READ_BUFFER, is_json, mentions_permission};
use crate::client::{ApiResponse, TransportError};
use crate::observations::{CallOutcome, Failure, FailureKind, Refusal};
use crate::probes::size::{AnswerKind, Size};

/// The size limit of one call's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct AnswerLimit {
    pub(super) kind: AnswerKind,
    pub(super) bytes: u64,
}

pub(super) fn transport_failure<T>(e: TransportError, bound: TimeBound) -> Attempt<T> {
    let detail = match &e {
        TransportError::Timeout(_) => bound.explain("no answer came"),
        other => other.to_string(),
    };
    let retry = match &e {
        TransportError::Timeout(_) => bound.retry().then(|| (detail.clone(), None)),
        TransportError::Connect(_) | TransportError::Io(_) => Some((detail.clone(), None)),
        TransportError::Tls(_)
        | TransportError::Certificate(_)
        | TransportError::Dns(_)
        | TransportError::Other(_)
        | TransportError::NotRecorded(_) => None,
    };
    let kind = match &e {
        TransportError::NotRecorded(_) => FailureKind::NotRecorded,
        TransportError::Dns(_) => FailureKind::Dns,
        TransportError::Connect(_) => FailureKind::Connect,
        TransportError::Certificate(_) => FailureKind::Certificate,
        TransportError::Tls(_) => FailureKind::Tls,
        TransportError::Timeout(_) => FailureKind::Timeout,
        TransportError::Io(_) | TransportError::Other(_) => FailureKind::Transport,
    };
    Attempt {
        outcome: CallOutcome::Failed(Failure {
            kind,
            status: None,
            detail,
        }),
        status: None,
        bytes: 0,
        retry,
    }
}

/// Counts the bytes read through it (after decompression) and stops at the answer's limit. A
/// decoder that reads the whole body gets a buffer sized by `Content-Length` at once, instead
/// of growing (and copying) it step by step, but never larger than the limit allows.
struct Counting<R> {
    inner: R,
    bytes: u64,
    /// The most that may be read; one byte more is an error.
    limit: u64,
    /// The limit was passed: every later read fails.
    exceeded: bool,
    /// The kind of the first read error that came from the connection.
    failed: Option<io::ErrorKind>,
    /// The announced size, trusted up to a cap.
    length: Option<usize>,
}

/// The largest `Content-Length` reserved up front (larger bodies grow as they come).
const RESERVE_CAP: usize = 1 << 30;

/// The error a read past the limit returns; `classify` recognises the call by `exceeded`.
fn too_large() -> io::Error {
    io::Error::other("the answer is larger than its limit")
}

impl<R: Read> Counting<R> {
    fn new(inner: R, limit: u64, length: Option<usize>) -> Self {
        Counting {
            inner,
            bytes: 0,
            limit,
            exceeded: false,
            failed: None,
            length,
        }
    }
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.exceeded {
            return Err(too_large());
        }
        // Never ask for more than one byte past the limit.
        let room = self.limit.saturating_sub(self.bytes).saturating_add(1);
        let want = buf.len().min(usize::try_from(room).unwrap_or(usize::MAX));
        let n = match self.inner.read(&mut buf[..want]) {
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => return Err(e),
            Err(e) => {
                self.failed.get_or_insert(e.kind());
                return Err(e);
            }
        };
        self.bytes += n as u64;
        if self.bytes > self.limit {
            self.exceeded = true;
            return Err(too_large());
        }
        Ok(n)
    }

    fn read_to_end(&mut self, buf: &mut Vec<u8>) -> io::Result<usize> {
        if let Some(length) = self.length.take() {
            let room = self.limit.saturating_sub(self.bytes).saturating_add(1);
            let wanted = (length as u64)
                .saturating_sub(self.bytes)
                .min(room)
                .min(RESERVE_CAP as u64) as usize;
            buf.reserve_exact(wanted.saturating_sub(buf.capacity() - buf.len()) + 1);
        }
        // The standard loop over `read`, so that every byte is counted and limited.
        struct ByRead<'a, R>(&'a mut Counting<R>);
        impl<R: Read> Read for ByRead<'_, R> {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                self.0.read(buf)
            }
        }
        ByRead(self).read_to_end(buf)
    }
}

/// At most this much of a refused or unusable answer is read, to learn its size and wording.
const ERROR_BODY_LIMIT: u64 = 64 * 1024;

/// Classifies an answer and decodes a usable body with `decode`.
pub(super) fn classify<T>(
    response: ApiResponse,
    decode: &impl Fn(&mut dyn Read) -> Result<T, DecodeError>,
    limit: AnswerLimit,
    bound: TimeBound,
    clock: &dyn crate::probes::clock::Clock,
) -> Attempt<T> {
    let status = response.status;
    let content_type = response.content_type.clone();
    let server_wait = rate_limit_wait(&response, clock.unix_seconds());
    let length = response
        .header("content-length")
        .and_then(|v| v.trim().parse::<usize>().ok());
    let mut body = Counting::new(response.body, limit.bytes, length);
    let failure = |kind: FailureKind, detail: String| {
        CallOutcome::Failed(Failure {
            kind,
            status: Some(status),
            detail,
        })
    };
    let ct = content_type.as_deref().unwrap_or("no content type");
    let (outcome, retry) = match status {
        200..=299 if !is_json(content_type.as_deref()) => {
            let size = drain(&mut body);
            (
                failure(
                    FailureKind::NotJson,
                    format!(
                        "HTTP {status} with content type {ct} ({size} bytes), not JSON: the URL is probably not HiBob's API (check --base-url)"
                    ),
                ),
                None,
            )
        }
        200..=299 => {
            let mut reader = io::BufReader::with_capacity(READ_BUFFER, &mut body);
            match decode(&mut reader) {
                Ok(value) => (CallOutcome::Answered(value), None),
                Err(_) if body_exceeded(&reader) => {
                    drop(reader);
                    // Not retried: the same answer would pass the limit again.
                    (
                        CallOutcome::Failed(Failure {
                            kind: FailureKind::TooLarge,
                            status: Some(status),
                            detail: format!(
                                "HTTP {status} ({ct}) with an answer larger than the limit of {} for this endpoint: stopped after reading {} bytes (decompressed). A tenant this large needs --max-answer-size {}=SIZE",
                                Size(limit.bytes),
                                body.bytes,
                                limit.kind.as_str()
                            ),
                        }),
                        None,
                    )
                }
                Err(e) => {
                    drop(reader);
                    let timed_out = body.failed == Some(io::ErrorKind::TimedOut);
                    let size = drain(&mut body);
                    let (kind, message, retry) = if timed_out {
                        let why = bound.explain("the answer did not finish");
                        let retry = bound.retry().then(|| (why.clone(), None));
                        (FailureKind::Timeout, why, retry)
                    } else if e.io {
                        let retry = Some((e.message.clone(), None));
                        (FailureKind::Transport, e.message.clone(), retry)
                    } else {
                        (FailureKind::Malformed, e.message.clone(), None)
                    };
                    (
                        failure(
                            kind,
                            format!(
                                "HTTP {status} ({ct}, {size} bytes read) that cannot be used: {message}"
                            ),
                        ),
                        retry,
                    )
                }
            }
        }
        401 | 403 => {
            // Never retried: HiBob blocks a caller after repeated refusals.
            let mut text = Vec::new();
            let _ = (&mut body).take(ERROR_BODY_LIMIT).read_to_end(&mut text);
            let mentions_permission = mentions_permission(&text);
            (
                CallOutcome::Refused(Refusal {
                    status,
                    mentions_permission,
                }),
                None,
            )
        }
        _ => {
            let size = drain(&mut body);
            let what = match status {
                429 => "rate limited by HiBob",
                404 => "not found: check --base-url, or the module is not enabled for this tenant",
                500..=599 => "HiBob server error",
                _ => "unexpected status",
            };
            let retry = match status {
                429 => Some((
                    "HiBob rate-limited the call (429)".to_string(),
                    Some(server_wait.unwrap_or(Duration::from_secs(1))),
                )),
                500 | 502 | 503 | 504 => Some((format!("HiBob answered {status}"), None)),
                _ => None,
            };
            let kind = match status {
                429 => FailureKind::RateLimited,
                500..=599 => FailureKind::ServerError,
                _ => FailureKind::Response,
            };
            (
                failure(kind, format!("HTTP {status} ({what}; {ct}, {size} bytes)")),
                retry,
            )
        }
    };
    Attempt {
        outcome,
        status: Some(status),
        bytes: body.bytes,
        retry,
    }
}

fn body_exceeded(reader: &io::BufReader<&mut Counting<Box<dyn Read>>>) -> bool {
    reader.get_ref().exceeded
}

/// Reads and discards up to the limit; returns how many bytes the body had (as far as read).
fn drain(body: &mut Counting<Box<dyn Read>>) -> u64 {
    if body.exceeded || body.failed.is_some() {
        return body.bytes;
    }
    let _ = io::copy(
        &mut (&mut *body).take(ERROR_BODY_LIMIT * 16),
        &mut io::sink(),
    );
    body.bytes
}
