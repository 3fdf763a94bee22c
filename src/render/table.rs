//! The human report: a table of checks, the findings with their fixes, a one-line summary.

use std::fmt::Write as _;

use comfy_table::{Cell, Color, ContentArrangement, Table, presets};
use owo_colors::OwoColorize;

use super::wrap::hanging;
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

/// Indent of every line under a finding's first line: it hangs under the code.
const HANG: &str = "        ";

pub(crate) fn render(report: &Report, ctx: &Context) -> String {
    let max = usize::from(ctx.width);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}",
        hanging(
            "",
            "  ",
            &format!(
                "{TOOL} {VERSION}: {} (rules `{}`) against {}",
                terminal(&ctx.title),
                terminal(&ctx.profile),
                terminal(&ctx.target)
            ),
            max
        )
    );
    out.push('\n');

    // When the audit could not proceed, its cause comes first, and the rows it left unknown
    // only with -v.
    let lead = report.headline.as_ref();
    if let Some(h) = lead {
        let label = paint_level(crate::report::Level::Error, ctx.color);
        let _ = writeln!(
            out,
            "{}",
            hanging(&format!("{label} "), HANG, &terminal(&h.cause), max)
        );
        let _ = writeln!(
            out,
            "{}\n",
            hanging(
                &format!("{HANG}fix: "),
                &format!("{HANG}     "),
                &terminal(&h.fix),
                max
            )
        );
    }
    if lead.is_none() || ctx.verbose {
        checks_table(report, ctx, &mut out);
        unknown(report, max, &mut out);
        manual(report, max, &mut out);
        inferred(report, max, &mut out);
    } else {
        let _ = writeln!(
            out,
            "{} of {} checks could not be judged; -v lists them.",
            report.unknown_checks().len(),
            report.checks.len()
        );
    }

    // `category-not-needed` findings are in "Granted but not needed" below.
    let findings: Vec<&crate::report::Finding> = report
        .findings
        .iter()
        .filter(|f| f.code != Code::CategoryNotNeeded)
        .collect();
    if !findings.is_empty() {
        let _ = writeln!(out, "\nFindings ({}):", findings.len());
        for f in findings {
            let first = format!("{} {}  ", paint_level(f.level, ctx.color), f.code);
            let _ = writeln!(
                out,
                "\n{}",
                hanging(&first, HANG, &terminal(&f.message), max)
            );
            if let Some(permission) = &f.permission {
                let _ = writeln!(
                    out,
                    "{}",
                    hanging(
                        &format!("{HANG}permission: "),
                        &format!("{HANG}            "),
                        &terminal(permission),
                        max
                    )
                );
            }
            // The headline said this fix already.
            if let Some(fix) = f.fix.as_ref().filter(|x| lead.is_none_or(|h| h.fix != **x)) {
                let _ = writeln!(
                    out,
                    "{}",
                    hanging(
                        &format!("{HANG}fix: "),
                        &format!("{HANG}     "),
                        &terminal(fix),
                        max
                    )
                );
            }
        }
    }

    granted_not_needed(report, ctx.color, max, &mut out);

    let suppressed = report.suppressed_gaps();
    if !suppressed.is_empty() {
        let _ = writeln!(out, "\nSuppressed by the rules ({}):", suppressed.len());
        for sf in suppressed {
            let first = format!(
                "{} {}  ",
                paint_level(sf.finding.level, ctx.color),
                sf.finding.code
            );
            let _ = writeln!(
                out,
                "\n{}\n{}",
                hanging(&first, HANG, &terminal(&sf.finding.message), max),
                hanging(
                    &format!("{HANG}reason: "),
                    &format!("{HANG}        "),
                    &terminal(&sf.reason),
                    max
                )
            );
        }
    }

    summary(report, ctx, &mut out);
    out
}

fn checks_table(report: &Report, ctx: &Context, out: &mut String) {
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
}

/// The checks that could not be judged, one line per reason, so a stopped audit does not
/// repeat itself.
fn unknown(report: &Report, max: usize, out: &mut String) {
    let unknown = report.unknown_checks();
    if unknown.is_empty() {
        return;
    }
    let _ = writeln!(out, "\nCould not be judged ({}):", unknown.len());
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
            "{}",
            hanging(
                "  ",
                "      ",
                &format!("{}: {}", terminal(&whats.join("; ")), terminal(reason)),
                max
            )
        );
    }
}

/// The verdict and the counts, wrapped.
fn summary(report: &Report, ctx: &Context, out: &mut String) {
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
    let mut text = format!(
        "{}, {}, {}; checks: {} pass, {} warn, {} fail, {} unknown",
        plural(s.errors, "error", "errors"),
        plural(s.warnings, "warning", "warnings"),
        plural(s.infos, "info", "infos"),
        s.passed,
        s.warned,
        s.failed,
        s.unknown
    );
    if s.manual > 0 {
        text.push_str(&format!("; {} to confirm by hand", s.manual));
    }
    if let Some(n) = s.employees_visible {
        text.push_str(&format!("; {} visible", crate::evaluate::employees(n)));
    }
    if s.suppressed > 0 || s.allowed > 0 {
        text.push_str(&format!(
            "; {} suppressed, {} allowed",
            s.suppressed, s.allowed
        ));
    }
    let _ = writeln!(
        out,
        "\n{}",
        hanging(&format!("{verdict}: "), "  ", &text, usize::from(ctx.width))
    );
}

/// The guide's lines a read-only audit cannot prove, with why and the guide's words.
fn manual(report: &Report, max: usize, out: &mut String) {
    let manual = report.manual_checks();
    if manual.is_empty() {
        return;
    }
    let _ = writeln!(out, "\nConfirm by hand ({}):", manual.len());
    for c in manual {
        let permission = terminal(c.permission.as_deref().unwrap_or(&c.what));
        let _ = writeln!(out, "{}", hanging("  - ", "    ", &permission, max));
        for q in &c.guide_text {
            let quote = format!("\"{}\"", terminal(q));
            let _ = writeln!(
                out,
                "{}",
                hanging("      your guide: ", "        ", &quote, max)
            );
        }
        let why = terminal(&c.reason);
        let _ = writeln!(
            out,
            "{}",
            hanging("      why by hand: ", "        ", &why, max)
        );
    }
}

/// Requirements the guide does not ask for, grouped by why the rules have them.
fn inferred(report: &Report, max: usize, out: &mut String) {
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
    let _ = writeln!(
        out,
        "\n{}",
        hanging(
            "",
            "",
            "Not in the guide (required by the rules anyway):",
            max
        )
    );
    for (why, whats) in groups {
        let text = format!("{}: {}", terminal(&whats.join("; ")), terminal(why));
        let _ = writeln!(out, "{}", hanging("  ", "      ", &text, max));
    }
}

/// `check --excess`: what the group grants although the rules do not need it, sensitive first,
/// each with the box to untick; what the rules accept on purpose, with the reason; and what is
/// not granted, as least privilege wants.
fn granted_not_needed(report: &Report, color: bool, max: usize, out: &mut String) {
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
    let intro = if granted.is_empty() && unknown > 0 {
        format!("none seen; {unknown} could not be judged (see \"Could not be judged\" above)")
    } else if granted.is_empty() {
        "nothing: the group grants no category or Time off box beyond the rules".to_string()
    } else {
        format!(
            "untick each in {}, then Save; if the integration needs one after all, add it to the rules or accept it with [[allow_extra]] and the reason",
            crate::permissions::GROUP_PATH
        )
    };
    let _ = writeln!(out, "{}", hanging("  ", "  ", &intro, max));
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
        let text = format!(
            "{}{}: {}",
            terminal(&label),
            if f.sensitive == Some(true) {
                " (sensitive)"
            } else {
                ""
            },
            terminal(check.map_or("", |c| c.evidence.as_str()))
        );
        let _ = writeln!(out, "\n{}", hanging(&format!("{level} "), HANG, &text, max));
        if let Some(permission) = &f.permission {
            let _ = writeln!(
                out,
                "{}",
                hanging(
                    &format!("{HANG}untick: "),
                    &format!("{HANG}        "),
                    &terminal(permission),
                    max
                )
            );
        }
        if let Some(reason) = accepted {
            let _ = writeln!(
                out,
                "{}",
                hanging(
                    &format!("{HANG}accepted by the rules: "),
                    &format!("{HANG}  "),
                    &terminal(reason),
                    max
                )
            );
        }
    }
    let not_granted: Vec<&str> = report
        .not_granted()
        .iter()
        .map(|c| c.excess_label())
        .collect();
    if !not_granted.is_empty() {
        let text = format!(
            "Not granted, as least privilege wants ({}): {}",
            not_granted.len(),
            terminal(&not_granted.join(", "))
        );
        let _ = writeln!(out, "\n{}", hanging("", "  ", &text, max));
    }
}
