//! `--format json`: one versioned document (format "1"; changes within it are additive).

use serde::Serialize;

use super::{Context, TOOL, VERSION};
use crate::report::{Check, Finding, Outcome, Report, Summary, SuppressedFinding};

pub use crate::report::FORMAT_VERSION;

#[derive(Serialize)]
struct Document<'a> {
    format_version: &'static str,
    tool: Tool,
    profile: &'a str,
    target: Target<'a>,
    outcome: Outcome,
    summary: Summary,
    checks: &'a [Check],
    findings: &'a [Finding],
    suppressed: &'a [SuppressedFinding],
}

#[derive(Serialize)]
pub(super) struct Tool {
    name: &'static str,
    version: &'static str,
}

impl Tool {
    /// This hibob-audit.
    pub(super) const THIS: Tool = Tool {
        name: TOOL,
        version: VERSION,
    };
}

#[derive(Serialize)]
struct Target<'a> {
    base_url: &'a str,
}

pub fn render(report: &Report, ctx: &Context) -> Result<String, super::RenderError> {
    let doc = Document {
        format_version: FORMAT_VERSION,
        tool: Tool {
            name: TOOL,
            version: VERSION,
        },
        profile: &ctx.profile,
        target: Target {
            base_url: &ctx.target,
        },
        outcome: report.outcome(),
        summary: report.summary(),
        checks: &report.checks,
        findings: &report.findings,
        suppressed: &report.suppressed,
    };
    super::pretty_json("report", &doc)
}
