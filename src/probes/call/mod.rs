//! One call to HiBob, made reliably: a per-request timeout inside an overall deadline,
//! retries with exponential backoff and jitter for connection errors and 500/502/503/504,
//! waits on 429 as HiBob's headers say, and never a retry of a 401 or 403.

mod classify;
mod rate;

use crate::client::body::DecodeError;
use classify::{AnswerLimit, classify, transport_failure};

use std::io::Read;
use std::time::{Duration, Instant};

use super::clock::Clock;

use super::size::{AnswerKind, AnswerLimits};
use crate::client::{ApiRequest, HiBobApi};
use crate::observations::{CallOutcome, Failure, FailureKind, Observed};

/// At most this many attempts per call (3 retries).
pub(crate) const MAX_ATTEMPTS: u32 = 4;
/// The longest a 429 is waited out, whatever HiBob's headers say.
pub(crate) const RATE_LIMIT_CAP: Duration = Duration::from_secs(60);
/// The first backoff; doubled for each retry, plus up to half again of jitter.
const BACKOFF_BASE: Duration = Duration::from_millis(400);

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
    /// An attempt starts (for the progress line and `--verbose`).
    Start { endpoint: String },
    /// An attempt finished (for the progress line and `--verbose`).
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
pub(crate) struct Caller<'a> {
    api: &'a dyn HiBobApi,
    log: &'a (dyn Fn(&Event) + Sync),
    clock: &'a dyn Clock,
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
    pub(crate) fn new(
        api: &'a dyn HiBobApi,
        limits: Limits,
        clock: &'a dyn Clock,
        log: &'a (dyn Fn(&Event) + Sync),
    ) -> Self {
        let seed = (clock.unix_seconds().fract() * 1e9) as u64 | 1;
        Caller {
            api,
            log,
            clock,
            limits,
            deadline: clock.now() + limits.deadline,
            seed,
        }
    }

    /// Another caller for a concurrent probe: same API, log, limits and deadline.
    pub(crate) fn sibling(&self) -> Caller<'a> {
        Caller {
            api: self.api,
            log: self.log,
            clock: self.clock,
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
    pub(crate) fn call<T>(
        &mut self,
        request: &ApiRequest,
        decode: impl Fn(&mut dyn Read) -> Result<T, DecodeError>,
    ) -> Observed<T> {
        let endpoint = request.endpoint();
        let mut attempt = 1;
        loop {
            let remaining = self.deadline.saturating_duration_since(self.clock.now());
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
            (self.log)(&Event::Start {
                endpoint: endpoint.clone(),
            });
            let started = Instant::now();
            let a = match self.api.send(request, timeout) {
                Err(e) => transport_failure(e, bound),
                Ok(response) => classify(response, &decode, limit, bound, self.clock),
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
            let out_of_time = self.clock.now() + wait >= self.deadline;
            if attempt >= MAX_ATTEMPTS || out_of_time {
                // The last attempt was made: the deadline stopped nothing, whatever it leaves.
                let note = if out_of_time && attempt < MAX_ATTEMPTS {
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
            self.clock.sleep(wait);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_errors_never_quote_the_body() {
        let e = serde_json::from_str::<u32>("\"SENTINEL\"").unwrap_err();
        assert!(!DecodeError::from_json(&e).message.contains("SENTINEL"));
    }
}
