//! Redacted recordings, offline replay, the markdown checklist and several outputs from one
//! run (issue 6).

use crate::support::fake_hibob::{Audience, Fault, ID_PREFIX, TimeoffPerm, granted};
use crate::support::{
    Config, FakeHiBob, SENTINEL, TOKEN, check, run, snapshot_settings, stable, with_code,
};

fn misconfigured() -> Config {
    granted(10)
        .move_field(
            "work.employeeIdInCompany",
            "category_1720508362305",
            "Employee identifiers",
        )
        .with_audience(Audience::Everyone)
        .without_timeoff(TimeoffPerm::Balance)
        .empty_field("root.surname")
}

/// Records one live run, then replays it with no credentials; returns (live, replay, file text).
fn record_and_replay(
    config: Config,
    profile: &str,
) -> (crate::support::Run, crate::support::Run, String) {
    let fake = FakeHiBob::start(config);
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("audit.recording.json");
    let file = file.to_str().expect("path");
    let live = check(
        &fake,
        &["--profile", profile, "--format", "json", "--record", file],
    );
    assert!(
        live.stderr.contains("wrote a redacted recording"),
        "{}",
        live.stderr
    );
    let text = std::fs::read_to_string(file).expect("recording");
    let replay = run(
        &[
            "check",
            "--profile",
            profile,
            "--format",
            "json",
            "--replay",
            file,
        ],
        &[],
        "",
    );
    replay.assert_no_leak();
    (live, replay, text)
}

#[test]
fn a_recording_holds_no_employee_value_and_no_token() {
    let (_, _, text) = record_and_replay(misconfigured(), "truto");
    let credentials = crate::support::fake_hibob::expected_authorization();
    let encoded = credentials.trim_start_matches("Basic ");
    for needle in [SENTINEL, ID_PREFIX, TOKEN, encoded] {
        assert!(!text.contains(needle), "the recording contains `{needle}`");
    }
    let doc: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    for call in doc["calls"].as_array().expect("calls") {
        for header in call["answer"]["headers"].as_array().into_iter().flatten() {
            assert_ne!(
                header[0].as_str().map(str::to_ascii_lowercase).as_deref(),
                Some("authorization")
            );
        }
    }
    assert_eq!(doc["format"], "hibob-audit-recording");
    assert_eq!(doc["version"], 1);
    assert!(doc["notice"].as_str().expect("notice").contains("Redacted"));
    // What the audit needs is kept: lifecycle labels, nulls, pseudonymous IDs, metadata.
    assert!(text.contains("\"employee-0001\""));
    assert!(text.contains("\"employed\""));
    assert!(text.contains("Employee identifiers"));
    assert!(
        text.contains("/timeoff/employees/employee-0"),
        "the balance path is pseudonymized"
    );
}

#[test]
fn a_replay_gives_the_same_findings_json_and_exit_code() {
    for profile in ["activtrak", "truto"] {
        let (live, replay, _) = record_and_replay(misconfigured(), profile);
        assert_eq!(live.code, replay.code, "{profile}");
        assert_eq!(live.json(), replay.json(), "{profile}");
        assert!(replay.stderr.contains("no network, no credentials"));
    }
}

#[test]
fn replays_of_failed_runs_fail_the_same_way() {
    let cases: Vec<(&str, Config)> = vec![
        (
            "500 once",
            granted(5).fault("/people/search", Fault::Status(500, "{}"), Some(1)),
        ),
        (
            "html",
            granted(5).fault("/company/people/fields", Fault::Html, None),
        ),
        (
            "truncated",
            granted(5).fault("/people/search", Fault::Truncated, None),
        ),
        (
            "401",
            granted(5).fault("/company/people/fields", Fault::Status(401, ""), None),
        ),
        (
            "403 search",
            granted(5).fault("/people/search", Fault::Status(403, "{}"), None),
        ),
    ];
    for (name, config) in cases {
        let (live, replay, _) = record_and_replay(config, "activtrak");
        assert_eq!(live.code, replay.code, "{name}");
        let codes = |r: &crate::support::Run| -> Vec<String> {
            r.json()["findings"]
                .as_array()
                .expect("findings")
                .iter()
                .map(|f| f["code"].as_str().unwrap_or("").to_string())
                .collect()
        };
        assert_eq!(codes(&live), codes(&replay), "{name}");
        assert_eq!(live.json()["checks"], replay.json()["checks"], "{name}");
    }
}

#[test]
fn replaying_with_rules_the_recording_lacks_asks_to_record_again() {
    let fake = FakeHiBob::start(granted(5));
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("r.json");
    let file = file.to_str().expect("path");
    check(&fake, &["--profile", "activtrak", "--record", file]);
    // A field no shipped profile needs, and no category sample: no recording asks for it.
    let rules = dir.path().join("more.toml");
    std::fs::write(
        &rules,
        "[integration]\nname = \"more\"\n[[fields]]\nid = \"employee.lastDayOfWork\"\npurpose = \"Last day\"\n",
    )
    .expect("write rules");
    let out = run(
        &[
            "check",
            "--rules",
            rules.to_str().expect("utf-8"),
            "--format",
            "json",
            "--replay",
            file,
        ],
        &[],
        "",
    );
    assert_eq!(out.code, 3, "{}", out.stdout);
    let doc = out.json();
    assert_eq!(doc["outcome"], "incomplete");
    let missing: Vec<&serde_json::Value> = doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["code"] == "call-not-recorded")
        .collect();
    assert_eq!(missing.len(), 1, "{doc:#}");
    let fix = missing[0]["fix"].as_str().expect("fix");
    assert!(fix.contains("--rules") && fix.contains("--record"), "{fix}");
    let field = doc["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .find(|c| c["id"] == "field:employee.lastDayOfWork")
        .expect("check");
    assert_eq!(field["status"], "unknown");
}

/// Record once, replay any profile (issue 12): a recording made with one shipped profile
/// answers every call of every other one.
#[test]
fn a_recording_replays_under_every_shipped_profile() {
    replays_under_every_profile(granted(8));
    // The first employee inactive, and `internal.status` past the Lifecycle category's first
    // fields in the metadata: every profile still asks about the same employee.
    let mut config = granted(8).with_all_categories();
    config.employees.rotate_left(1);
    let at = config
        .fields
        .iter()
        .position(|f| f.id == "internal.status")
        .expect("internal.status");
    let status = config.fields.remove(at);
    config.fields.push(status);
    replays_under_every_profile(config);
}

fn replays_under_every_profile(config: Config) {
    let fake = FakeHiBob::start(config);
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("r.json");
    let file = file.to_str().expect("path");
    let recorded = check(&fake, &["--profile", "activtrak", "--record", file]);
    assert!(
        recorded.code == 0 || recorded.code == 1,
        "{}",
        recorded.stderr
    );
    for p in hibob_audit::rules::profiles::PROFILES {
        let out = run(
            &[
                "check",
                "--profile",
                p.name,
                "--format",
                "json",
                "--replay",
                file,
            ],
            &[],
            "",
        );
        assert!(
            out.code == 0 || out.code == 1,
            "{}: exit {}\n{}\n{}",
            p.name,
            out.code,
            out.stdout,
            out.stderr
        );
        let doc = out.json();
        assert!(
            with_code(&doc, "call-not-recorded").is_empty(),
            "{}: {doc:#}",
            p.name
        );
    }
}

#[test]
fn a_file_that_is_not_a_recording_is_a_usage_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("x.json");
    std::fs::write(&file, r#"{"format":"something-else"}"#).expect("write");
    let out = run(
        &[
            "check",
            "--profile",
            "activtrak",
            "--replay",
            file.to_str().expect("p"),
        ],
        &[],
        "",
    );
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("not a hibob-audit recording"),
        "{}",
        out.stderr
    );
    let out = run(
        &[
            "check",
            "--profile",
            "activtrak",
            "--replay",
            "/nonexistent.json",
        ],
        &[],
        "",
    );
    assert_eq!(out.code, 2);
}

#[test]
fn several_formats_come_from_one_run() {
    let fake = FakeHiBob::start(misconfigured());
    let dir = tempfile::tempdir().expect("tempdir");
    let json = dir.path().join("a.json");
    let md = dir.path().join("a.md");
    let out = check(
        &fake,
        &[
            "--profile",
            "activtrak",
            "--output",
            &format!("json={}", json.display()),
            "--output",
            &format!("markdown={}", md.display()),
        ],
    );
    assert_eq!(out.code, 1);
    assert!(
        out.stdout.contains("Findings"),
        "the table still goes to stdout"
    );
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).expect("json")).expect("valid");
    assert_eq!(doc["outcome"], "fail");
    let checklist = std::fs::read_to_string(&md).expect("md");
    assert!(checklist.starts_with("# HiBob permission checklist"));
    assert_eq!(
        fake.requests()
            .iter()
            .filter(|r| r.path == "/v1/people/search")
            .count(),
        1,
        "probed once"
    );
    for text in [&checklist, &doc.to_string()] {
        assert!(!text.contains(SENTINEL) && !text.contains(TOKEN) && !text.contains(ID_PREFIX));
    }
}

#[test]
fn a_bad_output_flag_is_a_usage_error_before_any_traffic() {
    let fake = FakeHiBob::start(granted(3));
    let base = fake.base_url();
    let env = crate::support::credentials();
    for bad in [
        "xml=out.xml",
        "json",
        "json=",
        "json=/nonexistent/dir/out.json",
    ] {
        let out = run(
            &[
                "check",
                "--profile",
                "activtrak",
                "--base-url",
                &base,
                "--output",
                bad,
            ],
            &env,
            "",
        );
        assert_eq!(out.code, 2, "{bad}: {}", out.stderr);
    }
    assert!(fake.requests().is_empty());
}

#[test]
fn the_markdown_checklist_names_every_permission_in_hibobs_words() {
    let fake = FakeHiBob::start(
        misconfigured()
            .without_timeoff(TimeoffPerm::Settings)
            .without("workContact"),
    );
    let out = check(&fake, &["--profile", "truto", "--format", "markdown"]);
    assert_eq!(out.code, 1);
    let md = &crate::support::flat(&out.stdout);
    for needle in [
        "Settings > Permission groups",
        "**People's data** tab > **Access rights**",
        "instead of **Everyone**",
        "**Hired**",
        "**Terminated**",
        "\"View selected employees' Employee identifiers sections\"",
        "\"View selected employees' Work contact details sections\"",
        "\"See selected people's time off and sick leave balances\"",
        "**Features** tab > **Time off** > **Settings**",
        "\"Manage company's time off settings\"",
        "## Already fine",
        "hibob-audit check --profile truto",
    ] {
        assert!(md.contains(needle), "missing `{needle}` in:\n{md}");
    }
    // Steps follow HiBob's UI: Access rights, then People, then Time off, then Features.
    let at = |s: &str| md.find(s).unwrap_or_else(|| panic!("{s}"));
    assert!(at("**Access rights**") < at("**People**: tick"));
    assert!(at("**People**: tick") < at("**Time off**: tick"));
    assert!(at("**Time off**: tick") < at("**Features** tab"));
    snapshot_settings()
        .bind(|| insta::assert_snapshot!("checklist.markdown", stable(&fake, &out.stdout)));
}

#[test]
fn a_passing_audit_checklist_says_nothing_to_change() {
    let fake = FakeHiBob::start(granted(6));
    let out = check(&fake, &["--profile", "activtrak", "--format", "markdown"]);
    assert_eq!(out.code, 0);
    assert!(out.stdout.contains("Nothing to change"), "{}", out.stdout);
}
