//! `hibob-audit man [--dir DIR]`: roff man pages, one per command, with the exit status and
//! the environment the tool reads.

use std::path::Path;

use clap::CommandFactory;

use super::{Cli, CliError};
use crate::exit::Exit;

/// The environment variables the tool reads, for the pages of the commands that read them.
const ENVIRONMENT: &str = ".SH ENVIRONMENT\n.TP\nHIBOB_SERVICE_USER_ID\nThe service user's ID (check), unless --service-user-id is given.\n.TP\nHIBOB_SERVICE_USER_TOKEN\nThe service user's token (check), unless --token-file or --token-stdin is given. Never pass the token as an argument.\n.TP\nNO_COLOR\nWhen set and not empty, --color auto uses no colour.\n.TP\nCOLUMNS\nThe width of the table and the wrapped text when stdout is not a terminal (default 100).\n";

/// Every page: the command itself and each subcommand, named `hibob-audit-check` and so on.
fn pages() -> Vec<(String, clap::Command)> {
    let root = Cli::command();
    let mut out = Vec::new();
    collect(&root, "hibob-audit", &mut out);
    out
}

fn collect(cmd: &clap::Command, name: &str, out: &mut Vec<(String, clap::Command)>) {
    // `hibob-audit-rules-list` is run as `hibob-audit rules list`.
    let bin = match name.strip_prefix("hibob-audit-") {
        Some(rest) => format!("hibob-audit {}", rest.replace('-', " ")),
        None => name.to_string(),
    };
    let page = cmd.clone().name(name.to_string()).bin_name(bin);
    out.push((name.to_string(), page));
    for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
        collect(sub, &format!("{name}-{}", sub.get_name()), out);
    }
}

/// One page in roff, with its exit status, and the environment where the command reads it.
fn render(name: &str, cmd: clap::Command) -> Result<Vec<u8>, CliError> {
    let mut out = Vec::new();
    clap_mangen::Man::new(cmd)
        .render(&mut out)
        .map_err(|e| CliError::usage(anyhow::anyhow!("cannot render the man page {name}: {e}")))?;
    if name == "hibob-audit" || name == "hibob-audit-check" {
        out.extend_from_slice(ENVIRONMENT.as_bytes());
    }
    out.extend_from_slice(crate::exit::man_section().as_bytes());
    Ok(out)
}

/// The main page, for stdout.
pub(super) fn main_page() -> Result<String, CliError> {
    let (name, cmd) = pages()
        .into_iter()
        .next()
        .ok_or_else(|| CliError::usage(anyhow::anyhow!("no command to document")))?;
    Ok(String::from_utf8_lossy(&render(&name, cmd)?).into_owned())
}

/// Writes every page into `dir` (made if missing); returns the file names.
pub(super) fn write_all(dir: &Path) -> Result<Vec<String>, CliError> {
    let fail = |e: std::io::Error| CliError {
        exit: Exit::Incomplete,
        error: anyhow::anyhow!("cannot write the man pages into {}: {e}", dir.display()),
    };
    std::fs::create_dir_all(dir).map_err(fail)?;
    let mut written = Vec::new();
    for (name, cmd) in pages() {
        let file = format!("{name}.1");
        std::fs::write(dir.join(&file), render(&name, cmd)?).map_err(fail)?;
        written.push(file);
    }
    Ok(written)
}
