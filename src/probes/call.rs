//! One call to HiBob, made reliably: a per-request timeout inside an overall deadline,
//! retries with exponential backoff and jitter for connection errors and 500/502/503/504,
//! waits on 429 as HiBob's headers say, and never a retry of a 401 or 403.

use std::io::{self, Read};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use super::size::{AnswerKind, AnswerLimits, Size};
use crate::client::{ApiRequest, ApiResponse, HiBobApi, TransportError};
use crate::observations::{CallOutcome, Failure, FailureKind, Observed, Refusal};

/// At most this many attempts per call (3 retries).
pub const MAX_ATTEMPTS: u32 = 4;
/// The longest a 429 is waited out, whatever HiBob's headers say.
pub const RATE_LIMIT_CAP: Duration = Duration::from_secs(60);
/// The first backoff; doubled for each retry, plus up to half again of jitter.
const BACKOFF_BASE: Duration = Duration::from_millis(400);

/// Why a body could not be decoded. Never carries a value from the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    pub message: String,
    /// The connection broke while reading: worth a retry.
    pub io: bool,
}

impl DecodeError {
    pub fn new(message: impl Into<String>) -> Self {
        DecodeError {
            message: message.into(),
            io: false,
        }
    }

    /// Describes a serde_json error by its class and position only: its message can quote values.
    pub fn from_json(e: &serde_json::Error) -> Self {
        use serde_json::error::Category;
        let at = format!("line {} column {}", e.line(), e.column());
        match e.classify() {
            Category::Eof => DecodeError::new(format!("the JSON ends early (truncated at {at})")),
            Category::Syntax => DecodeError::new(format!("the JSON is malformed at {at}")),
            Category::Data => DecodeError::new(format!("the JSON has an unexpected shape at {at}")),
            Category::Io => DecodeError::broken(),
        }
    }

    pub fn broken() -> Self {
        DecodeError {
            message: "the connection broke while reading the answer".into(),
            io: true,
        }
    }
}

/// One finished attempt, for `--verbose`: no token, no value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallEvent {
    pub endpoint: String,
    pub status: Option<u16>,
    pub millis: u128,
    pub bytes: u64,
}

/// What the caller tells the user while it works.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// An attempt finished (for `--verbose`).
    Call(CallEvent),
    /// The caller waits before trying again (always worth saying).
    Retry {
        endpoint: String,
        why: String,
        wait: Duration,
        /// The attempt about to be made, 2..=MAX_ATTEMPTS.
        attempt: u32,
    },
}

/// Limits: time per request and for the whole audit, and the size of each answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub timeout: Duration,
    pub deadline: Duration,
    /// Wait between attempts (false for replays and the demo: nothing to wait for).
    pub waits: bool,
    /// The largest answer read from each endpoint, decompressed (`--max-answer-size`).
    pub answers: AnswerLimits,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            timeout: Duration::from_secs(30),
            deadline: Duration::from_secs(300),
            waits: true,
            answers: AnswerLimits::default(),
        }
    }
}

/// Makes calls against one API within one deadline.
pub struct Caller<'a> {
    api: &'a dyn HiBobApi,
    log: &'a (dyn Fn(&Event) + Sync),
    limits: Limits,
    deadline: Instant,
    seed: u64,
}

/// What an attempt came to, and whether to try again.
struct Attempt<T> {
    outcome: CallOutcome<T>,
    status: Option<u16>,
    bytes: u64,
    /// `Some` to retry: with HiBob's own wait (429), or `None` for backoff.
    retry: Option<(String, Option<Duration>)>,
}

impl<'a> Caller<'a> {
    pub fn new(api: &'a dyn HiBobApi, limits: Limits, log: &'a (dyn Fn(&Event) + Sync)) -> Self {
        let seed = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0x9e37_79b9, |d| d.as_nanos() as u64)
            | 1;
        Caller {
            api,
            log,
            limits,
            deadline: Instant::now() + limits.deadline,
            seed,
        }
    }

    /// Another caller for a concurrent probe: same API, log, limits and deadline.
    pub fn sibling(&self) -> Caller<'a> {
        Caller {
            api: self.api,
            log: self.log,
            limits: self.limits,
            deadline: self.deadline,
            seed: self.seed.rotate_left(17) | 1,
        }
    }

    /// Up to half of `base` at random, so retries from many runs do not line up.
    fn jitter(&mut self, base: Duration) -> Duration {
        // xorshift64
        self.seed ^= self.seed << 13;
        self.seed ^= self.seed >> 7;
        self.seed ^= self.seed << 17;
        base.mul_f64((self.seed % 1000) as f64 / 2000.0)
    }

    fn backoff(&mut self, attempt: u32) -> Duration {
        let base = BACKOFF_BASE * 2u32.pow(attempt.saturating_sub(1));
        base + self.jitter(base)
    }

    /// Makes one call, retrying what is worth retrying, and decodes a usable body.
    pub fn call<T>(
        &mut self,
        request: &ApiRequest,
        decode: impl Fn(&mut dyn Read) -> Result<T, DecodeError>,
    ) -> Observed<T> {
        let endpoint = request.endpoint();
        let mut attempt = 1;
        loop {
            let remaining = self.deadline.saturating_duration_since(Instant::now());
            if remaining.is_zero() {
                return Observed {
                    endpoint,
                    outcome: CallOutcome::Failed(Failure {
                        kind: FailureKind::Transport,
                        status: None,
                        detail: format!(
                            "the --deadline of {} s ran out before this call could be made",
                            self.limits.deadline.as_secs()
                        ),
                    }),
                };
            }
            let timeout = self.limits.timeout.min(remaining);
            let bound = if timeout < self.limits.timeout {
                TimeBound::Deadline(self.limits.deadline)
            } else {
                TimeBound::Timeout(self.limits.timeout)
            };
            let kind = AnswerKind::of_path(&request.path);
            let limit = AnswerLimit {
                kind,
                bytes: self.limits.answers.get(kind),
            };
            let started = Instant::now();
            let a = match self.api.send(request, timeout) {
                Err(e) => transport_failure(e, bound),
                Ok(response) => classify(response, &decode, limit, bound),
            };
            (self.log)(&Event::Call(CallEvent {
                endpoint: endpoint.clone(),
                status: a.status,
                millis: started.elapsed().as_millis(),
                bytes: a.bytes,
            }));
            let Some((why, server_wait)) = a.retry else {
                return Observed {
                    endpoint,
                    outcome: a.outcome,
                };
            };
            let wait = if self.limits.waits {
                server_wait
                    .map(|w| w.min(RATE_LIMIT_CAP))
                    .unwrap_or_else(|| self.backoff(attempt))
            } else {
                Duration::ZERO
            };
            let out_of_time = Instant::now() + wait >= self.deadline;
            if attempt >= MAX_ATTEMPTS || out_of_time {
                let note = if out_of_time {
                    format!(
                        " (gave up after {attempt} attempt(s): the --deadline of {} s leaves no time to wait {} s)",
                        self.limits.deadline.as_secs(),
                        wait.as_secs_f32().ceil()
                    )
                } else {
                    format!(" (after {attempt} attempts)")
                };
                let outcome = match a.outcome {
                    CallOutcome::Failed(mut f) => {
                        f.detail.push_str(&note);
                        CallOutcome::Failed(f)
                    }
                    other => other,
                };
                return Observed { endpoint, outcome };
            }
            attempt += 1;
            (self.log)(&Event::Retry {
                endpoint: endpoint.clone(),
                why,
                wait,
                attempt,
            });
            std::thread::sleep(wait);
        }
    }
}

/// Which time limit bounded an attempt: `--timeout`, or what was left of `--deadline`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TimeBound {
    Timeout(Duration),
    Deadline(Duration),
}

impl TimeBound {
    /// What ran out, and how to raise it.
    fn explain(self, what: &str) -> String {
        match self {
            TimeBound::Timeout(t) => format!(
                "timed out: {what} within the --timeout of {} s (raise it with --timeout SECONDS)",
                t.as_secs()
            ),
            TimeBound::Deadline(d) => format!(
                "timed out: {what} before the --deadline of {} s ran out (raise it with --deadline SECONDS)",
                d.as_secs()
            ),
        }
    }

    /// A timeout is worth a retry; the deadline leaves no time for one.
    fn retry(self) -> bool {
        matches!(self, TimeBound::Timeout(_))
    }
}

/// The size limit of one call's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct AnswerLimit {
    kind: AnswerKind,
    bytes: u64,
}

fn transport_failure<T>(e: TransportError, bound: TimeBound) -> Attempt<T> {
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
    Attempt {
        outcome: CallOutcome::Failed(Failure {
            kind: if matches!(e, TransportError::NotRecorded(_)) {
                FailureKind::NotRecorded
            } else {
                FailureKind::Transport
            },
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

pub(crate) fn is_json(content_type: Option<&str>) -> bool {
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

/// Unix seconds of an HTTP date (`Wed, 21 Oct 2015 07:28:00 GMT`).
fn http_date(text: &str) -> Option<i64> {
    let parts: Vec<&str> = text.split_whitespace().collect();
    let [_, day, month, year, time, "GMT"] = parts.as_slice() else {
        return None;
    };
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let month = MONTHS.iter().position(|m| m == month)? as u32 + 1;
    let mut hms = time.split(':').map(|n| n.parse::<i64>().ok());
    let (h, m, s) = (hms.next()??, hms.next()??, hms.next()??);
    let date = crate::date::Date::from_ymd(year.parse().ok()?, month, day.parse().ok()?);
    Some(date.unix_days() * 86_400 + h * 3600 + m * 60 + s)
}

/// How long HiBob asks us to wait: `Retry-After` (seconds or an HTTP date), else
/// `X-RateLimit-Reset` (Unix seconds, or seconds from now when small).
fn rate_limit_wait(response: &ApiResponse) -> Option<Duration> {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .ok()?
        .as_secs_f64();
    if let Some(value) = response.header("retry-after").map(str::trim) {
        if let Ok(secs) = value.parse::<u64>() {
            return Some(Duration::from_secs(secs.max(1)));
        }
        if let Some(at) = http_date(value) {
            let secs = (at as f64 - now).clamp(1.0, RATE_LIMIT_CAP.as_secs_f64());
            return Some(Duration::from_secs_f64(secs));
        }
    }
    let reset = response
        .header("x-ratelimit-reset")
        .and_then(|v| v.trim().parse::<f64>().ok())?;
    if !reset.is_finite() || reset < 0.0 {
        return None;
    }
    let secs = if reset > 1_000_000_000.0 {
        reset - now
    } else {
        reset
    };
    Some(Duration::from_secs_f64(
        secs.clamp(1.0, RATE_LIMIT_CAP.as_secs_f64()),
    ))
}

/// Classifies an answer and decodes a usable body with `decode`.
fn classify<T>(
    response: ApiResponse,
    decode: &impl Fn(&mut dyn Read) -> Result<T, DecodeError>,
    limit: AnswerLimit,
    bound: TimeBound,
) -> Attempt<T> {
    let status = response.status;
    let content_type = response.content_type.clone();
    let server_wait = rate_limit_wait(&response);
    let length = response
        .header("content-length")
        .and_then(|v| v.trim().parse::<usize>().ok());
    let mut body = Counting::new(response.body, limit.bytes, length);
    let failure = |detail: String| {
        CallOutcome::Failed(Failure {
            kind: FailureKind::Response,
            status: Some(status),
            detail,
        })
    };
    let ct = content_type.as_deref().unwrap_or("no content type");
    let (outcome, retry) = match status {
        200..=299 if !is_json(content_type.as_deref()) => {
            let size = drain(&mut body);
            (
                failure(format!(
                    "HTTP {status} with content type {ct} ({size} bytes), not JSON: the URL is probably not HiBob's API (check --base-url)"
                )),
                None,
            )
        }
        200..=299 => {
            let mut reader = io::BufReader::with_capacity(64 * 1024, &mut body);
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
                    let (message, retry) = if timed_out {
                        let why = bound.explain("the answer did not finish");
                        let retry = bound.retry().then(|| (why.clone(), None));
                        (why, retry)
                    } else {
                        (e.message.clone(), e.io.then(|| (e.message.clone(), None)))
                    };
                    (
                        failure(format!(
                            "HTTP {status} ({ct}, {size} bytes read) that cannot be used: {message}"
                        )),
                        retry,
                    )
                }
            }
        }
        401 | 403 => {
            // Never retried: HiBob blocks a caller after repeated refusals.
            let mut text = Vec::new();
            let _ = (&mut body).take(ERROR_BODY_LIMIT).read_to_end(&mut text);
            let mentions_permission = String::from_utf8_lossy(&text)
                .to_ascii_lowercase()
                .contains("permission");
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
            (
                failure(format!("HTTP {status} ({what}; {ct}, {size} bytes)")),
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

#[cfg(test)]
mod tests {
    use super::*;

    fn response(headers: &[(&str, &str)]) -> ApiResponse {
        ApiResponse {
            status: 429,
            content_type: None,
            headers: headers
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            body: Box::new(io::empty()),
        }
    }

    #[test]
    fn rate_limit_waits_follow_the_headers_and_are_capped() {
        assert_eq!(
            rate_limit_wait(&response(&[("retry-after", "3")])),
            Some(Duration::from_secs(3))
        );
        assert_eq!(
            rate_limit_wait(&response(&[("x-ratelimit-reset", "2")])),
            Some(Duration::from_secs(2))
        );
        assert_eq!(
            rate_limit_wait(&response(&[("x-ratelimit-reset", "99999")])),
            Some(RATE_LIMIT_CAP)
        );
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs();
        let w =
            rate_limit_wait(&response(&[("x-ratelimit-reset", &(now + 5).to_string())])).unwrap();
        assert!(
            w <= Duration::from_secs(5) && w >= Duration::from_secs(3),
            "{w:?}"
        );
        assert_eq!(rate_limit_wait(&response(&[])), None);
        assert_eq!(
            rate_limit_wait(&response(&[(
                "retry-after",
                "Wed, 21 Oct 2015 07:28:00 GMT"
            )])),
            Some(Duration::from_secs(1)),
            "a date in the past waits the minimum"
        );
        assert_eq!(
            http_date("Wed, 21 Oct 2015 07:28:00 GMT"),
            Some(1_445_412_480)
        );
        assert_eq!(http_date("tomorrow"), None);
        assert_eq!(
            rate_limit_wait(&response(&[("x-ratelimit-reset", "NaN")])),
            None
        );
    }

    #[test]
    fn decode_errors_never_quote_the_body() {
        let e = serde_json::from_str::<u32>("\"SENTINEL\"").unwrap_err();
        assert!(!DecodeError::from_json(&e).message.contains("SENTINEL"));
    }
}
