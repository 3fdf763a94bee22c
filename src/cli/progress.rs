//! What the user sees on stderr while the audit runs: a one-line status that updates while
//! calls are in flight (only on a terminal, never with `-q`), each call's start and end with
//! `-v`, and every retry's wait. The line is cleared before anything else is written.

use std::io::Write;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::probes::Event;
use crate::sanitize::terminal;

/// A call shorter than this never shows the line, so fast audits do not flicker.
const SHOW_AFTER: Duration = Duration::from_millis(500);
/// How often the line is redrawn.
const TICK: Duration = Duration::from_millis(200);

/// What to say, and where.
pub(super) struct Feedback<'w> {
    stderr: Mutex<Screen<'w>>,
    verbose: bool,
    /// Draw the status line (stderr is a terminal, and not `-q`).
    live: bool,
    /// The calls in flight, with when they started.
    in_flight: Mutex<Vec<(String, Instant)>>,
    done: AtomicBool,
}

struct Screen<'w> {
    out: &'w mut (dyn Write + Send),
    /// The status line is on screen and must be cleared before other text.
    drawn: bool,
    width: usize,
}

impl Screen<'_> {
    fn clear(&mut self) {
        if self.drawn {
            let _ = write!(self.out, "\r\x1b[K");
            let _ = self.out.flush();
            self.drawn = false;
        }
    }

    fn line(&mut self, text: &str) {
        self.clear();
        let _ = writeln!(self.out, "{text}");
    }
}

impl<'w> Feedback<'w> {
    pub(super) fn new(
        stderr: &'w mut (dyn Write + Send),
        verbose: bool,
        live: bool,
        width: usize,
    ) -> Self {
        Feedback {
            stderr: Mutex::new(Screen {
                out: stderr,
                drawn: false,
                width,
            }),
            verbose,
            live,
            in_flight: Mutex::new(Vec::new()),
            done: AtomicBool::new(false),
        }
    }

    /// Says one line, clearing the status line first.
    pub(super) fn say(&self, text: &str) {
        if let Ok(mut s) = self.stderr.lock() {
            s.line(text);
        }
    }

    /// Hears a probe event.
    pub(super) fn event(&self, e: &Event) {
        match e {
            Event::Start { endpoint } => {
                if let Ok(mut f) = self.in_flight.lock() {
                    f.push((endpoint.clone(), Instant::now()));
                }
                if self.verbose {
                    self.say(&format!("hibob-audit: {endpoint} ..."));
                }
            }
            Event::Call(c) => {
                if let Ok(mut f) = self.in_flight.lock()
                    && let Some(i) = f.iter().position(|(e, _)| *e == c.endpoint)
                {
                    f.remove(i);
                }
                if self.verbose {
                    let status = c.status.map_or("no answer".to_string(), |s| s.to_string());
                    self.say(&format!(
                        "hibob-audit: {} -> {status} in {} ms ({} bytes read)",
                        c.endpoint, c.millis, c.bytes
                    ));
                }
            }
            Event::Retry {
                endpoint,
                why,
                wait,
                attempt,
            } => self.say(&format!(
                "hibob-audit: {endpoint}: {}; waiting {:.1} s before attempt {attempt} of {}",
                terminal(why),
                wait.as_secs_f32(),
                crate::probes::call::MAX_ATTEMPTS
            )),
        }
    }

    /// Redraws the status line until [`Feedback::finish`]; returns at once when not live.
    pub(super) fn run_ticker(&self) {
        if !self.live {
            return;
        }
        while !self.done.load(Ordering::Acquire) {
            std::thread::sleep(TICK);
            self.draw();
        }
    }

    fn draw(&self) {
        let oldest = self
            .in_flight
            .lock()
            .ok()
            .and_then(|f| f.iter().min_by_key(|(_, t)| *t).cloned());
        let Ok(mut s) = self.stderr.lock() else {
            return;
        };
        if self.done.load(Ordering::Acquire) {
            return;
        }
        match oldest {
            Some((endpoint, started)) if started.elapsed() >= SHOW_AFTER => {
                let text = format!(
                    "waiting for {endpoint} ({} s)…",
                    started.elapsed().as_secs()
                );
                let text: String = text.chars().take(s.width.saturating_sub(1)).collect();
                let _ = write!(s.out, "\r\x1b[K{text}");
                let _ = s.out.flush();
                s.drawn = true;
            }
            _ => s.clear(),
        }
    }

    /// Stops the ticker and clears the line, before the report is written.
    pub(super) fn finish(&self) {
        self.done.store(true, Ordering::Release);
        if let Ok(mut s) = self.stderr.lock() {
            s.clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_is_cleared_before_other_text_and_at_the_end() {
        let mut buf: Vec<u8> = Vec::new();
        {
            let f = Feedback::new(&mut buf, true, true, 80);
            f.event(&Event::Start {
                endpoint: "POST /people/search".into(),
            });
            if let Ok(mut fl) = f.in_flight.lock() {
                fl[0].1 = Instant::now() - Duration::from_secs(3);
            }
            f.draw();
            f.say("hibob-audit: a retry");
            f.draw();
            f.finish();
        }
        let text = String::from_utf8_lossy(&buf);
        assert!(
            text.contains("waiting for POST /people/search (3 s)…"),
            "{text:?}"
        );
        assert!(text.contains("\r\x1b[Khibob-audit: a retry"), "{text:?}");
        assert!(text.ends_with("\r\x1b[K"), "{text:?}");
    }
}
