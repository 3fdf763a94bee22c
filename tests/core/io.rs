//! What the command does with its `Io`: colour (`NO_COLOR`, `--color`, never for JSON), width
//! (the terminal's, `COLUMNS`, else 100) and `--quiet`. `demo` runs the whole pipeline on the
//! embedded sample tenant, in-process, with in-memory streams and a made-up environment.

use clap::Parser;
use hibob_audit::cli::{self, Cli, Io};
use hibob_audit::date::Date;
use hibob_audit::exit::Exit;
use hibob_audit::probes::clock::FakeClock;

/// The terminal the command believes it writes to.
#[derive(Clone, Copy)]
struct Terminal {
    stdout_is_terminal: bool,
    stderr_is_terminal: bool,
    width: Option<u16>,
}

const PIPE: Terminal = Terminal {
    stdout_is_terminal: false,
    stderr_is_terminal: false,
    width: None,
};

const TERMINAL: Terminal = Terminal {
    stdout_is_terminal: true,
    stderr_is_terminal: false,
    width: Some(100),
};

struct Output {
    exit: Exit,
    stdout: String,
    stderr: String,
}

/// Runs `hibob-audit ARGS` in-process with this environment and terminal.
fn run(args: &[&str], env: &[(&str, &str)], terminal: Terminal) -> Output {
    let cli = Cli::try_parse_from(std::iter::once("hibob-audit").chain(args.iter().copied()))
        .unwrap_or_else(|e| panic!("{args:?}: {e}"));
    let env = |name: &str| {
        env.iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.to_string())
    };
    let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
    let mut io = Io {
        stdout: &mut stdout,
        stderr: &mut stderr,
        stdin: None,
        stdin_is_terminal: false,
        env: &env,
        stdout_is_terminal: terminal.stdout_is_terminal,
        stderr_is_terminal: terminal.stderr_is_terminal,
        terminal_width: terminal.width,
        today: Date::from_ymd(2026, 11, 30),
        clock: &FakeClock::new(),
    };
    let exit = cli::run(cli, &mut io).unwrap_or_else(|e| panic!("{args:?}: {:#}", e.error));
    Output {
        exit,
        stdout: String::from_utf8(stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(stderr).expect("stderr is UTF-8"),
    }
}

fn coloured(text: &str) -> bool {
    text.contains("\u{1b}[")
}

/// The widest line of the report, in characters (the demo's closing lines are fixed text).
/// The widest line, the demo's closing text included. A line of one word (a URL, a
/// `NAME=<value>`) may be wider: it cannot be broken.
fn widest(text: &str) -> usize {
    text.lines()
        .filter(|l| l.trim_end_matches(" \\").split_whitespace().count() > 1)
        .map(|l| l.chars().count())
        .max()
        .unwrap_or(0)
}

#[test]
fn a_terminal_gets_colour_unless_no_color_is_set() {
    let plain = run(&["demo"], &[], TERMINAL);
    assert_eq!(plain.exit, Exit::Ok);
    assert!(coloured(&plain.stdout), "{}", plain.stdout);
    let no_color = run(&["demo"], &[("NO_COLOR", "1")], TERMINAL);
    assert!(!coloured(&no_color.stdout), "{}", no_color.stdout);
    // NO_COLOR set but empty counts as unset (no-color.org).
    let empty = run(&["demo"], &[("NO_COLOR", "")], TERMINAL);
    assert!(coloured(&empty.stdout), "{}", empty.stdout);
}

#[test]
fn a_pipe_gets_colour_only_when_asked_for() {
    let piped = run(&["demo"], &[], PIPE);
    assert!(!coloured(&piped.stdout), "{}", piped.stdout);
    let always = run(&["demo", "--color", "always"], &[], PIPE);
    assert!(coloured(&always.stdout), "{}", always.stdout);
    // The flag wins over the environment.
    let over = run(&["demo", "--color", "always"], &[("NO_COLOR", "1")], PIPE);
    assert!(coloured(&over.stdout), "{}", over.stdout);
    let never = run(&["demo", "--color", "never"], &[], TERMINAL);
    assert!(!coloured(&never.stdout), "{}", never.stdout);
}

#[test]
fn machine_formats_are_never_coloured() {
    for format in ["json", "markdown", "junit"] {
        let out = run(
            &["demo", "--format", format, "--color", "always"],
            &[],
            TERMINAL,
        );
        assert_eq!(out.exit, Exit::Ok);
        assert!(!out.stdout.is_empty(), "{format}");
        assert!(!coloured(&out.stdout), "{format}: {}", out.stdout);
        assert!(!coloured(&out.stderr), "{format}: {}", out.stderr);
    }
    let json = run(
        &["demo", "--format", "json", "--color", "always"],
        &[],
        TERMINAL,
    );
    let doc: serde_json::Value = serde_json::from_str(&json.stdout).expect("one JSON document");
    assert_eq!(doc["format_version"], "1");
}

/// The table's width: its top border's.
fn table_width(text: &str) -> usize {
    text.lines()
        .find(|l| l.starts_with('\u{256d}'))
        .map_or(0, |l| l.chars().count())
}

/// Width: the terminal's first, then `COLUMNS`, then 100; kept between 40 and 250. The demo's
/// table is wide enough to fill any width up to 188 columns.
#[test]
fn the_table_fits_the_terminal_then_columns_then_100() {
    let measure = |env: &[(&str, &str)], terminal: Terminal| {
        let out = run(&["demo", "--color", "never"], env, terminal);
        (table_width(&out.stdout), widest(&out.stdout))
    };
    let narrow_terminal = Terminal {
        width: Some(72),
        ..TERMINAL
    };
    for (env, terminal, width) in [
        (&[][..], PIPE, 100),
        (&[("COLUMNS", "60")][..], PIPE, 60),
        (&[("COLUMNS", " 90 ")][..], PIPE, 90),
        (&[("COLUMNS", "wide")][..], PIPE, 100),
        (&[("COLUMNS", "120")][..], narrow_terminal, 72),
    ] {
        let (table, widest) = measure(env, terminal);
        assert_eq!(table, width, "{env:?}");
        assert!(widest <= width, "{env:?}: a line of {widest} columns");
    }
    assert_eq!(measure(&[("COLUMNS", "10")], PIPE).0, 40, "at least 40");
    let (_, widest) = measure(&[("COLUMNS", "300")], PIPE);
    assert!((200..=250).contains(&widest), "at most 250: {widest}");
}

#[test]
fn quiet_prints_nothing() {
    for format in ["table", "json", "markdown"] {
        let loud = run(&["demo", "--format", format], &[], PIPE);
        assert!(!loud.stdout.is_empty(), "{format}");
        let terminal = Terminal {
            stderr_is_terminal: true,
            ..TERMINAL
        };
        let quiet = run(&["demo", "--format", format, "--quiet"], &[], terminal);
        assert_eq!(quiet.exit, loud.exit, "{format}");
        assert_eq!(quiet.stdout, "", "{format}");
        assert_eq!(quiet.stderr, "", "{format}: no progress line either");
    }
}
