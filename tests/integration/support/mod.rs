//! Shared helpers: the fake HiBob, running the binary, snapshots.
#![allow(dead_code)] // a shared helper: not every scenario uses every knob

pub mod fake_hibob;
pub mod http;
pub mod tls;

use std::io::Write;
use std::process::{Command, Stdio};

pub use fake_hibob::{Config, FakeHiBob, SENTINEL, SERVICE_USER_ID, TOKEN};

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Text with its line breaks and runs of blanks as single spaces: what wrapped output says,
/// wherever the lines break.
pub fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl Run {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", self.stdout))
    }

    /// Asserts that no employee value, employee ID or token is in stdout or stderr.
    pub fn assert_no_leak(&self) {
        for (name, text) in [("stdout", &self.stdout), ("stderr", &self.stderr)] {
            for needle in [SENTINEL, fake_hibob::ID_PREFIX, TOKEN] {
                assert!(
                    !text.contains(needle),
                    "{name} contains `{needle}`:\n{text}"
                );
            }
        }
    }
}

/// The binary with `args`, a clean environment plus `env`, and piped stdout and stderr.
fn command(args: &[&str], env: &[(&str, &str)]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_hibob-audit"));
    cmd.args(args)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

/// Runs the binary with a clean environment plus `env`, feeding `stdin`.
pub fn run(args: &[&str], env: &[(&str, &str)], stdin: &str) -> Run {
    let mut child = command(args, env)
        .stdin(Stdio::piped())
        .spawn()
        .expect("spawn hibob-audit");
    if let Some(mut input) = child.stdin.take() {
        let _ = input.write_all(stdin.as_bytes());
    }
    let out = child.wait_with_output().expect("wait for hibob-audit");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// How many calls the fake heard on `path` (without `/v1`).
pub fn calls_to(fake: &FakeHiBob, path: &str) -> usize {
    fake.requests()
        .iter()
        .filter(|r| r.path == format!("/v1{path}"))
        .count()
}

/// The findings of a JSON report with this code.
pub fn with_code<'a>(doc: &'a serde_json::Value, code: &str) -> Vec<&'a serde_json::Value> {
    doc["findings"]
        .as_array()
        .expect("findings array")
        .iter()
        .filter(|f| f["code"] == code)
        .collect()
}

/// The check of a JSON report with this id.
pub fn check_of<'a>(doc: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    doc["checks"]
        .as_array()
        .expect("checks array")
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("no check {id} in {doc:#}"))
}

/// Writes a token file with the given Unix mode (ignored elsewhere).
pub fn token_file(dir: &tempfile::TempDir, token: &str, mode: u32) -> std::path::PathBuf {
    let path = dir.path().join("token");
    std::fs::write(&path, token).expect("write the token file");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).expect("chmod");
    }
    let _ = mode;
    path
}

pub fn credentials() -> Vec<(&'static str, &'static str)> {
    vec![
        ("HIBOB_SERVICE_USER_ID", SERVICE_USER_ID),
        ("HIBOB_SERVICE_USER_TOKEN", TOKEN),
    ]
}

/// `check` against the fake with environment credentials.
pub fn check(fake: &FakeHiBob, extra: &[&str]) -> Run {
    let base = fake.base_url();
    let mut args = vec!["check", "--base-url", base.as_str()];
    args.extend_from_slice(extra);
    let run = run(&args, &credentials(), "");
    run.assert_no_leak();
    run
}

/// Output made stable for snapshots: the fake's port and the tool's version replaced.
pub fn stable(fake: &FakeHiBob, text: &str) -> String {
    text.replace(&fake.base_url(), "http://127.0.0.1:[PORT]/v1")
        .replace(env!("CARGO_PKG_VERSION"), "[VERSION]")
}

pub fn snapshot_settings() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.set_snapshot_path(concat!(env!("CARGO_MANIFEST_DIR"), "/snapshots"));
    s.set_prepend_module_to_snapshot(false);
    s
}

/// Snapshots table and JSON output of one scenario.
pub fn snapshot_both(name: &str, fake: &FakeHiBob, extra: &[&str]) -> (Run, Run) {
    let mut table_args = extra.to_vec();
    table_args.extend_from_slice(&["--format", "table"]);
    let table = check(fake, &table_args);
    let mut json_args = extra.to_vec();
    json_args.extend_from_slice(&["--format", "json"]);
    let json = check(fake, &json_args);
    assert_eq!(table.code, json.code, "table and JSON exit codes differ");
    snapshot_settings().bind(|| {
        insta::assert_snapshot!(format!("{name}.table"), stable(fake, &table.stdout));
        insta::assert_snapshot!(format!("{name}.json"), stable(fake, &json.stdout));
    });
    (table, json)
}

/// A run with the child's peak resident memory, in bytes, where the platform tells it.
pub struct Measured {
    pub run: Run,
    /// `None` where the mechanism is unavailable (not Linux): callers skip the bound, saying so.
    pub peak_rss: Option<u64>,
}

/// Runs the binary as [`run`] does and measures its peak resident memory: on Linux, the
/// kernel's high-water mark of the child's own memory (`VmHWM` in `/proc/PID/status`), read
/// every millisecond until the child has exited. The mark only grows, so one reading after the
/// peak suffices. (`wait4`'s `ru_maxrss` would be simpler, but it counts the test process's own
/// memory, which the child shared until it started the binary.)
pub fn run_measured(args: &[&str], env: &[(&str, &str)]) -> Measured {
    let mut child = command(args, env)
        .stdin(Stdio::null())
        .spawn()
        .expect("spawn hibob-audit");
    let drain = |pipe: Option<Box<dyn std::io::Read + Send>>| {
        std::thread::spawn(move || {
            let mut text = Vec::new();
            if let Some(mut p) = pipe {
                let _ = p.read_to_end(&mut text);
            }
            String::from_utf8_lossy(&text).into_owned()
        })
    };
    let stdout = drain(child.stdout.take().map(|p| Box::new(p) as _));
    let stderr = drain(child.stderr.take().map(|p| Box::new(p) as _));
    // The child is not reaped before the watcher is done, so its PID cannot be reused meanwhile.
    let watcher = watch_peak(child.id());
    let peak_rss = watcher.join().expect("watcher");
    let status = child.wait().expect("wait for hibob-audit");
    Measured {
        run: Run {
            code: status.code().unwrap_or(-1),
            stdout: stdout.join().expect("stdout"),
            stderr: stderr.join().expect("stderr"),
        },
        peak_rss,
    }
}

/// Reads the child's `VmHWM` until the child is gone (a zombie has no memory lines); returns
/// the last mark in bytes, or `None` where there is no such file (not Linux) or no reading.
fn watch_peak(pid: u32) -> std::thread::JoinHandle<Option<u64>> {
    std::thread::spawn(move || {
        let path = format!("/proc/{pid}/status");
        let mut peak = None;
        loop {
            let Ok(text) = std::fs::read_to_string(&path) else {
                return peak;
            };
            let hwm = text
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok());
            match hwm {
                Some(kib) => peak = Some(kib * 1024),
                None => return peak,
            }
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
    })
}

/// Asserts a measured peak below `bound` bytes, or says why it cannot be measured here.
pub fn assert_peak_below(m: &Measured, bound: u64, what: &str) {
    match m.peak_rss {
        Some(peak) => assert!(
            peak < bound,
            "{what}: peak RSS {} MiB, bound {} MiB",
            peak >> 20,
            bound >> 20
        ),
        None => eprintln!(
            "{what}: peak RSS not measured (needs Linux's /proc/PID/status); the bound of {} MiB is unchecked",
            bound >> 20
        ),
    }
}
