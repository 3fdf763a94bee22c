//! Hostile input (issue 13): answers that never end or inflate to gigabytes, crafted recordings,
//! outputs interrupted or given twice, bad certificates, names that do not resolve, credentials
//! that cannot be right. Each case has its exit code and message; the memory cases also a bound
//! on the child's peak resident memory, measured by the kernel.

use crate::support::fake_hibob::{Fault, granted};
use crate::support::{FakeHiBob, assert_peak_below, calls_to, credentials, run_measured};

const MIB: u64 = 1 << 20;

/// `check` against the fake, measured; JSON on stdout.
fn measured_check(fake: &FakeHiBob, extra: &[&str]) -> crate::support::Measured {
    let base = fake.base_url();
    let mut args = vec!["check", "--base-url", base.as_str(), "--format", "json"];
    args.extend_from_slice(extra);
    let m = run_measured(&args, &credentials());
    m.run.assert_no_leak();
    m
}

/// The one `unexpected-response` finding of an incomplete JSON report, for `endpoint`.
fn too_large_message(run: &crate::support::Run, endpoint: &str) -> String {
    assert_eq!(run.code, 3, "{}\n{}", run.stdout, run.stderr);
    let doc = run.json();
    assert_eq!(doc["outcome"], "incomplete");
    let f = doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["endpoint"] == endpoint)
        .unwrap_or_else(|| panic!("no finding for {endpoint}: {doc:#}"));
    assert_eq!(f["code"], "unexpected-response");
    assert!(
        f["fix"]
            .as_str()
            .expect("fix")
            .contains("--max-answer-size"),
        "{f:#}"
    );
    f["message"].as_str().expect("message").to_string()
}

/// Runs an audit whose answer on `path` is `fault`, with `extra` flags; it must end at the
/// answer limit of `limit_mib` MiB on `endpoint`, exit 3, never retried, within `bound_mib` MiB of
/// peak memory. Returns the finding's message.
fn stops_at_the_limit(
    path: &str,
    fault: Fault,
    extra: &[&str],
    endpoint: &str,
    limit_mib: u64,
    bound_mib: u64,
) -> String {
    let fake = FakeHiBob::start(granted(5).fault(path, fault, None));
    let mut args = vec!["--profile", "activtrak"];
    args.extend_from_slice(extra);
    let m = measured_check(&fake, &args);
    let message = too_large_message(&m.run, endpoint);
    assert!(
        message.contains(&format!("larger than the limit of {limit_mib} MiB")),
        "{message}"
    );
    assert_eq!(calls_to(&fake, path), 1, "never retried");
    assert_peak_below(&m, bound_mib * MIB, &format!("{endpoint}: {message}"));
    message
}

#[test]
fn a_4_mb_gzip_bomb_on_the_people_search_stops_at_the_limit() {
    // 4,096 MiB of blanks inflate from about 4 MB of gzip.
    let bomb = Fault::GzipBomb(r#"{"employees":["#, 4096);
    let extra = ["--max-answer-size", "people=64MiB"];
    let message = stops_at_the_limit(
        "/people/search",
        bomb,
        &extra,
        "POST /people/search",
        64,
        // Scanned as it is read: memory does not grow with the answer (about 13 MiB).
        32,
    );
    assert!(
        message.contains(&format!("stopped after reading {} bytes", 64 * MIB + 1))
            && message.contains("--max-answer-size people=SIZE"),
        "{message}"
    );
}

#[test]
fn a_gzip_bomb_on_the_metadata_stops_at_its_default_limit() {
    let bomb = Fault::GzipBomb("[", 4096);
    let message = stops_at_the_limit(
        "/company/people/fields",
        bomb,
        &[],
        "GET /company/people/fields",
        32,
        64,
    );
    assert!(
        message.contains("--max-answer-size metadata=SIZE"),
        "{message}"
    );
}

#[test]
fn an_endless_chunked_body_stops_at_the_limit_and_says_what_was_read() {
    // 2 GB on offer; the client must hang up at 64 MiB.
    let endless = Fault::Endless(r#"{"employees":["#, 2_000_000_000);
    let extra = ["--max-answer-size", "64MiB"];
    let message = stops_at_the_limit(
        "/people/search",
        endless,
        &extra,
        "POST /people/search",
        64,
        // Scanned as it is read: memory does not grow with the answer (about 13 MiB).
        32,
    );
    assert!(
        message.contains(&format!("stopped after reading {} bytes", 64 * MIB + 1)),
        "{message}"
    );
}

#[test]
fn an_endless_metadata_body_stops_at_its_limit() {
    let endless = Fault::Endless("[", 2_000_000_000);
    let extra = ["--max-answer-size", "metadata=8MiB"];
    stops_at_the_limit(
        "/company/people/fields",
        endless,
        &extra,
        "GET /company/people/fields",
        8,
        16,
    );
}

#[test]
fn an_answer_within_a_raised_limit_is_read() {
    let fake = FakeHiBob::start(granted(5).fault(
        "/people/search",
        Fault::GzipBomb(r#"{"employees":[{"id":"1"}]"#, 3),
        None,
    ));
    let m = measured_check(
        &fake,
        &["--profile", "activtrak", "--max-answer-size", "people=4MiB"],
    );
    // Read to the end: the answer is JSON with 3 MiB of blanks and lacks its closing brace.
    let doc = m.run.json();
    let f = &doc["findings"][0];
    assert!(
        f["message"].as_str().expect("m").contains("truncated"),
        "{doc:#}"
    );
}

#[test]
fn bad_sizes_are_usage_errors() {
    for bad in [
        "64",
        "people=",
        "payroll=1GiB",
        "12 parsecs",
        "99999999999TiB",
    ] {
        let out = crate::support::run(
            &[
                "check",
                "--profile",
                "activtrak",
                "--max-answer-size",
                bad,
                "--plan",
            ],
            &[],
            "",
        );
        assert_eq!(out.code, 2, "{bad}: {}", out.stderr);
        assert!(out.stderr.contains("--max-answer-size"), "{}", out.stderr);
    }
}

/// A real recording of a run against the fake, as JSON to edit.
fn recorded(dir: &tempfile::TempDir) -> serde_json::Value {
    let fake = FakeHiBob::start(granted(5));
    let file = dir.path().join("real.json");
    let out = crate::support::check(
        &fake,
        &[
            "--profile",
            "activtrak",
            "--record",
            file.to_str().expect("p"),
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    serde_json::from_str(&std::fs::read_to_string(&file).expect("read")).expect("JSON")
}

/// The index of the recorded call to `path`.
fn call_index(doc: &serde_json::Value, path: &str) -> usize {
    doc["calls"]
        .as_array()
        .expect("calls")
        .iter()
        .position(|c| c["path"] == path)
        .unwrap_or_else(|| panic!("no call to {path}"))
}

/// Replays `doc` (written pretty, so that positions have lines), measured.
fn replay(
    dir: &tempfile::TempDir,
    doc: &serde_json::Value,
    extra: &[&str],
) -> crate::support::Measured {
    let file = dir.path().join("hostile.json");
    std::fs::write(&file, serde_json::to_string_pretty(doc).expect("json")).expect("write");
    let mut args = vec![
        "check",
        "--profile",
        "activtrak",
        "--format",
        "json",
        "--replay",
    ];
    args.push(file.to_str().expect("p"));
    args.extend_from_slice(extra);
    run_measured(&args, &[])
}

#[test]
fn a_body_size_of_2_to_the_64_is_refused_with_its_line_and_column() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut doc = recorded(&dir);
    let i = call_index(&doc, "/people/search");
    doc["calls"][i]["answer"]["body_bytes"] = serde_json::json!(u64::MAX);
    let m = replay(&dir, &doc, &[]);
    assert_eq!(m.run.code, 2, "{}", m.run.stderr);
    assert!(
        m.run.stderr.contains("is not a hibob-audit recording")
            && m.run
                .stderr
                .contains("`body_bytes` of 18446744073709551615")
            && m.run.stderr.contains(" at line ")
            && m.run.stderr.contains(" column "),
        "{}",
        m.run.stderr
    );
    assert!(!m.run.stderr.contains("panicked"), "{}", m.run.stderr);
}

#[test]
fn a_body_size_of_a_terabyte_is_never_allocated() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut doc = recorded(&dir);
    for path in ["/people/search", "/company/people/fields"] {
        let i = call_index(&doc, path);
        let answer = &mut doc["calls"][i]["answer"];
        answer["body_bytes"] = serde_json::json!(1_000_000_000_000u64);
        answer["body_kind"] = serde_json::json!("truncated");
        answer["json_error"] =
            serde_json::json!("the JSON ends early (truncated at line 1 column 2)");
        answer.as_object_mut().expect("answer").remove("body");
    }
    // The metadata's default limit (32 MiB) ends the replay: exit 3, never an abort.
    let m = replay(&dir, &doc, &[]);
    let message = too_large_message(&m.run, "GET /company/people/fields");
    assert!(message.contains("limit of 32 MiB"), "{message}");
    assert_peak_below(&m, 2 * 32 * MIB, "a claimed terabyte on the metadata");
}

#[test]
fn a_replayed_body_past_the_people_limit_ends_at_the_limit() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut doc = recorded(&dir);
    let i = call_index(&doc, "/people/search");
    let answer = &mut doc["calls"][i]["answer"];
    answer["body_bytes"] = serde_json::json!(1_000_000_000_000u64);
    answer["body_kind"] = serde_json::json!("text");
    answer.as_object_mut().expect("answer").remove("body");
    let m = replay(&dir, &doc, &["--max-answer-size", "people=16MiB"]);
    let message = too_large_message(&m.run, "POST /people/search");
    assert!(message.contains("limit of 16 MiB"), "{message}");
    assert_peak_below(
        &m,
        2 * 16 * MIB + 16 * MIB,
        "a claimed terabyte on the people search",
    );
}

#[test]
fn hostile_strings_and_lists_in_a_recording_are_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let base = recorded(&dir);
    let cases: Vec<(&str, serde_json::Value, &str)> = vec![
        (
            "/recorded_on",
            serde_json::json!("x".repeat(1 << 20)),
            "a string of 1048576 bytes",
        ),
        (
            "/calls/0/query",
            serde_json::json!(vec![["a", "b"]; 100_000]),
            "more than 256 pairs",
        ),
        (
            "/version",
            serde_json::json!(4_294_967_297u64),
            "format version 4294967297",
        ),
        (
            "/format",
            serde_json::json!("\u{1b}]0;owned\u{7}"),
            "its `format` is not",
        ),
    ];
    for (pointer, value, why) in cases {
        let mut doc = base.clone();
        *doc.pointer_mut(pointer).expect(pointer) = value;
        let m = replay(&dir, &doc, &[]);
        assert_eq!(m.run.code, 2, "{pointer}: {}", m.run.stderr);
        assert!(
            m.run.stderr.contains(why) && m.run.stderr.contains(" at line "),
            "{pointer}: {}",
            m.run.stderr
        );
        assert!(
            !m.run.stderr.contains('\u{1b}'),
            "{pointer}: escapes reach the terminal"
        );
    }
}

#[test]
fn a_recording_that_is_garbage_or_a_directory_is_a_usage_error_said_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("garbage.json");
    std::fs::write(&file, "{\"format\": [[[[[[[[[[[[[[[[[[[[").expect("write");
    let out = replay_path(&file);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("line 1 column"), "{}", out.stderr);
    let out = replay_path(dir.path());
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert_eq!(out.stderr.matches("directory").count(), 1, "{}", out.stderr);
}

#[test]
fn the_same_path_twice_is_a_usage_error_before_any_traffic() {
    let fake = FakeHiBob::start(granted(3));
    let dir = tempfile::tempdir().expect("tempdir");
    let r = dir.path().join("r");
    let r = r.to_str().expect("p");
    let same_dir = format!("{}/./r", dir.path().display());
    for args in [
        vec![
            "--output".to_string(),
            format!("json={r}"),
            "--output".into(),
            format!("junit={r}"),
        ],
        vec![
            "--output".into(),
            format!("json={r}"),
            "--record".into(),
            r.into(),
        ],
        vec![
            "--output".into(),
            format!("markdown={r}"),
            "--record".into(),
            same_dir.clone(),
        ],
    ] {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let mut all = vec!["--profile", "activtrak"];
        all.extend_from_slice(&args);
        let out = crate::support::check(&fake, &all);
        assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
        assert!(out.stderr.contains("name the same file"), "{}", out.stderr);
    }
    assert!(fake.requests().is_empty(), "nothing was sent");
    assert!(!std::path::Path::new(r).exists(), "nothing was written");
}

/// The names of the files in a directory.
fn names_in(dir: &std::path::Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect()
}

/// `check --format json` against `base` with the fake's credentials, where no fake answers.
fn check_json_at(base: &str) -> crate::support::Run {
    crate::support::run(
        &[
            "check",
            "--base-url",
            base,
            "--profile",
            "activtrak",
            "--format",
            "json",
        ],
        &credentials(),
        "",
    )
}

/// `check --replay` of `file` (any path).
fn replay_path(file: &std::path::Path) -> crate::support::Run {
    let file = file.to_str().expect("p");
    crate::support::run(
        &["check", "--profile", "activtrak", "--replay", file],
        &[],
        "",
    )
}

#[cfg(unix)]
fn mode(path: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path)
        .expect("metadata")
        .permissions()
        .mode()
        & 0o777
}

#[cfg(unix)]
#[test]
fn outputs_and_recordings_are_private_and_replace_links_instead_of_following_them() {
    use std::os::unix::fs::PermissionsExt;
    let fake = FakeHiBob::start(granted(3));
    let dir = tempfile::tempdir().expect("tempdir");
    let report = dir.path().join("report.json");
    let recording = dir.path().join("audit.recording.json");
    for p in [&report, &recording] {
        std::fs::write(p, "earlier").expect("write");
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    }
    // A link at the target: the rename replaces the link, the file it points to stays.
    let victim = dir.path().join("victim");
    std::fs::write(&victim, "not yours").expect("write");
    let link = dir.path().join("link.md");
    std::os::unix::fs::symlink(&victim, &link).expect("symlink");
    let out = crate::support::check(
        &fake,
        &[
            "--profile",
            "activtrak",
            "--output",
            &format!("json={}", report.display()),
            "--output",
            &format!("markdown={}", link.display()),
            "--record",
            recording.to_str().expect("p"),
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    for p in [&report, &recording, &link] {
        assert_eq!(mode(p), 0o600, "{}", p.display());
        assert_ne!(std::fs::read_to_string(p).expect("read"), "earlier");
    }
    assert!(
        !std::fs::symlink_metadata(&link)
            .expect("meta")
            .file_type()
            .is_symlink()
    );
    assert_eq!(std::fs::read_to_string(&victim).expect("read"), "not yours");
    let names = names_in(dir.path());
    assert!(!names.iter().any(|n| n.ends_with(".tmp")), "{names:?}");
}

/// Stops a run mid-audit with `signal` (SIGINT as Ctrl-C sends it, SIGTERM, or SIGKILL, which
/// no program can catch): the files of an earlier run are as they were, and no temporary file
/// is left (they exist only while the run ends).
fn interrupt_mid_audit(signal: &str) {
    use std::time::{Duration, Instant};
    let fake = FakeHiBob::start(granted(3).fault(
        "/people/search",
        Fault::Slow(Duration::from_secs(30)),
        None,
    ));
    let dir = tempfile::tempdir().expect("tempdir");
    let report = dir.path().join("report.xml");
    let recording = dir.path().join("audit.recording.json");
    std::fs::write(&report, "<earlier/>").expect("write");
    std::fs::write(&recording, "{\"earlier\": true}").expect("write");
    let base = fake.base_url();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_hibob-audit"))
        .args([
            "check",
            "--base-url",
            &base,
            "--profile",
            "activtrak",
            "--output",
            &format!("junit={}", report.display()),
            "--record",
            recording.to_str().expect("p"),
        ])
        .env_clear()
        .envs(credentials())
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn");
    // Wait until the run is inside the audit: the people search has been asked for.
    let started = Instant::now();
    while calls_to(&fake, "/people/search") == 0 {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the search never came"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    if signal == "KILL" {
        child.kill().expect("kill");
    } else {
        let sent = std::process::Command::new("kill")
            .args([format!("-{signal}"), child.id().to_string()])
            .status();
        if !sent.is_ok_and(|s| s.success()) {
            let _ = child.kill();
            let _ = child.wait();
            eprintln!("SIG{signal} not tested: no `kill` command to send it");
            return;
        }
    }
    let status = child.wait().expect("wait");
    assert!(!status.success(), "SIG{signal} stopped the run");
    assert_eq!(
        std::fs::read_to_string(&report).expect("read"),
        "<earlier/>"
    );
    assert_eq!(
        std::fs::read_to_string(&recording).expect("read"),
        "{\"earlier\": true}"
    );
    let names = names_in(dir.path());
    assert_eq!(names.len(), 2, "SIG{signal}: {names:?}");
}

#[test]
fn ctrl_c_leaves_earlier_outputs_untouched() {
    interrupt_mid_audit("INT");
}

#[test]
fn sigterm_and_sigkill_leave_earlier_outputs_untouched() {
    interrupt_mid_audit("TERM");
    interrupt_mid_audit("KILL");
}

#[test]
fn a_self_signed_certificate_is_named_and_never_retried() {
    let server = crate::support::tls::SelfSigned::start();
    let base = server.base_url();
    let out = check_json_at(&base);
    out.assert_no_leak();
    assert_eq!(out.code, 3, "{}", out.stderr);
    let doc = out.json();
    let f = &doc["findings"][0];
    assert_eq!(f["code"], "request-failed");
    let message = f["message"].as_str().expect("message");
    assert!(message.contains("TLS certificate"), "{message}");
    assert!(!out.stderr.contains("waiting"), "no retry: {}", out.stderr);
    assert_eq!(server.handshakes(), 1, "one handshake, never retried");
}

#[test]
fn a_name_that_cannot_be_resolved_is_said_so_and_never_retried() {
    // A label longer than DNS allows (64 characters): the resolver refuses it on this machine,
    // so no query leaves it, and the failure is the same as for any unknown host.
    let host = format!("{}.invalid", "a".repeat(64));
    let base = format!("https://{host}/v1");
    let out = check_json_at(&base);
    assert_eq!(out.code, 3, "{}", out.stderr);
    let message = out.json()["findings"][0]["message"]
        .as_str()
        .expect("message")
        .to_string();
    assert!(
        message.contains(&format!("the host `{host}` could not be resolved")),
        "{message}"
    );
    assert!(!out.stderr.contains("waiting"), "no retry: {}", out.stderr);
}

#[test]
fn a_body_timeout_names_the_limit_that_ran_out_and_how_to_raise_it() {
    use std::time::Duration;
    // --timeout: the stalled body is retried, and stderr says which limit.
    let fake = FakeHiBob::start(granted(50).fault(
        "/people/search",
        Fault::StallBody(Duration::from_secs(3)),
        Some(1),
    ));
    let out = crate::support::check(&fake, &["--profile", "activtrak", "--timeout", "1"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("the answer did not finish within the --timeout of 1 s (raise it with --timeout SECONDS)"),
        "{}",
        out.stderr
    );
    // --deadline: no retry, and the message names the deadline.
    let fake = FakeHiBob::start(granted(50).fault(
        "/people/search",
        Fault::StallBody(Duration::from_secs(6)),
        None,
    ));
    let out = crate::support::check(
        &fake,
        &[
            "--profile",
            "activtrak",
            "--timeout",
            "30",
            "--deadline",
            "1",
            "--format",
            "json",
        ],
    );
    assert_eq!(out.code, 3, "{}", out.stderr);
    let doc = out.json();
    let f = doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["endpoint"] == "POST /people/search")
        .expect("finding");
    let message = f["message"].as_str().expect("message");
    assert!(
        message.contains("before the --deadline of 1 s ran out (raise it with --deadline SECONDS)")
            && !message.contains("connection broke"),
        "{message}"
    );
}

/// `check` with these credentials and nothing else; the fake must hear nothing.
fn refused_before_any_call(
    env: &[(&str, &str)],
    extra: &[&str],
    stdin: &str,
) -> crate::support::Run {
    let fake = FakeHiBob::start(granted(3));
    let base = fake.base_url();
    let mut args = vec![
        "check",
        "--base-url",
        base.as_str(),
        "--profile",
        "activtrak",
    ];
    args.extend_from_slice(extra);
    let out = crate::support::run(&args, env, stdin);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(fake.requests().is_empty(), "nothing was sent");
    out
}

#[test]
fn tokens_that_cannot_be_right_are_refused_before_any_call() {
    // A 1 MB token, from a file and from stdin; 100 KB from the environment (its limit).
    let huge = "x".repeat(1 << 20);
    let dir = tempfile::tempdir().expect("tempdir");
    let file = crate::support::token_file(&dir, &huge, 0o600);
    let id = [("HIBOB_SERVICE_USER_ID", "SERVICE-1")];
    for (extra, stdin) in [
        (vec!["--token-file", file.to_str().expect("p")], ""),
        (vec!["--token-stdin"], huge.as_str()),
    ] {
        let out = refused_before_any_call(&id, &extra, stdin);
        assert!(
            out.stderr.contains("longer than 4096 bytes"),
            "{}",
            out.stderr
        );
    }
    let out = refused_before_any_call(
        &[
            ("HIBOB_SERVICE_USER_ID", "SERVICE-1"),
            ("HIBOB_SERVICE_USER_TOKEN", &huge[..100_000]),
        ],
        &[],
        "",
    );
    assert!(
        out.stderr.contains("longer than 4096 bytes"),
        "{}",
        out.stderr
    );
    let out = refused_before_any_call(
        &[
            ("HIBOB_SERVICE_USER_ID", "SERVICE-1"),
            ("HIBOB_SERVICE_USER_TOKEN", "SECRET PART"),
        ],
        &[],
        "",
    );
    assert!(
        out.stderr.contains("holds a space or line break") && !out.stderr.contains("SECRET"),
        "{}",
        out.stderr
    );
    let out = refused_before_any_call(
        &[("HIBOB_SERVICE_USER_ID", "SERVICE-1")],
        &["--token-file", dir.path().to_str().expect("p")],
        "",
    );
    assert_eq!(
        out.stderr.matches("directory").count(),
        1,
        "said once: {}",
        out.stderr
    );
    assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
}

#[test]
fn service_user_ids_with_a_colon_or_control_characters_are_usage_errors() {
    for id in ["SERVICE:1", "SERVICE\u{1}1", "SERVICE\u{1b}[2J"] {
        let out = refused_before_any_call(
            &[
                ("HIBOB_SERVICE_USER_ID", id),
                ("HIBOB_SERVICE_USER_TOKEN", "tok"),
            ],
            &[],
            "",
        );
        assert!(
            out.stderr.contains("service-user ID holds"),
            "{}",
            out.stderr
        );
        assert!(!out.stderr.contains('\u{1b}'), "{}", out.stderr);
    }
    let out = refused_before_any_call(
        &[("HIBOB_SERVICE_USER_TOKEN", "tok")],
        &["--service-user-id", "a:b"],
        "",
    );
    assert!(out.stderr.contains("`:`"), "{}", out.stderr);
}

#[test]
fn token_stdin_gives_up_at_the_deadline_on_a_silent_open_pipe() {
    use std::time::{Duration, Instant};
    let fake = FakeHiBob::start(granted(3));
    let base = fake.base_url();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_hibob-audit"))
        .args([
            "check",
            "--base-url",
            &base,
            "--profile",
            "activtrak",
            "--token-stdin",
            "--deadline",
            "1",
        ])
        .env_clear()
        .env("HIBOB_SERVICE_USER_ID", "SERVICE-1")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    // Keep the pipe open and silent for longer than the deadline.
    let stdin = child.stdin.take();
    let started = Instant::now();
    let out = child.wait_with_output().expect("wait");
    drop(stdin);
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "it stopped waiting"
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("no token arrived on standard input within the --deadline of 1 s"),
        "{stderr}"
    );
    assert!(fake.requests().is_empty());
}

#[test]
fn token_stdin_refuses_a_terminal() {
    // `script` gives the command a terminal as standard input (util-linux, on every Debian).
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
    let command = format!(
        "{} check --profile activtrak --base-url http://127.0.0.1:9/v1 --token-stdin",
        env!("CARGO_BIN_EXE_hibob-audit")
    );
    let out = std::process::Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .env("HIBOB_SERVICE_USER_ID", "SERVICE-1")
        .stdin(std::process::Stdio::null())
        .output()
        .expect("script");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("will not read from a terminal"), "{text}");
    assert_eq!(out.status.code(), Some(2), "{text}");
}

#[test]
fn base_urls_that_cannot_be_requested_are_usage_errors() {
    for url in [
        "http://127.0.0.1:99999/v1",
        "https://api.hibob.com/v 1",
        "https://api hibob.com/v1",
    ] {
        let out = crate::support::run(
            &["check", "--profile", "activtrak", "--base-url", url],
            &credentials(),
            "",
        );
        assert_eq!(out.code, 2, "{url}: {}", out.stderr);
        assert!(out.stderr.contains("cannot be requested"), "{}", out.stderr);
    }
}

#[test]
fn rules_validate_escapes_a_hostile_profile_name() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("evil.toml");
    std::fs::write(
        &file,
        "[integration]\nname = \"evil\\u001b]0;owned\\u0007\\u202e\"\n[[fields]]\nid = \"root.email\"\npurpose = \"Email\"\n",
    )
    .expect("write");
    let out = crate::support::run(&["rules", "validate", file.to_str().expect("p")], &[], "");
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains("evil\\u{1b}]0;owned\\u{7}\\u{202e}"),
        "{}",
        out.stdout
    );
    assert!(!out.stdout.contains('\u{1b}') && !out.stdout.contains('\u{202e}'));
}
