//! The edge: flags in, side effects (files, stdin, environment, network, terminal) here only.

mod args;
mod check;
mod demo;
mod diff;
pub mod files;
mod man;
mod progress;
mod rules;
mod watch;

use std::io::{self, Read, Write};
use std::path::Path;

pub use crate::render::Format;
pub use args::{
    CheckArgs, Cli, ColorChoice, Command, DemoArgs, DiffArgs, OutputArgs, OutputTarget,
    RulesCommand, RulesSelection, SeverityArgs,
};

use crate::exit::Exit;
use crate::report::Report;
use crate::rules::{Rules, profiles};

/// What the process offers the command: streams and the environment.
pub struct Io<'a> {
    pub stdout: &'a mut dyn Write,
    pub stderr: &'a mut (dyn Write + Send),
    /// Standard input; `--token-stdin` takes it (to read it within the deadline).
    pub stdin: Option<Box<dyn Read + Send>>,
    pub stdin_is_terminal: bool,
    pub env: &'a dyn Fn(&str) -> Option<String>,
    pub stdout_is_terminal: bool,
    /// stderr is a terminal: the progress line may be drawn there.
    pub stderr_is_terminal: bool,
    pub terminal_width: Option<u16>,
    /// Today's date (UTC), read from the clock by the binary.
    pub today: crate::date::Date,
    /// Time for retries, waits and `--watch`: the system's in the binary, a fake in tests.
    pub clock: &'a dyn crate::probes::clock::Clock,
}

/// A failure before or outside the audit, with the exit code it maps to.
#[derive(Debug)]
pub struct CliError {
    pub exit: Exit,
    pub error: anyhow::Error,
}

impl CliError {
    pub fn usage(error: impl Into<anyhow::Error>) -> Self {
        CliError {
            exit: Exit::Usage,
            error: error.into(),
        }
    }
}

/// A report that cannot be serialised is not printed as something else: exit 3.
impl From<crate::render::RenderError> for CliError {
    fn from(e: crate::render::RenderError) -> Self {
        CliError {
            exit: Exit::Incomplete,
            error: e.into(),
        }
    }
}

/// Runs a parsed command.
pub fn run(cli: Cli, io: &mut Io) -> Result<Exit, CliError> {
    match cli.command {
        Command::Check(args) => check::run(&args, io),
        Command::Demo(args) => demo::run(&args, io),
        Command::Rules(cmd) => rules::run(&cmd, io),
        Command::Diff(args) => diff::run(&args, io),
        Command::Completions { shell } => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            let mut out = Vec::new();
            clap_complete::generate(shell, &mut cmd, "hibob-audit", &mut out);
            emit(io, &String::from_utf8_lossy(&out))?;
            Ok(Exit::Ok)
        }
        Command::Man { dir: None } => {
            emit(io, &man::main_page()?)?;
            Ok(Exit::Ok)
        }
        Command::Man { dir: Some(dir) } => {
            let written = man::write_all(&dir)?;
            emit(
                io,
                &format!(
                    "wrote {} man pages into {}: {}\n",
                    written.len(),
                    dir.display(),
                    written.join(", ")
                ),
            )?;
            Ok(Exit::Ok)
        }
        Command::Explain { topic, list } if list || topic.is_empty() => {
            emit(io, &crate::explain::topics())?;
            Ok(Exit::Ok)
        }
        Command::Explain { topic, .. } => {
            let topic = topic.join(" ");
            match crate::explain::explain(&topic) {
                Some(text) => {
                    emit(io, &crate::sanitize::terminal_text(&text))?;
                    Ok(Exit::Ok)
                }
                None => Err(CliError::usage(anyhow::anyhow!(
                    "unknown topic `{}`.{} `hibob-audit explain --list` lists the topics.",
                    crate::sanitize::terminal(&topic),
                    crate::explain::suggest(&topic)
                        .map(|s| format!(" Did you mean `{s}`?"))
                        .unwrap_or_default()
                ))),
            }
        }
    }
}

/// Loads the rules that `--profile` or `--rules` names.
pub fn load_rules(sel: &RulesSelection) -> Result<Rules, CliError> {
    match (&sel.profile, &sel.rules) {
        (Some(name), _) => load_profile(name),
        (None, Some(path)) => load_rules_file(path),
        (None, None) => Err(CliError::usage(anyhow::anyhow!(
            "no rules given: pass --profile NAME (shipped profiles: {}) or --rules PATH (a TOML rules file, see docs/rules.md)",
            profiles::names().join(", ")
        ))),
    }
}

/// A shipped profile by name, or a usage error that lists the shipped ones.
pub fn find_profile(name: &str) -> Result<&'static profiles::Profile, CliError> {
    profiles::find(name).ok_or_else(|| {
        CliError::usage(anyhow::anyhow!(
            "unknown profile `{}`: the shipped profiles are {} (or pass --rules PATH)",
            crate::sanitize::terminal(name),
            profiles::names().join(", ")
        ))
    })
}

pub fn load_profile(name: &str) -> Result<Rules, CliError> {
    profiles::load(find_profile(name)?).map_err(CliError::usage)
}

pub fn load_rules_file(path: &Path) -> Result<Rules, CliError> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        CliError::usage(anyhow::anyhow!(
            "cannot read the rules file {}: {e}",
            path.display()
        ))
    })?;
    crate::rules::parse(&text, &path.display().to_string()).map_err(CliError::usage)
}

/// Whether to colour: never for JSON or a non-terminal; `--color` wins over NO_COLOR.
pub fn use_color(output: &OutputArgs, io: &Io) -> bool {
    if output.format != Format::Table {
        return false;
    }
    match output.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            io.stdout_is_terminal && (io.env)("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    }
}

/// Writes to stdout; a closed pipe (`| head`) is not an error.
pub fn emit(io: &mut Io, text: &str) -> Result<(), CliError> {
    match io
        .stdout
        .write_all(text.as_bytes())
        .and_then(|()| io.stdout.flush())
    {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(CliError {
            exit: Exit::Incomplete,
            error: anyhow::anyhow!("cannot write the report: {e}"),
        }),
    }
}

/// Table width: the terminal's, or 100 columns when stdout is not a terminal.
/// Width of the human formats: the terminal's, else `COLUMNS`, else 100 columns.
pub fn width(io: &Io) -> u16 {
    io.terminal_width
        .or_else(|| (io.env)("COLUMNS").and_then(|c| c.trim().parse::<u16>().ok()))
        .unwrap_or(100)
        .clamp(40, 250)
}

/// Files named by `--output`, checked before any traffic so a bad path fails fast, written
/// atomically when the audit is done (see [`files::OutputFile`]).
pub struct Outputs {
    files: Vec<(Format, files::OutputFile)>,
}

impl Outputs {
    /// Checks every `--output` path, and that none of them and `--record` name the same file.
    pub fn prepare(output: &OutputArgs, record: Option<&Path>) -> Result<Self, CliError> {
        let mut named: Vec<(String, &Path)> = output
            .outputs
            .iter()
            .map(|t| {
                let format = format!("{:?}", t.format).to_ascii_lowercase();
                (
                    format!("--output {format}={}", t.path.display()),
                    t.path.as_path(),
                )
            })
            .collect();
        if let Some(path) = record {
            named.push((format!("--record {}", path.display()), path));
        }
        files::ensure_distinct(&named)?;
        let mut files = Vec::new();
        for t in &output.outputs {
            files.push((t.format, files::OutputFile::prepare(&t.path)?));
        }
        Ok(Outputs { files })
    }
}

/// Runs [`crate::audit::Audit`], and draws what happens on stderr: retries and waits are
/// said; with `verbose`, every call's start and end too; on a terminal (and not `quiet`), a
/// status line shows the call being waited for.
pub fn audit(audit: &crate::audit::Audit, verbose: bool, quiet: bool, io: &mut Io) -> Report {
    let live = io.stderr_is_terminal && !quiet;
    let width = usize::from(width(io));
    // Probes run on two threads, and the status line on a third: they share stderr.
    let feedback = progress::Feedback::new(&mut *io.stderr, verbose, live, width);
    std::thread::scope(|s| {
        s.spawn(|| feedback.run_ticker());
        let report = audit.run(&|e| feedback.event(e));
        feedback.finish();
        report
    })
}

/// The rules file's policy with the command line's on top. Among the flags, the strictest
/// wins for a code given to several: --deny over --warn over --allow.
pub fn policy(rules: &Rules, severity: &SeverityArgs) -> crate::policy::Policy {
    use crate::policy::Severity;
    use crate::report::Level;
    let mut p = rules.policy();
    for (codes, s) in [
        (&severity.allow, Severity::Allow),
        (&severity.warn, Severity::Level(Level::Warning)),
        (&severity.deny, Severity::Level(Level::Error)),
    ] {
        p.cli_levels.extend(codes.iter().map(|c| (*c, s)));
    }
    p.strict = severity.strict;
    p
}

/// Renders the report to stdout in `--format`, and to every `--output` file.
pub fn deliver(
    report: &crate::report::Report,
    ctx: crate::render::Context,
    output: &OutputArgs,
    outputs: Outputs,
    io: &mut Io,
) -> Result<(), CliError> {
    let color = use_color(output, io);
    if !output.quiet {
        emit(
            io,
            &crate::render::render(
                output.format,
                report,
                &crate::render::Context {
                    color,
                    ..ctx.clone()
                },
            )?,
        )?;
    }
    for (format, file) in outputs.files {
        let text = crate::render::render(
            format,
            report,
            &crate::render::Context {
                color: false,
                width: 100,
                ..ctx.clone()
            },
        )?;
        file.write(text.as_bytes()).map_err(|e| CliError {
            exit: Exit::Incomplete,
            error: anyhow::anyhow!("cannot write {}: {e}", file.path().display()),
        })?;
    }
    Ok(())
}
