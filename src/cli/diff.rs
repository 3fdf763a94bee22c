//! `hibob-audit diff OLD NEW`: reads two reports within a size bound, compares them, renders
//! the comparison. Exit 0 when nothing got worse, 1 when something did, 2 when the files
//! cannot be compared.

use std::io::Read;
use std::path::Path;

use super::{CliError, DiffArgs, Io, OutputArgs, emit};
use crate::compare::{self, Input, MAX_REPORT_BYTES};
use crate::exit::Exit;
use crate::render::Format;
use crate::render::diff::{DiffContext, DiffFormat};

/// How to write a report, for the messages that ask for one.
const WRITE_ONE: &str =
    "pass a report written by `hibob-audit check --format json > FILE` (or `--output json=FILE`)";

const STDIN: &str = "-";

pub fn run(args: &DiffArgs, io: &mut Io) -> Result<Exit, CliError> {
    if args.old == Path::new(STDIN) && args.new == Path::new(STDIN) {
        return Err(CliError::usage(anyhow::anyhow!(
            "OLD and NEW are both `-`: standard input holds one report; pass the other as a file"
        )));
    }
    let (old_name, new_name) = (name(&args.old), name(&args.new));
    let old_text = read(&args.old, &old_name, io)?;
    let new_text = read(&args.new, &new_name, io)?;
    let (old, new) = compare::parse_pair(
        Input {
            name: &old_name,
            text: &old_text,
        },
        Input {
            name: &new_name,
            text: &new_text,
        },
    )
    .map_err(CliError::usage)?;
    let comparison = compare::compare(&old, &new);
    if !args.quiet {
        // The same colour rule as the audit's formats: only the table, only when asked or on a
        // terminal, and NO_COLOR is honoured.
        let color = super::use_color(
            &OutputArgs {
                format: match args.format {
                    DiffFormat::Table => Format::Table,
                    DiffFormat::Json => Format::Json,
                    DiffFormat::Markdown => Format::Markdown,
                },
                color: args.color,
                quiet: args.quiet,
                outputs: Vec::new(),
            },
            io,
        );
        let ctx = DiffContext {
            old_name,
            new_name,
            color,
            width: super::width(io),
        };
        emit(
            io,
            &crate::render::diff::render(args.format, &comparison, &ctx)?,
        )?;
    }
    Ok(if comparison.worse() {
        Exit::Findings
    } else {
        Exit::Ok
    })
}

/// A file's name in messages and output.
fn name(path: &Path) -> String {
    if path == Path::new(STDIN) {
        "standard input".to_string()
    } else {
        path.display().to_string()
    }
}

fn too_large(name: &str, bytes: Option<u64>) -> CliError {
    let most = MAX_REPORT_BYTES >> 20;
    let size = bytes.map_or_else(
        || format!("holds more than {most} MiB"),
        |b| format!("is {:.1} MiB", b as f64 / f64::from(1 << 20)),
    );
    CliError::usage(anyhow::anyhow!(
        "{name} {size}: a report is at most {most} MiB (real ones are a few hundred KiB), so this is not one; {WRITE_ONE}"
    ))
}

/// Reads at most [`MAX_REPORT_BYTES`] (a file that grows, or is not a regular file, is cut
/// there and refused).
fn bounded(reader: impl Read, name: &str) -> Result<Vec<u8>, CliError> {
    let mut bytes = Vec::new();
    reader
        .take(MAX_REPORT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| CliError::usage(anyhow::anyhow!("cannot read {name}: {e}; {WRITE_ONE}")))?;
    if bytes.len() as u64 > MAX_REPORT_BYTES {
        return Err(too_large(name, None));
    }
    Ok(bytes)
}

/// A report's text, from a file or (`-`) standard input.
fn read(path: &Path, name: &str, io: &mut Io) -> Result<String, CliError> {
    let bytes = if path == Path::new(STDIN) {
        if io.stdin_is_terminal {
            return Err(CliError::usage(anyhow::anyhow!(
                "`-` reads a report from standard input, which is a terminal: pipe one in, e.g. `hibob-audit check --profile NAME --format json | hibob-audit diff OLD -`"
            )));
        }
        let stdin = io
            .stdin
            .take()
            .ok_or_else(|| CliError::usage(anyhow::anyhow!("standard input is not available")))?;
        bounded(stdin, name)?
    } else {
        let cannot =
            |e: String| CliError::usage(anyhow::anyhow!("cannot read {name}: {e}; {WRITE_ONE}"));
        let file = std::fs::File::open(path).map_err(|e| cannot(e.to_string()))?;
        let meta = file.metadata().map_err(|e| cannot(e.to_string()))?;
        if meta.is_dir() {
            return Err(cannot("it is a directory".into()));
        }
        if meta.len() > MAX_REPORT_BYTES {
            return Err(too_large(name, Some(meta.len())));
        }
        bounded(file, name)?
    };
    String::from_utf8(bytes).map_err(|_| {
        CliError::usage(anyhow::anyhow!(
            "{name} is not UTF-8 text, so not a JSON report: {WRITE_ONE}"
        ))
    })
}
