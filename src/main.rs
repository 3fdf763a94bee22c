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
    let stdin = std::io::stdin();
    let stdin_is_terminal = stdin.is_terminal();
    let env = |name: &str| std::env::var(name).ok();
    let mut io = Io {
        stdout: &mut stdout,
        stderr: &mut stderr,
        stdin: Some(Box::new(stdin)),
        stdin_is_terminal,
        env: &env,
        stdout_is_terminal,
        stderr_is_terminal: std::io::stderr().is_terminal(),
        terminal_width: if stdout_is_terminal {
            comfy_table::Table::new().width()
        } else {
            None
        },
        clock: &hibob_audit::probes::clock::SystemClock,
        today: Date::from_unix_seconds(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs() as i64),
        ),
    };
    match cli::run(cli, &mut io) {
        Ok(exit) => ExitCode::from(exit.code()),
        Err(e) => {
            // Messages can quote a file (a rules key, a profile name): escaped for the terminal.
            let text = hibob_audit::sanitize::terminal_text(&format!("{:#}", e.error));
            eprintln!("hibob-audit: error: {text}");
            ExitCode::from(e.exit.code())
        }
    }
}
