//! The admin's loop (issue 14): reports that fit the terminal, a progress line while waiting,
//! and the cause first when the audit cannot proceed.

use std::time::Duration;

use crate::support::fake_hibob::{Fault, granted};
use crate::support::{FakeHiBob, check, credentials, run, snapshot_settings, stable};

fn widest(text: &str) -> usize {
    text.lines().map(|l| l.chars().count()).max().unwrap_or(0)
}

/// No line is wider than 80 columns in the table or the Markdown, but for unbreakable words.
#[test]
fn at_80_columns_every_line_fits() {
    let fake = FakeHiBob::start(granted(12).without("work").without("payroll"));
    for (name, format) in [
        ("layout-80.table", "table"),
        ("layout-80.markdown", "markdown"),
    ] {
        let base = fake.base_url();
        let args = [
            "check",
            "--profile",
            "stackone",
            "--base-url",
            base.as_str(),
            "--format",
            format,
        ];
        let mut env = credentials();
        env.push(("COLUMNS", "80"));
        let out = run(&args, &env, "");
        out.assert_no_leak();
        for line in out.stdout.lines() {
            let long_word = line.split_whitespace().any(|w| w.chars().count() > 40);
            assert!(
                line.chars().count() <= 80 || long_word,
                "{format}: {} columns: {line}",
                line.chars().count()
            );
        }
        snapshot_settings().bind(|| insta::assert_snapshot!(name, stable(&fake, &out.stdout)));
    }
    // Piped output follows COLUMNS, and is 100 wide without it.
    let wide = check(&fake, &["--profile", "truto"]);
    assert!(widest(&wide.stdout) <= 100 && widest(&wide.stdout) > 80);
}

/// When the audit cannot proceed, the table and the Markdown lead with the cause and the fix,
/// and list the unknown rows only with -v. JSON is unchanged.
#[test]
fn the_cause_comes_first() {
    let mut config = granted(3);
    config.metadata_fault = Fault::Html;
    let fake = FakeHiBob::start(config);
    let table = check(&fake, &["--profile", "activtrak"]);
    assert_eq!(table.code, 3);
    let first = table.stdout.lines().nth(2).unwrap_or("");
    assert!(
        first.starts_with("error") && first.contains("web page, not HiBob's API"),
        "{}",
        table.stdout
    );
    assert!(!table.stdout.contains("UNKNOWN"), "{}", table.stdout);
    assert!(table.stdout.contains("-v lists them"), "{}", table.stdout);
    let verbose = check(&fake, &["--profile", "activtrak", "-v"]);
    assert!(verbose.stdout.contains("UNKNOWN"), "{}", verbose.stdout);
    let md = check(&fake, &["--profile", "activtrak", "--format", "markdown"]);
    assert!(
        md.stdout.contains("## The audit could not proceed"),
        "{}",
        md.stdout
    );
}

/// Every reason the audit stops has its own headline.
#[test]
fn each_cause_has_its_own_headline() {
    let headline = |run: &crate::support::Run| -> String {
        run.stdout
            .lines()
            .skip(2)
            .take_while(|l| !l.trim().is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    };
    let mut seen = Vec::new();
    let mut expect = |config: crate::support::Config, words: &str| {
        let fake = FakeHiBob::start(config);
        // A deadline too short to wait for a retry: the retries are tested in-process.
        let out = check(&fake, &["--profile", "activtrak", "--deadline", "1"]);
        assert_eq!(out.code, 3, "{}", out.stdout);
        let h = headline(&out);
        assert!(h.contains(words), "{words}: {h}\n{}", out.stdout);
        seen.push(h);
    };
    let mut c = granted(2);
    c.metadata_fault = Fault::Html;
    expect(c, "web page, not HiBob's API");
    let mut c = granted(2);
    c.metadata_fault = Fault::Status(503, "{}");
    expect(c, "HiBob is having trouble");
    let mut c = granted(2);
    c.metadata_fault = Fault::Truncated;
    expect(c, "malformed or cut off");
    let mut c = granted(2);
    c.metadata_fault = Fault::Status(401, "");
    expect(c, "rejected the service user's ID or token");
    let mut c = granted(2);
    c.metadata_fault = Fault::Status(403, "{}");
    expect(c, "IP allow-list");
    // Unreachable: nothing listens on the port.
    let out = run(
        &[
            "check",
            "--profile",
            "activtrak",
            "--base-url",
            "http://127.0.0.1:9/v1",
            "--deadline",
            "1",
        ],
        &credentials(),
        "",
    );
    assert_eq!(out.code, 3);
    assert!(
        headline(&out).contains("could not be reached"),
        "{}",
        out.stdout
    );
    seen.push(headline(&out));
    let mut unique = seen.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), seen.len(), "{seen:#?}");
}

/// On a terminal, stderr shows which call is being waited for; the line is gone before the
/// report. `script` gives the process a pseudo-terminal.
#[test]
fn a_slow_call_shows_a_progress_line_on_a_terminal() {
    let Ok(probe) = std::process::Command::new("script")
        .arg("--version")
        .output()
    else {
        eprintln!("not tested: no `script` command to give hibob-audit a terminal");
        return;
    };
    if !probe.status.success() {
        eprintln!("not tested: `script` does not run here");
        return;
    }
    // Slow once: the later runs of this test need not wait.
    let fake = FakeHiBob::start(granted(3).fault(
        "/people/search",
        Fault::Slow(Duration::from_millis(2500)),
        Some(1),
    ));
    let command = format!(
        "{} check --profile workos --base-url {} --format json",
        env!("CARGO_BIN_EXE_hibob-audit"),
        fake.base_url()
    );
    let mut cmd = std::process::Command::new("script");
    cmd.args(["-qec", &command, "/dev/null"])
        .stdin(std::process::Stdio::null());
    for (k, v) in credentials() {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("script");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("waiting for POST /people/search (2 s)…"),
        "{text}"
    );
    // The line is cleared before the report, and the report is whole JSON after it.
    let json_start = text
        .find("{\r\n")
        .or_else(|| text.find("{\n"))
        .expect("the report");
    assert!(text[..json_start].ends_with("\x1b[K"), "{text:?}");

    // Not on a terminal: no progress line at all.
    let piped = check(&fake, &["--profile", "workos", "--format", "json"]);
    assert!(!piped.stderr.contains("waiting for"), "{}", piped.stderr);
    // -v says when each call starts and ends.
    let verbose = check(&fake, &["--profile", "workos", "-v", "-q"]);
    assert!(
        verbose
            .stderr
            .contains("hibob-audit: POST /people/search ...")
            && verbose.stderr.contains("bytes read)"),
        "{}",
        verbose.stderr
    );
}

/// A clock that ticks no real time, and grants Basic info the first time the watch waits: an
/// admin ticking the box in HiBob between two rounds.
struct AdminBetweenRounds {
    clock: hibob_audit::probes::clock::FakeClock,
    tenant: std::sync::Arc<std::sync::RwLock<crate::support::Config>>,
}

impl hibob_audit::probes::clock::Clock for AdminBetweenRounds {
    fn now(&self) -> std::time::Instant {
        self.clock.now()
    }
    fn unix_seconds(&self) -> f64 {
        self.clock.unix_seconds()
    }
    fn sleep(&self, wait: Duration) {
        self.clock.sleep(wait);
        if let Ok(mut c) = self.tenant.write() {
            c.readable.insert("root".into());
        }
    }
}

/// `--watch` runs the audit again until it passes: Basic info is granted between two rounds,
/// the second round says so, and the run ends with exit 0. In-process, on a fake clock.
#[test]
fn watch_sees_a_permission_granted_between_rounds() {
    use clap::Parser;
    use hibob_audit::cli::{Cli, Io, run as cli_run};
    let fake = FakeHiBob::start(granted(6).without("root"));
    let clock = AdminBetweenRounds {
        clock: hibob_audit::probes::clock::FakeClock::new(),
        tenant: fake.tenant(),
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let json = dir.path().join("final.json");
    let base = fake.base_url();
    let output = format!("json={}", json.display());
    let cli = Cli::try_parse_from([
        "hibob-audit",
        "check",
        "--profile",
        "activtrak",
        "--base-url",
        &base,
        "--watch=15",
        "--output",
        &output,
    ])
    .expect("flags");
    let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
    let env = |name: &str| {
        credentials()
            .into_iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.to_string())
    };
    let mut io = Io {
        stdout: &mut stdout,
        stderr: &mut stderr,
        stdin: None,
        stdin_is_terminal: false,
        env: &env,
        stdout_is_terminal: false,
        stderr_is_terminal: false,
        terminal_width: None,
        today: hibob_audit::date::Date::from_ymd(2026, 11, 28),
        clock: &clock,
    };
    let exit = cli_run(cli, &mut io)
        .map_err(|e| e.error.to_string())
        .expect("run");
    let (stdout, stderr) = (
        String::from_utf8_lossy(&stdout).into_owned(),
        String::from_utf8_lossy(&stderr).into_owned(),
    );
    assert_eq!(exit.code(), 0, "{stdout}\n{stderr}");
    assert!(stdout.contains("Round 2, after 15 s: "), "{stdout}");
    assert!(
        stdout.contains("✓ Basic info: Name (root.firstName): now pass (was fail)"),
        "{stdout}"
    );
    assert!(stderr.contains("next run in 15 s"), "{stderr}");
    assert_eq!(clock.clock.waits(), [Duration::from_secs(15)]);
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).expect("final report")).expect("JSON");
    assert_eq!(doc["outcome"], "pass");
}

#[test]
fn watch_stops_at_once_on_rejected_credentials() {
    let mut config = granted(2);
    config.metadata_fault = Fault::Status(401, "");
    let fake = FakeHiBob::start(config);
    let out = check(&fake, &["--profile", "activtrak", "--watch"]);
    assert_eq!(out.code, 3);
    assert_eq!(fake.requests().len(), 1, "one call, then stop");
    // And --watch below the minimum is a usage error.
    let out = check(&fake, &["--profile", "activtrak", "--watch=5"]);
    assert_eq!(out.code, 2);
}
