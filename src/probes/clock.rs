//! Time as the caller sees it: now, the Unix time (for rate-limit headers), and sleeping.
//! The binary uses the system's; tests inject [`FakeClock`], so that retries, backoffs and
//! rate-limit waits are checked without real waiting.

use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

pub trait Clock: Sync {
    fn now(&self) -> Instant;
    /// Seconds since 1970-01-01, for `X-RateLimit-Reset` and HTTP dates.
    fn unix_seconds(&self) -> f64;
    fn sleep(&self, wait: Duration);
}

/// The system's clock; sleeping sleeps.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Instant {
        Instant::now()
    }

    fn unix_seconds(&self) -> f64 {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0.0, |d| d.as_secs_f64())
    }

    fn sleep(&self, wait: Duration) {
        std::thread::sleep(wait);
    }
}

/// A clock whose sleeping only moves it forward, and remembers every wait.
#[derive(Debug)]
pub struct FakeClock {
    start: Instant,
    unix_start: f64,
    advanced: Mutex<Duration>,
    waits: Mutex<Vec<Duration>>,
}

impl Default for FakeClock {
    fn default() -> Self {
        Self::new()
    }
}

impl FakeClock {
    pub fn new() -> Self {
        FakeClock {
            start: Instant::now(),
            unix_start: SystemClock.unix_seconds(),
            advanced: Mutex::new(Duration::ZERO),
            waits: Mutex::new(Vec::new()),
        }
    }

    /// Every wait asked for, in order.
    pub fn waits(&self) -> Vec<Duration> {
        self.waits.lock().map(|w| w.clone()).unwrap_or_default()
    }

    fn advanced(&self) -> Duration {
        self.advanced.lock().map(|a| *a).unwrap_or_default()
    }
}

impl Clock for FakeClock {
    fn now(&self) -> Instant {
        // Real time passes too (calls take it); sleeps add to it without waiting.
        Instant::now() + self.advanced()
    }

    fn unix_seconds(&self) -> f64 {
        self.unix_start + (Instant::now() - self.start + self.advanced()).as_secs_f64()
    }

    fn sleep(&self, wait: Duration) {
        if let Ok(mut a) = self.advanced.lock() {
            *a += wait;
        }
        if let Ok(mut w) = self.waits.lock() {
            w.push(wait);
        }
    }
}
