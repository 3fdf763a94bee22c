//! Command-line flags (clap derive). Doc comments are the help text.

use std::path::PathBuf;

use crate::render::Format;
use crate::render::diff::DiffFormat;
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
    /// Compare two JSON reports (`check --format json`): what was fixed, what is new, what
    /// still fails.
    ///
    /// Exit 0 when nothing got worse, 1 when something did (a check now fails or warns where it
    /// did not, or passed and cannot be judged now; an error-level finding appeared), 2 when the
    /// files cannot be compared (not reports, different rules or format versions, missing).
    Diff(DiffArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff) on stdout: `hibob-audit man > hibob-audit.1`; or, with --dir,
    /// write one page per command (hibob-audit.1, hibob-audit-check.1, ...) into DIR.
    Man {
        /// Write every page into this folder instead.
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
    /// Explain a finding code, a field ID, a category or a symptom, offline. Without a topic,
    /// or with --list, list the topics.
    Explain {
        /// e.g. `category-not-readable`, `work.employeeIdInCompany`, `Payroll`,
        /// `terminated employees are missing`.
        #[arg(num_args = 0.., value_name = "TOPIC")]
        topic: Vec<String>,
        /// List what can be explained, by kind.
        #[arg(long, conflicts_with = "topic")]
        list: bool,
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
        value_parser = profile_name(),
        ignore_case = true,
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

    /// When to colour the table: auto (only on a terminal, and not when NO_COLOR is set),
    /// always (even when piped), never. JSON, Markdown and JUnit are never coloured.
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

    /// The service user's ID, instead of the HIBOB_SERVICE_USER_ID environment variable.
    #[arg(long, value_name = "ID", help_heading = "Credentials")]
    pub service_user_id: Option<String>,

    /// Read the token from this file, instead of the HIBOB_SERVICE_USER_TOKEN environment
    /// variable (warns when group or others can read the file).
    #[arg(
        long,
        value_name = "PATH",
        conflicts_with = "token_stdin",
        help_heading = "Credentials"
    )]
    pub token_file: Option<PathBuf>,

    /// Read the token from standard input (one line; never from a terminal).
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

    /// Write each call to stderr as it starts and as it ends: method, path, status,
    /// milliseconds and the bytes read of the answer; never the token or a value.
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

    /// Run the audit again every SECONDS (default 30, at least 15) until it passes or is
    /// interrupted: the first round prints the report, later ones only what changed. Stops at
    /// once when the credentials are rejected; waits longer when HiBob rate-limits.
    #[arg(
        long,
        value_name = "SECONDS",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "30",
        value_parser = clap::value_parser!(u64).range(15..=86400),
        conflicts_with_all = ["plan", "record", "replay"],
        help_heading = "Output"
    )]
    pub watch: Option<u64>,

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
    #[arg(
        long,
        short = 'D',
        value_name = "CODE",
        value_enum,
        hide_possible_values = true,
        help_heading = "Severity"
    )]
    pub deny: Vec<Code>,

    /// Make findings of CODE warnings (repeatable).
    #[arg(
        long,
        short = 'W',
        value_name = "CODE",
        value_enum,
        hide_possible_values = true,
        help_heading = "Severity"
    )]
    pub warn: Vec<Code>,

    /// Drop findings of CODE from the report (repeatable).
    #[arg(
        long,
        short = 'A',
        value_name = "CODE",
        value_enum,
        hide_possible_values = true,
        help_heading = "Severity"
    )]
    pub allow: Vec<Code>,

    /// Warnings fail the audit too (exit 1).
    #[arg(long, help_heading = "Severity")]
    pub strict: bool,
}

/// A shipped profile's name: completions offer them, and a typo gets "did you mean".
fn profile_name() -> clap::builder::PossibleValuesParser {
    clap::builder::PossibleValuesParser::new(crate::rules::profiles::names())
}

impl ValueEnum for Code {
    fn value_variants<'a>() -> &'a [Self] {
        static ALL: std::sync::OnceLock<Vec<Code>> = std::sync::OnceLock::new();
        ALL.get_or_init(|| Code::all().collect())
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(clap::builder::PossibleValue::new(self.as_str()).help(self.description()))
    }
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// The shipped profile to audit the sample tenant with.
    #[arg(long, value_name = "NAME", default_value = "activtrak")]
    pub profile: String,

    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The earlier report: the JSON of `hibob-audit check --format json` (`-` for stdin).
    #[arg(value_name = "OLD")]
    pub old: PathBuf,

    /// The later report, of the same rules (`-` for stdin).
    #[arg(value_name = "NEW")]
    pub new: PathBuf,

    /// Output format.
    #[arg(long, value_enum, default_value_t = DiffFormat::Table, help_heading = "Output")]
    pub format: DiffFormat,

    /// When to colour the table: `auto` only on a terminal and when NO_COLOR is unset,
    /// `always` even through a pipe.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN", help_heading = "Output")]
    pub color: ColorChoice,

    /// Print nothing on stdout: only the exit code says whether something got worse.
    #[arg(long, short, help_heading = "Output")]
    pub quiet: bool,
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
    ///
    /// Exit 0 when they require the same, 1 when they differ, like diff(1); 2 for an unknown
    /// profile, or a file that cannot be read or is invalid.
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
