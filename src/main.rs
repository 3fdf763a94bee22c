//! The thin binary: parse flags, run, print the error chain, map to an exit code.

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Parser;
use hibob_audit::cli::{self, Cli, Io};
use hibob_audit::date::Date;
use hibob_audit::exit::Exit;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() {
                Exit::Usage.code()
            } else {
                Exit::Ok.code()
            };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let stdout = std::io::stdout();
    let stdout_is_terminal = stdout.is_terminal();
    let mut stdout = stdout.lock();
    let mut stderr = std::io::stderr();
    let mut stdin = std::io::stdin();
    let env = |name: &str| std::env::var(name).ok();
    let mut io = Io {
        stdout: &mut stdout,
        stderr: &mut stderr,
        stdin: &mut stdin,
        env: &env,
        stdout_is_terminal,
        terminal_width: if stdout_is_terminal {
            comfy_table::Table::new().width()
        } else {
            None
        },
        today: Date::from_unix_seconds(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs() as i64),
        ),
    };
    match cli::run(cli, &mut io) {
        Ok(exit) => ExitCode::from(exit.code()),
        Err(e) => {
            eprintln!("hibob-audit: error: {:#}", e.error);
            ExitCode::from(e.exit.code())
        }
    }
}
