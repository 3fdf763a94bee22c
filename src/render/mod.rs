//! Renderers: a report in, text out. They never decide anything.

pub mod diff;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod plan;
pub mod table;
pub mod wrap;

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
    /// Width in columns: the table and the wrapped text fit it.
    pub width: u16,
    /// `-v`: list every check even when the audit could not proceed.
    pub verbose: bool,
    /// The command that runs the audit again, without secrets (for the checklist).
    pub rerun: String,
}

pub use crate::report::{TOOL, VERSION};

/// The output formats (`--format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A table of checks, the findings with their fixes, a summary.
    Table,
    /// One versioned JSON document (docs/json.md).
    Json,
    /// A hand-off checklist for the HiBob admin, in HiBob's words.
    Markdown,
    /// JUnit XML for CI test reporters: one testcase per check.
    Junit,
}

pub fn render(format: Format, report: &Report, ctx: &Context) -> Result<String, RenderError> {
    Ok(match format {
        Format::Table => table::render(report, ctx),
        Format::Json => json::render(report, ctx)?,
        Format::Markdown => markdown::render(report, ctx),
        Format::Junit => junit::render(report, ctx),
    })
}

/// A document that could not be serialised. The documents are plain structs of strings and
/// numbers, so this should never happen; if it does, the command fails with exit 3 rather
/// than print `{}` or half a document as if it were the report.
#[derive(Debug, thiserror::Error)]
#[error("cannot serialise the {what} as JSON: {source}")]
pub struct RenderError {
    what: &'static str,
    #[source]
    source: serde_json::Error,
}

/// `value` as pretty JSON, with controls serde_json leaves raw (DEL, C1, bidi) escaped, and a
/// final newline.
pub(crate) fn pretty_json(
    what: &'static str,
    value: &impl serde::Serialize,
) -> Result<String, RenderError> {
    let text =
        serde_json::to_string_pretty(value).map_err(|source| RenderError { what, source })?;
    let mut text = crate::sanitize::json(&text);
    text.push('\n');
    Ok(text)
}
