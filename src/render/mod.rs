//! Renderers: a report in, text out. They never decide anything.

pub mod json;
pub mod junit;
pub mod markdown;
pub mod plan;
pub mod table;

use crate::report::Report;

/// What a renderer needs besides the report.
#[derive(Debug, Clone)]
pub struct Context {
    /// The rules' name (a shipped profile's name, or the file's `integration.name`).
    pub profile: String,
    /// The rules' title.
    pub title: String,
    /// Where the calls went: a base URL, or the demo's sample tenant.
    pub target: String,
    pub color: bool,
    /// Table width in columns.
    pub width: u16,
    /// The command that runs the audit again, without secrets (for the checklist).
    pub rerun: String,
}

/// The tool's name and version, as every format prints it.
pub const TOOL: &str = "hibob-audit";
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

pub fn render(format: crate::cli::Format, report: &Report, ctx: &Context) -> String {
    match format {
        crate::cli::Format::Table => table::render(report, ctx),
        crate::cli::Format::Json => json::render(report, ctx),
        crate::cli::Format::Markdown => markdown::render(report, ctx),
        crate::cli::Format::Junit => junit::render(report, ctx),
    }
}
