//! Command-line flags (clap derive). Doc comments are the help text.

use std::path::PathBuf;

use crate::render::Format;
use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::report::Code;

/// Audit a HiBob service user's permissions for an integration (ActivTrak, Truto, ...):
/// which People's-data categories, lifecycle statuses and time-off permissions are missing,
/// in HiBob's own words. Read-only.
#[derive(Debug, Parser)]
#[command(name = "hibob-audit", version, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

// Parsed once per run: the size of the largest variant does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Audit a service user against an integration's rules (credentials from the environment).
    Check(CheckArgs),
    /// Run the audit on an embedded sample tenant: no credentials, no network.
    Demo(DemoArgs),
    /// List, show, validate, write or compare rules.
    #[command(subcommand)]
    Rules(RulesCommand),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff) on stdout: `hibob-audit man > hibob-audit.1`.
    Man,
    /// Explain a finding code, a field ID or a symptom, offline.
    Explain {
        /// e.g. `category-not-readable`, `work.employeeIdInCompany`, `terminated employees are missing`.
        #[arg(required = true, num_args = 1.., value_name = "TOPIC")]
        topic: Vec<String>,
    },
}

#[derive(Debug, Args)]
pub struct RulesSelection {
    /// A shipped profile (see `hibob-audit rules list`): activtrak, truto, deel, finch, kombo,
    /// merge, operating, stackone, workos.
    #[arg(
        long,
        value_name = "NAME",
        conflicts_with = "rules",
        help_heading = "Rules"
    )]
    pub profile: Option<String>,

    /// A TOML rules file (see docs/rules.md).
    #[arg(long, value_name = "PATH", help_heading = "Rules")]
    pub rules: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct OutputArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table, help_heading = "Output")]
    pub format: Format,

    /// When to colour the table (NO_COLOR is honoured; never when stdout is not a terminal).
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN", help_heading = "Output")]
    pub color: ColorChoice,

    /// Print nothing on stdout, whatever the format: only the exit code says the outcome.
    #[arg(long, short, help_heading = "Output")]
    pub quiet: bool,

    /// Also write FORMAT to PATH, from the same run (repeatable), e.g. --output json=audit.json.
    #[arg(long = "output", value_name = "FORMAT=PATH", value_parser = output_target, help_heading = "Output")]
    pub outputs: Vec<OutputTarget>,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub rules: RulesSelection,

    /// The service user's ID [default: $HIBOB_SERVICE_USER_ID].
    #[arg(long, value_name = "ID", help_heading = "Credentials")]
    pub service_user_id: Option<String>,

    /// Read the token from this file [default: $HIBOB_SERVICE_USER_TOKEN].
    #[arg(
        long,
        value_name = "PATH",
        conflicts_with = "token_stdin",
        help_heading = "Credentials"
    )]
    pub token_file: Option<PathBuf>,

    /// Read the token from standard input.
    #[arg(long, help_heading = "Credentials")]
    pub token_stdin: bool,

    /// HiBob API base URL; http:// only for loopback hosts.
    #[arg(
        long,
        value_name = "URL",
        default_value = crate::client::url::PRODUCTION,
        conflicts_with = "sandbox",
        help_heading = "Target"
    )]
    pub base_url: String,

    /// Use HiBob's sandbox (https://api.sandbox.hibob.com/v1).
    #[arg(long, help_heading = "Target")]
    pub sandbox: bool,

    /// Seconds to wait for each request, its body included.
    #[arg(long, value_name = "SECONDS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=3600), help_heading = "Target")]
    pub timeout: u64,

    /// Seconds for the whole audit, retries and waits included.
    #[arg(long, value_name = "SECONDS", default_value_t = 300, value_parser = clap::value_parser!(u64).range(1..=86400), help_heading = "Target")]
    pub deadline: u64,

    /// The largest answer to read, decompressed: SIZE for every endpoint, or ENDPOINT=SIZE for
    /// people, metadata or timeoff (repeatable), e.g. people=4GiB [default: people 2GiB,
    /// metadata and timeoff 32MiB].
    #[arg(long, value_name = "[ENDPOINT=]SIZE", help_heading = "Target")]
    pub max_answer_size: Vec<crate::probes::AnswerLimit>,

    #[command(flatten)]
    pub output: OutputArgs,

    /// Write each call (method, path, status, milliseconds) to stderr.
    #[arg(long, short, help_heading = "Output")]
    pub verbose: bool,

    #[command(flatten)]
    pub severity: SeverityArgs,

    /// Also report what the permission group grants beyond the rules' needs (least
    /// privilege): the search asks for one more field per other category, values never kept.
    #[arg(long, help_heading = "Rules")]
    pub excess: bool,

    /// Print the calls the audit would make, and make none (no credentials needed). With
    /// --record: the calls a recording makes (every shipped profile's), and nothing is written.
    #[arg(long, conflicts_with = "replay")]
    pub plan: bool,

    /// Write a redacted recording of every call to PATH (docs/recording.md). A recording asks
    /// for what every shipped profile needs, so it replays under any of them.
    #[arg(
        long,
        value_name = "PATH",
        conflicts_with = "replay",
        help_heading = "Recording"
    )]
    pub record: Option<PathBuf>,

    /// Re-run the audit from a recording: no network, no credentials.
    #[arg(long, value_name = "PATH", help_heading = "Recording")]
    pub replay: Option<PathBuf>,
}

/// Severity control, as in cargo-deny. Precedence: docs/ci.md.
#[derive(Debug, Args)]
pub struct SeverityArgs {
    /// Make findings of CODE errors (repeatable).
    #[arg(long, short = 'D', value_name = "CODE", value_parser = code, help_heading = "Severity")]
    pub deny: Vec<Code>,

    /// Make findings of CODE warnings (repeatable).
    #[arg(long, short = 'W', value_name = "CODE", value_parser = code, help_heading = "Severity")]
    pub warn: Vec<Code>,

    /// Drop findings of CODE from the report (repeatable).
    #[arg(long, short = 'A', value_name = "CODE", value_parser = code, help_heading = "Severity")]
    pub allow: Vec<Code>,

    /// Warnings fail the audit too (exit 1).
    #[arg(long, help_heading = "Severity")]
    pub strict: bool,
}

fn code(text: &str) -> Result<Code, String> {
    Code::parse(text).ok_or_else(|| {
        format!(
            "unknown finding code `{text}`; the codes are: {}",
            Code::names().join(", ")
        )
    })
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// The shipped profile to audit the sample tenant with.
    #[arg(long, value_name = "NAME", default_value = "activtrak")]
    pub profile: String,

    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// List the shipped profiles: name, title, source and the date it was read.
    List,
    /// The guide's lines in the guide's order, each with how the audit verifies it (a probe,
    /// or by hand and why), then every requirement the guide does not ask for.
    Show {
        /// A shipped profile's name, or a rules file's path.
        name: String,
        /// Print the rules file's TOML instead.
        #[arg(long)]
        toml: bool,
    },
    /// Check a rules file; every problem with its line and column (exit 2 when invalid).
    Validate {
        /// The rules file.
        path: PathBuf,
    },
    /// Write a commented rules template to PATH (or to stdout).
    Init {
        /// Where to write it.
        path: Option<PathBuf>,
        /// Overwrite PATH if it exists.
        #[arg(long)]
        force: bool,
    },
    /// Show where two rules differ (shipped profile names or file paths).
    Diff {
        /// The first rules: a profile name or a path.
        a: String,
        /// The second rules: a profile name or a path.
        b: String,
    },
}

/// `--output FORMAT=PATH`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputTarget {
    pub format: Format,
    pub path: PathBuf,
}

fn output_target(text: &str) -> Result<OutputTarget, String> {
    let (format, path) = text
        .split_once('=')
        .ok_or_else(|| format!("expected FORMAT=PATH (e.g. json=audit.json), not `{text}`"))?;
    let format = Format::from_str(format.trim(), true).map_err(|_| {
        format!("unknown format `{format}`: expected table, json, markdown or junit")
    })?;
    if path.trim().is_empty() {
        return Err("the PATH after `=` is empty".into());
    }
    Ok(OutputTarget {
        format,
        path: PathBuf::from(path),
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
