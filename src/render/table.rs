//! The human report: a table of checks, the findings with their fixes, a one-line summary.

use std::fmt::Write as _;

use comfy_table::{Cell, Color, ContentArrangement, Table, presets};
use owo_colors::OwoColorize;

use super::{Context, TOOL, VERSION};
use crate::report::{CheckStatus, Code, Level, Outcome, Report};
use crate::sanitize::terminal;

fn status_cell(status: CheckStatus, color: bool) -> Cell {
    let cell = Cell::new(status.as_str().to_uppercase());
    if !color {
        return cell;
    }
    match status {
        CheckStatus::Pass => cell.fg(Color::Green),
        CheckStatus::Warn => cell.fg(Color::Yellow),
        CheckStatus::Fail => cell.fg(Color::Red),
        CheckStatus::Unknown => cell.fg(Color::Magenta),
        CheckStatus::Manual => cell.fg(Color::Cyan),
    }
}

fn paint_level(level: Level, color: bool) -> String {
    let text = format!("{:<7}", level.as_str());
    if !color {
        return text;
    }
    match level {
        Level::Error => text.red().bold().to_string(),
        Level::Warning => text.yellow().bold().to_string(),
        Level::Info => text.cyan().to_string(),
    }
}

pub fn render(report: &Report, ctx: &Context) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{TOOL} {VERSION}: {} (rules `{}`) against {}",
        terminal(&ctx.title),
        terminal(&ctx.profile),
        terminal(&ctx.target)
    );
    out.push('\n');

    let mut table = Table::new();
    table
        .load_style(presets::UTF8_FULL_CONDENSED.with_rounded_corners())
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(ctx.width)
        .set_header(vec!["Status", "Category", "Check", "Evidence"]);
    if ctx.color {
        table.enforce_styling();
    } else {
        table.force_no_tty();
    }
    // The checks of --excess have their own section below.
    for check in report.checks.iter().filter(|c| !c.is_excess()) {
        table.add_row(vec![
            status_cell(check.status, ctx.color),
            Cell::new(terminal(check.category.as_deref().unwrap_or("-"))),
            Cell::new(terminal(&check.what)),
            Cell::new(terminal(&check.evidence)),
        ]);
    }
    let _ = writeln!(out, "{table}");

    let unknown = report.unknown_checks();
    if !unknown.is_empty() {
        let _ = writeln!(out, "\nCould not be judged ({}):", unknown.len());
        // One line per reason, so a stopped audit does not repeat itself.
        let mut reasons: Vec<(&str, Vec<&str>)> = Vec::new();
        for c in unknown {
            match reasons.iter_mut().find(|(r, _)| *r == c.reason) {
                Some((_, whats)) => whats.push(&c.what),
                None => reasons.push((&c.reason, vec![&c.what])),
            }
        }
        for (reason, whats) in reasons {
            let _ = writeln!(
                out,
                "  {}: {}",
                terminal(&whats.join("; ")),
                terminal(reason)
            );
        }
    }

    manual(report, &mut out);
    inferred(report, &mut out);

    // `category-not-needed` findings are in "Granted but not needed" below.
    let findings: Vec<&crate::report::Finding> = report
        .findings
        .iter()
        .filter(|f| f.code != Code::CategoryNotNeeded)
        .collect();
    if !findings.is_empty() {
        let _ = writeln!(out, "\nFindings ({}):", findings.len());
        for f in findings {
            let _ = writeln!(
                out,
                "\n{} {}  {}",
                paint_level(f.level, ctx.color),
                f.code,
                terminal(&f.message)
            );
            if let Some(permission) = &f.permission {
                let _ = writeln!(out, "        permission: {}", terminal(permission));
            }
            if let Some(fix) = &f.fix {
                let _ = writeln!(out, "        fix: {}", terminal(fix));
            }
        }
    }

    granted_not_needed(report, ctx.color, &mut out);

    let suppressed = report.suppressed_gaps();
    if !suppressed.is_empty() {
        let _ = writeln!(out, "\nSuppressed by the rules ({}):", suppressed.len());
        for sf in suppressed {
            let _ = writeln!(
                out,
                "\n{} {}  {}\n        reason: {}",
                paint_level(sf.finding.level, ctx.color),
                sf.finding.code,
                terminal(&sf.finding.message),
                terminal(&sf.reason)
            );
        }
    }

    let s = report.summary();
    let outcome = report.outcome();
    let verdict = outcome.as_str().to_uppercase();
    let verdict = match (ctx.color, outcome) {
        (false, _) => verdict,
        (true, Outcome::Pass) => verdict.green().bold().to_string(),
        (true, Outcome::Fail) => verdict.red().bold().to_string(),
        (true, Outcome::Incomplete) => verdict.magenta().bold().to_string(),
    };
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let _ = write!(
        out,
        "\n{verdict}: {}, {}, {}; checks: {} pass, {} warn, {} fail, {} unknown",
        plural(s.errors, "error", "errors"),
        plural(s.warnings, "warning", "warnings"),
        plural(s.infos, "info", "infos"),
        s.passed,
        s.warned,
        s.failed,
        s.unknown
    );
    if s.manual > 0 {
        let _ = write!(out, "; {} to confirm by hand", s.manual);
    }
    if let Some(n) = s.employees_visible {
        let _ = write!(out, "; {} visible", crate::evaluate::employees(n));
    }
    if s.suppressed > 0 || s.allowed > 0 {
        let _ = write!(out, "; {} suppressed, {} allowed", s.suppressed, s.allowed);
    }
    out.push('\n');
    out
}

/// The guide's lines a read-only audit cannot prove, with why and the guide's words.
fn manual(report: &Report, out: &mut String) {
    let manual = report.manual_checks();
    if manual.is_empty() {
        return;
    }
    let _ = writeln!(out, "\nConfirm by hand ({}):", manual.len());
    for c in manual {
        let _ = writeln!(
            out,
            "  - {}",
            terminal(c.permission.as_deref().unwrap_or(&c.what))
        );
        for q in &c.guide_text {
            let _ = writeln!(out, "      your guide: \"{}\"", terminal(q));
        }
        let _ = writeln!(out, "      why by hand: {}", terminal(&c.reason));
    }
}

/// Requirements the guide does not ask for, grouped by why the rules have them.
fn inferred(report: &Report, out: &mut String) {
    let mut groups: Vec<(&str, Vec<&str>)> = Vec::new();
    for c in &report.checks {
        let Some(why) = c.inferred.as_deref() else {
            continue;
        };
        match groups.iter_mut().find(|(w, _)| *w == why) {
            Some((_, whats)) => whats.push(&c.what),
            None => groups.push((why, vec![&c.what])),
        }
    }
    if groups.is_empty() {
        return;
    }
    let _ = writeln!(out, "\nNot in the guide (required by the rules anyway):");
    for (why, whats) in groups {
        let _ = writeln!(out, "  {}: {}", terminal(&whats.join("; ")), terminal(why));
    }
}

/// `check --excess`: what the group grants although the rules do not need it, sensitive first,
/// each with the box to untick; what the rules accept on purpose, with the reason; and what is
/// not granted, as least privilege wants.
fn granted_not_needed(report: &Report, color: bool, out: &mut String) {
    if !report.checks.iter().any(|c| c.is_excess()) {
        return;
    }
    let granted = report.granted_not_needed();
    let sensitive = granted
        .iter()
        .filter(|(f, _)| f.sensitive == Some(true))
        .count();
    let _ = writeln!(
        out,
        "\nGranted but not needed ({} sensitive, {} other):",
        sensitive,
        granted.len() - sensitive
    );
    let unknown = report
        .checks
        .iter()
        .filter(|c| c.is_excess() && c.status == CheckStatus::Unknown)
        .count();
    if granted.is_empty() && unknown > 0 {
        let _ = writeln!(
            out,
            "  none seen; {unknown} could not be judged (see \"Could not be judged\" above)"
        );
    } else if granted.is_empty() {
        let _ = writeln!(
            out,
            "  nothing: the group grants no category or Time off box beyond the rules"
        );
    } else {
        let _ = writeln!(
            out,
            "  untick each in {}, then Save; if the integration needs one after all, add it to the rules or accept it with [[allow_extra]] and the reason",
            crate::permissions::GROUP_PATH
        );
    }
    for (f, accepted) in granted {
        let check = report.excess_check(f);
        let label = check.map_or_else(
            || f.category.clone().unwrap_or_default(),
            |c| c.excess_label().to_string(),
        );
        let level = match accepted {
            Some(_) => format!("{:<7}", "accepted"),
            None => paint_level(f.level, color),
        };
        let _ = writeln!(
            out,
            "\n{level} {}{}: {}",
            terminal(&label),
            if f.sensitive == Some(true) {
                " (sensitive)"
            } else {
                ""
            },
            terminal(check.map_or("", |c| c.evidence.as_str()))
        );
        if let Some(permission) = &f.permission {
            let _ = writeln!(out, "        untick: {}", terminal(permission));
        }
        if let Some(reason) = accepted {
            let _ = writeln!(out, "        accepted by the rules: {}", terminal(reason));
        }
    }
    let not_granted: Vec<&str> = report
        .not_granted()
        .iter()
        .map(|c| c.excess_label())
        .collect();
    if !not_granted.is_empty() {
        let _ = writeln!(
            out,
            "\nNot granted, as least privilege wants ({}): {}",
            not_granted.len(),
            terminal(&not_granted.join(", "))
        );
    }
}
