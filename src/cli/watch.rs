//! `check --watch[=SECONDS]`: the admin's loop. The audit runs, the admin ticks boxes in
//! HiBob, and the audit runs again, every SECONDS (15 at least), until it passes or is
//! interrupted. The first round prints the report; later rounds print only what changed. A
//! rejected credential stops at once; a rate limit doubles the wait.

use std::time::Duration;

use super::{CheckArgs, CliError, Format, Io, Outputs, audit, deliver, emit};
use crate::client::HiBobApi;
use crate::exit::Exit;
use crate::probes::{Limits, Needs};
use crate::render::Context;
use crate::report::{CheckStatus, Code, Outcome, Report};
use crate::rules::Rules;
use crate::sanitize::terminal;

/// The shortest interval: with at most 12 calls a round, at most 48 calls a minute in all,
/// and 4 to any one endpoint, against HiBob's 50 per endpoint per minute.
pub const MIN_INTERVAL: u64 = 15;
/// The longest wait after repeated rate limits.
const MAX_BACKOFF: u64 = 300;

fn mark(status: CheckStatus) -> &'static str {
    match status {
        CheckStatus::Pass => "✓",
        CheckStatus::Fail => "✗",
        CheckStatus::Warn => "!",
        CheckStatus::Unknown => "?",
        CheckStatus::Manual => "·",
    }
}

/// What changed between two rounds, one line per check whose status moved.
pub fn changes(before: &Report, after: &Report) -> Vec<String> {
    let mut out = Vec::new();
    for c in &after.checks {
        let was = before
            .checks
            .iter()
            .find(|b| b.id == c.id)
            .map(|b| b.status);
        if was == Some(c.status) {
            continue;
        }
        let name = match &c.category {
            Some(cat) => format!("{}: {}", terminal(cat), terminal(&c.what)),
            None => terminal(&c.what),
        };
        out.push(match was {
            Some(w) => format!(
                "  {} {name}: now {} (was {})",
                mark(c.status),
                c.status.as_str(),
                w.as_str()
            ),
            None => format!(
                "  {} {name}: {} (new check)",
                mark(c.status),
                c.status.as_str()
            ),
        });
    }
    for b in &before.checks {
        if !after.checks.iter().any(|c| c.id == b.id) {
            out.push(format!("  - {}: no longer checked", terminal(&b.what)));
        }
    }
    out
}

fn throttled(report: &Report) -> bool {
    report
        .findings
        .iter()
        .any(|f| f.code == Code::UnexpectedResponse && f.evidence.http_status == Some(429))
}

#[allow(clippy::too_many_arguments)]
pub(super) fn run(
    api: &dyn HiBobApi,
    args: &CheckArgs,
    rules: &Rules,
    needs: &Needs,
    limits: Limits,
    outputs: Outputs,
    interval: u64,
    ctx: Context,
    io: &mut Io,
) -> Result<Exit, CliError> {
    let policy = super::policy(rules, &args.severity);
    let started = io.clock.now();
    let table = args.output.format == Format::Table && !args.output.quiet;
    let mut previous: Option<Report> = None;
    let mut wait = interval.max(MIN_INTERVAL);
    let mut round = 0u32;
    loop {
        round += 1;
        let setup = crate::audit::Audit {
            api,
            rules,
            needs,
            policy: &policy,
            limits,
            today: io.today,
            clock: io.clock,
        };
        let report = audit(&setup, args.verbose, args.output.quiet, io);
        let done = report.outcome() == Outcome::Pass;
        let rejected = report
            .findings
            .iter()
            .any(|f| f.code == Code::CredentialsRejected);
        match &previous {
            None if table && !done && !rejected => {
                emit(
                    io,
                    &crate::render::table::render(
                        &report,
                        &Context {
                            color: super::use_color(&args.output, io),
                            ..ctx.clone()
                        },
                    ),
                )?;
            }
            Some(before) if table => {
                let lines = changes(before, &report);
                let s = report.summary();
                let mut text = format!(
                    "\nRound {round}, after {} s: {}",
                    (io.clock.now() - started).as_secs(),
                    if lines.is_empty() {
                        "nothing changed".to_string()
                    } else {
                        format!("{} change(s)", lines.len())
                    }
                );
                for l in &lines {
                    text.push('\n');
                    text.push_str(l);
                }
                text.push_str(&format!(
                    "\n  {}: {} error(s), {} warning(s); {} pass, {} fail, {} unknown\n",
                    report.outcome().as_str().to_uppercase(),
                    s.errors,
                    s.warnings,
                    s.passed,
                    s.failed,
                    s.unknown
                ));
                emit(io, &text)?;
            }
            _ => {}
        }
        if done || rejected {
            // The last round's report, in full, everywhere asked.
            if table && previous.is_some() {
                emit(io, "\n")?;
            }
            deliver(&report, ctx.clone(), &args.output, outputs, io)?;
            return Ok(Exit::from_outcome(report.outcome()));
        }
        wait = if throttled(&report) {
            (wait * 2).min(MAX_BACKOFF)
        } else {
            interval.max(MIN_INTERVAL)
        };
        countdown(wait, args.output.quiet, io);
        previous = Some(report);
    }
}

/// Waits, saying how long: a line that counts down on a terminal, one line otherwise.
fn countdown(seconds: u64, quiet: bool, io: &mut Io) {
    let live = io.stderr_is_terminal && !quiet;
    if !live {
        if !quiet {
            let _ = writeln!(
                io.stderr,
                "hibob-audit: not passing yet; next run in {seconds} s (Ctrl-C to stop)"
            );
        }
        io.clock.sleep(Duration::from_secs(seconds));
        return;
    }
    for left in (1..=seconds).rev() {
        let _ = write!(
            io.stderr,
            "\r\x1b[Knot passing yet; next run in {left} s (Ctrl-C to stop)"
        );
        let _ = io.stderr.flush();
        io.clock.sleep(Duration::from_secs(1));
    }
    let _ = write!(io.stderr, "\r\x1b[K");
    let _ = io.stderr.flush();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Check;

    fn report(statuses: &[(&str, CheckStatus)]) -> Report {
        Report {
            headline: None,
            checks: statuses
                .iter()
                .map(|(id, s)| Check::new(*id, *s, format!("what {id}")))
                .collect(),
            findings: Vec::new(),
            suppressed: Vec::new(),
            allowed: 0,
            complete: true,
            employees_visible: None,
        }
    }

    #[test]
    fn only_moved_checks_are_said() {
        let a = report(&[("a", CheckStatus::Fail), ("b", CheckStatus::Pass)]);
        let b = report(&[
            ("a", CheckStatus::Pass),
            ("b", CheckStatus::Pass),
            ("c", CheckStatus::Warn),
        ]);
        let lines = changes(&a, &b);
        assert_eq!(
            lines,
            [
                "  ✓ what a: now pass (was fail)",
                "  ! what c: warn (new check)"
            ]
        );
        assert!(changes(&b, &b).is_empty());
    }
}
