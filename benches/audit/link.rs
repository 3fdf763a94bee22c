//! The shaped link: a latency before each answer and a bandwidth shared by all connections
//! (a token bucket); and the link's limit for the audit's calls.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::tenant::Tenant;

/// A link between the audit and HiBob: a latency before each answer, and a bandwidth shared
/// by all connections at once (a token bucket).
pub struct Link {
    pub latency: Duration,
    /// Bytes per second.
    pub rate: f64,
    bucket: Mutex<Bucket>,
}

struct Bucket {
    tokens: f64,
    last: Instant,
}

/// The bucket holds at most this many bytes: a burst of a few packets.
const BURST: f64 = 64.0 * 1024.0;
/// Answers are sent in pieces of this size, each waiting for its tokens.
pub const PIECE: usize = 16 * 1024;

impl Link {
    pub fn new(mbit: f64, latency_ms: u64) -> Self {
        Link {
            latency: Duration::from_millis(latency_ms),
            rate: mbit * 1e6 / 8.0,
            bucket: Mutex::new(Bucket {
                tokens: 0.0,
                last: Instant::now(),
            }),
        }
    }

    /// Waits until `n` bytes may be sent.
    pub fn take(&self, n: usize) {
        loop {
            let wait = {
                let mut b = self.bucket.lock().unwrap_or_else(|e| e.into_inner());
                let now = Instant::now();
                let earned = now.duration_since(b.last).as_secs_f64() * self.rate;
                b.tokens = (b.tokens + earned).min(BURST.max(n as f64));
                b.last = now;
                if b.tokens >= n as f64 {
                    b.tokens -= n as f64;
                    return;
                }
                (n as f64 - b.tokens) / self.rate
            };
            std::thread::sleep(Duration::from_secs_f64(wait));
        }
    }
}

/// The bytes of the answers the audit's calls get, by the stage of the audit that makes them.
pub struct Calls {
    metadata: usize,
    search: usize,
    /// The time-off calls made beside the search, one after another.
    timeoff: Vec<usize>,
    /// The per-employee calls made after the search, one after another.
    per_employee: Vec<usize>,
}

impl Calls {
    pub fn activtrak(t: &Tenant) -> Self {
        Calls {
            metadata: t.metadata.len(),
            search: t.search.len(),
            timeoff: vec![t.policy_types.len(), t.whosout.len(), t.changes.len()],
            per_employee: vec![t.balance.len()],
        }
    }

    /// `stackone`: two time-off calls beside the search, then four employee tables, the
    /// documents and the balance.
    pub fn stackone(t: &Tenant) -> Self {
        Calls {
            metadata: t.metadata.len(),
            search: t.search.len(),
            timeoff: vec![t.policy_types.len(), t.whosout.len()],
            per_employee: vec![
                t.table.len(),
                t.table.len(),
                t.table.len(),
                t.table.len(),
                t.docs.len(),
                t.balance.len(),
            ],
        }
    }

    pub fn bytes(&self) -> usize {
        self.metadata
            + self.search
            + self.timeoff.iter().sum::<usize>()
            + self.per_employee.iter().sum::<usize>()
    }

    pub fn count(&self) -> usize {
        2 + self.timeoff.len() + self.per_employee.len()
    }
}

/// The link's limit for the audit: no program can make the audit's calls faster over `link`.
/// The audit makes them in three stages, each waiting for the one before:
/// 1. the metadata: one latency, then its bytes;
/// 2. the search beside the time-off calls (on two threads, one connection each): the longer
///    of the search (one latency, then its bytes and the time-off bytes, since the bandwidth is
///    shared) and the time-off calls one after another (a latency and its bytes each);
/// 3. the per-employee calls one after another (a latency and its bytes each).
///
/// When the search is long, this is all bytes over the bandwidth plus three latencies on the
/// critical path (metadata, search, balance): the time-off calls' latencies hide behind the
/// search's transfer. Returns (limit, critical-path latencies), in seconds.
pub fn link_limit(calls: &Calls, link: &Link) -> (f64, f64) {
    let l = link.latency.as_secs_f64();
    let over = |bytes: usize| bytes as f64 / link.rate;
    let timeoff: usize = calls.timeoff.iter().sum();
    let stage1 = l + over(calls.metadata);
    let search = l + over(calls.search + timeoff);
    let beside = calls.timeoff.len() as f64 * l + over(timeoff);
    let stage2 = search.max(beside);
    let stage3 = calls.per_employee.len() as f64 * l + over(calls.per_employee.iter().sum());
    let limit = stage1 + stage2 + stage3;
    (limit, limit - over(calls.bytes()))
}
