//! `hibob-audit diff`: a comparison of two reports in, text out (table, Markdown or JSON).
//! Every string from the reports is escaped here: reports are untrusted input.

use std::fmt::Write as _;

use comfy_table::{Cell, Color, ContentArrangement, Table, presets};
use owo_colors::OwoColorize;
use serde::Serialize;

use super::markdown::md;
use super::{TOOL, VERSION};
use crate::compare::{
    CheckChange, CheckChangeKind, Comparison, DiffSummary, FindingChange, FindingChangeKind,
    FindingDoc, KIND, Side, Verdict,
};
use crate::report::{CheckStatus, Level, Outcome};
use crate::sanitize::terminal;

/// The version of the comparison's own JSON document; additive changes only within it.
pub const FORMAT_VERSION: &str = "1";

/// The formats of `diff --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DiffFormat {
    /// A table of the checks that changed, the findings that appeared or went away, a summary.
    Table,
    /// One versioned JSON document (docs/json.md).
    Json,
    /// The same as the table, in Markdown.
    Markdown,
}

/// What the renderer needs besides the comparison.
#[derive(Debug, Clone)]
pub struct DiffContext {
    /// The old report's file, as given.
    pub old_name: String,
    /// The new report's file, as given.
    pub new_name: String,
    pub color: bool,
    /// Table width in columns.
    pub width: u16,
}

pub fn render(
    format: DiffFormat,
    c: &Comparison,
    ctx: &DiffContext,
) -> Result<String, super::RenderError> {
    Ok(match format {
        DiffFormat::Table => table(c, ctx),
        DiffFormat::Json => json(c, ctx)?,
        DiffFormat::Markdown => markdown(c, ctx),
    })
}

fn heading(kind: CheckChangeKind) -> &'static str {
    match kind {
        CheckChangeKind::Fixed => "Fixed",
        CheckChangeKind::New => "New",
        CheckChangeKind::NowKnown => "Now known",
        CheckChangeKind::StillFailing => "Still failing",
        CheckChangeKind::NowUnknown => "Now unknown",
        CheckChangeKind::StillUnknown => "Still unknown",
        CheckChangeKind::Added => "Added",
        CheckChangeKind::Removed => "Removed",
    }
}

fn finding_heading(kind: FindingChangeKind) -> &'static str {
    match kind {
        FindingChangeKind::Appeared => "Findings that appeared",
        FindingChangeKind::LevelChanged => "Findings whose level changed",
        FindingChangeKind::Gone => "Findings that went away",
    }
}

fn verdict_text(v: Verdict) -> &'static str {
    match v {
        Verdict::Worse => "WORSE",
        Verdict::Better => "BETTER",
        Verdict::NotWorse => "NOT WORSE",
        Verdict::Unchanged => "UNCHANGED",
    }
}

fn status(s: Option<CheckStatus>) -> String {
    s.map_or_else(|| "absent".to_string(), |s| s.as_str().to_uppercase())
}

fn level_change(f: &FindingChange) -> String {
    let level = f.finding.level.as_str();
    match f.old_level {
        Some(old) => format!("{} → {level}", old.as_str()),
        None => level.to_string(),
    }
}

/// What a finding is about, raw: category, lifecycle status, endpoint, then fields; the
/// message when it names none of them.
fn subject(f: &FindingDoc) -> String {
    let head: Vec<String> = [
        f.category.clone(),
        f.lifecycle_status
            .as_ref()
            .map(|s| format!("lifecycle status {s}")),
        f.endpoint.clone(),
    ]
    .into_iter()
    .flatten()
    .collect();
    let head = head.join("; ");
    let fields = f.fields.join(", ");
    match (head.is_empty(), fields.is_empty()) {
        (true, true) => f.message.clone(),
        (false, true) => head,
        (true, false) => fields,
        (false, false) => format!("{head}: {fields}"),
    }
}

/// One report's side in a sentence: its outcome and target.
fn side(name: &str, s: &Side, esc: fn(&str) -> String) -> String {
    let mut text = format!("{} ({}", esc(name), s.outcome.as_str().to_uppercase());
    if let Some(target) = &s.target {
        let _ = write!(text, ", against {}", esc(target));
    }
    text.push(')');
    text
}

/// The counts, for the last line.
fn counts(s: &DiffSummary) -> String {
    let mut text = format!(
        "{} fixed, {} new, {} still failing, {} now known",
        s.fixed, s.new, s.still_failing, s.now_known
    );
    for (n, what) in [
        (s.now_unknown, "now unknown"),
        (s.still_unknown, "still unknown"),
        (s.added, "added"),
        (s.removed, "removed"),
    ] {
        if n > 0 {
            let _ = write!(text, ", {n} {what}");
        }
    }
    let _ = write!(
        text,
        "; findings: {} appeared ({} error{}), ",
        s.findings_appeared,
        s.errors_appeared,
        if s.errors_appeared == 1 { "" } else { "s" }
    );
    if s.findings_level_changed > 0 {
        let _ = write!(text, "{} changed level, ", s.findings_level_changed);
    }
    let _ = write!(text, "{} gone", s.findings_gone);
    text
}

fn paint_change(c: &CheckChange, color: bool) -> Cell {
    let cell = Cell::new(heading(c.change).to_uppercase());
    if !color {
        return cell;
    }
    match c.change {
        CheckChangeKind::Fixed => cell.fg(Color::Green),
        _ if c.worse => cell.fg(Color::Red),
        CheckChangeKind::StillFailing => cell.fg(Color::Yellow),
        CheckChangeKind::NowUnknown | CheckChangeKind::StillUnknown => cell.fg(Color::Magenta),
        _ => cell,
    }
}

fn paint_verdict(v: Verdict, color: bool) -> String {
    let text = verdict_text(v);
    match (color, v) {
        (false, _) => text.to_string(),
        (true, Verdict::Worse) => text.red().bold().to_string(),
        (true, Verdict::Better) => text.green().bold().to_string(),
        (true, _) => text.bold().to_string(),
    }
}

/// The findings by kind of change, in order; kinds with none left out.
fn finding_groups(c: &Comparison) -> Vec<(FindingChangeKind, Vec<&FindingChange>)> {
    FindingChangeKind::ALL
        .into_iter()
        .map(|kind| (kind, c.findings_of(kind).collect::<Vec<_>>()))
        .filter(|(_, list)| !list.is_empty())
        .collect()
}

fn table(c: &Comparison, ctx: &DiffContext) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{TOOL} {VERSION}: what changed between two reports of rules `{}`",
        terminal(&c.profile)
    );
    let _ = writeln!(out, "  old: {}", side(&ctx.old_name, &c.old, terminal));
    let _ = writeln!(out, "  new: {}", side(&ctx.new_name, &c.new, terminal));
    out.push('\n');

    if c.checks.is_empty() {
        out.push_str("No check changed, and none fails, warns or is unknown.\n");
    } else {
        let mut t = Table::new();
        t.load_style(presets::UTF8_FULL_CONDENSED.with_rounded_corners())
            .set_content_arrangement(ContentArrangement::Dynamic)
            .set_width(ctx.width)
            .set_header(vec!["Change", "Category", "Check", "Old → new"]);
        if ctx.color {
            t.enforce_styling();
        } else {
            t.force_no_tty();
        }
        for ch in &c.checks {
            t.add_row(vec![
                paint_change(ch, ctx.color),
                Cell::new(terminal(ch.category.as_deref().unwrap_or("-"))),
                Cell::new(terminal(&ch.what)),
                Cell::new(format!("{} → {}", status(ch.old), status(ch.new))),
            ]);
        }
        let _ = writeln!(out, "{t}");
    }

    for (kind, list) in finding_groups(c) {
        let _ = writeln!(out, "\n{} ({}):", finding_heading(kind), list.len());
        for f in list {
            let level = format!("{:<7}", level_change(f));
            let level = match (ctx.color, f.finding.level) {
                (true, Level::Error) if kind != FindingChangeKind::Gone => {
                    level.red().bold().to_string()
                }
                _ => level,
            };
            let _ = writeln!(
                out,
                "  {level}  {}  {}",
                terminal(&f.finding.code),
                terminal(&subject(&f.finding))
            );
        }
    }

    let _ = writeln!(
        out,
        "\n{}: {}",
        paint_verdict(c.verdict(), ctx.color),
        counts(&c.summary())
    );
    out
}

fn markdown(c: &Comparison, ctx: &DiffContext) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# What changed between two reports of rules {}\n",
        md(&c.profile)
    );
    let _ = writeln!(out, "- Old: {}", side(&ctx.old_name, &c.old, md));
    let _ = writeln!(out, "- New: {}", side(&ctx.new_name, &c.new, md));
    let _ = writeln!(
        out,
        "\n**{}**: {}.\n",
        verdict_text(c.verdict()),
        counts(&c.summary())
    );

    if c.checks.is_empty() {
        out.push_str("No check changed, and none fails, warns or is unknown.\n\n");
    }
    for kind in CheckChangeKind::ALL {
        let list: Vec<&CheckChange> = c.checks_of(kind).collect();
        if list.is_empty() {
            continue;
        }
        let _ = writeln!(out, "## {} ({})\n", heading(kind), list.len());
        for ch in list {
            let category = ch
                .category
                .as_deref()
                .map_or_else(String::new, |cat| format!("{}: ", md(cat)));
            let _ = writeln!(
                out,
                "- {category}{}: {} → {}",
                md(&ch.what),
                status(ch.old).to_lowercase(),
                status(ch.new).to_lowercase()
            );
        }
        out.push('\n');
    }

    for (kind, list) in finding_groups(c) {
        let _ = writeln!(out, "## {} ({})\n", finding_heading(kind), list.len());
        for f in list {
            let _ = writeln!(
                out,
                "- **{}** {}: {}",
                level_change(f),
                md(&f.finding.code),
                md(&subject(&f.finding))
            );
            if kind != FindingChangeKind::Gone {
                let _ = writeln!(out, "  {}", md(&f.finding.message));
                if let Some(fix) = &f.finding.fix {
                    let _ = writeln!(out, "  Fix: {}", md(fix));
                }
            }
        }
        out.push('\n');
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

#[derive(Serialize)]
struct Document<'a> {
    format_version: &'static str,
    kind: &'static str,
    tool: super::json::Tool,
    profile: &'a str,
    old: SideDoc<'a>,
    new: SideDoc<'a>,
    verdict: Verdict,
    worse: bool,
    summary: DiffSummary,
    checks: &'a [CheckChange],
    findings: &'a [FindingChange],
}

#[derive(Serialize)]
struct SideDoc<'a> {
    file: &'a str,
    outcome: Outcome,
    target: Option<&'a str>,
    tool_version: Option<&'a str>,
}

impl<'a> SideDoc<'a> {
    fn of(file: &'a str, s: &'a Side) -> Self {
        SideDoc {
            file,
            outcome: s.outcome,
            target: s.target.as_deref(),
            tool_version: s.tool_version.as_deref(),
        }
    }
}

fn json(c: &Comparison, ctx: &DiffContext) -> Result<String, super::RenderError> {
    let doc = Document {
        format_version: FORMAT_VERSION,
        kind: KIND,
        tool: super::json::Tool::THIS,
        profile: &c.profile,
        old: SideDoc::of(&ctx.old_name, &c.old),
        new: SideDoc::of(&ctx.new_name, &c.new),
        verdict: c.verdict(),
        worse: c.worse(),
        summary: c.summary(),
        checks: &c.checks,
        findings: &c.findings,
    };
    // Strings from the reports may hold controls serde_json leaves raw (DEL, C1, bidi).
    super::pretty_json("comparison", &doc)
}
