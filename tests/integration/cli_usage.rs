//! Usage, rules and credential-input errors: one clear message, exit 2, no traffic (issue 3).

use crate::support::fake_hibob::granted;
use crate::support::{FakeHiBob, credentials, run};

fn assert_usage(out: &crate::support::Run, needles: &[&str]) {
    assert_eq!(
        out.code, 2,
        "stdout: {}\nstderr: {}",
        out.stdout, out.stderr
    );
    assert!(out.stdout.is_empty(), "nothing on stdout: {}", out.stdout);
    for n in needles {
        assert!(
            out.stderr.contains(n),
            "stderr lacks `{n}`:\n{}",
            out.stderr
        );
    }
    assert!(!out.stderr.contains("panicked") && !out.stderr.contains("RUST_BACKTRACE"));
}

#[test]
fn missing_credentials_name_every_way_to_give_them() {
    let fake = FakeHiBob::start(granted(2));
    let base = fake.base_url();
    let out = run(
        &["check", "--profile", "activtrak", "--base-url", &base],
        &[],
        "",
    );
    assert_usage(&out, &["HIBOB_SERVICE_USER_ID", "--service-user-id"]);
    let out = run(
        &["check", "--profile", "activtrak", "--base-url", &base],
        &[
            ("HIBOB_SERVICE_USER_ID", "x"),
            ("HIBOB_SERVICE_USER_TOKEN", "  "),
        ],
        "",
    );
    assert_usage(
        &out,
        &["HIBOB_SERVICE_USER_TOKEN", "--token-file", "--token-stdin"],
    );
    assert!(fake.requests().is_empty());
}

#[test]
fn no_flag_takes_the_token() {
    let out = run(
        &["check", "--profile", "activtrak", "--token", "abc"],
        &credentials(),
        "",
    );
    assert_eq!(out.code, 2);
}

#[test]
fn clear_text_to_a_remote_host_is_refused_before_any_traffic() {
    let out = run(
        &[
            "check",
            "--profile",
            "activtrak",
            "--base-url",
            "http://api.hibob.com/v1",
        ],
        &credentials(),
        "",
    );
    assert_usage(&out, &["in clear"]);
}

#[test]
fn no_rules_lists_the_shipped_profiles() {
    let out = run(&["check"], &credentials(), "");
    assert_usage(&out, &["--profile", "--rules", "activtrak", "truto"]);
}

#[test]
fn an_unknown_profile_is_named_with_the_shipped_ones() {
    let out = run(&["check", "--profile", "bamboo"], &credentials(), "");
    assert_usage(&out, &["bamboo", "activtrak, truto"]);
}

#[test]
fn a_broken_rules_file_gives_line_and_column() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("bad.toml");
    std::fs::write(&path, "[integration]\nname = \"x\"\n\n[[fields]]\nid = \"root.email\"\npurpose = \"Email\"\nlevel = \"fatal\"\n").expect("write");
    let shown = path.to_str().expect("path");
    let out = run(&["check", "--rules", shown], &credentials(), "");
    assert_usage(&out, &[&format!("{shown}:7:9"), "fatal"]);
}

#[test]
fn a_missing_rules_file_is_a_usage_error() {
    let out = run(
        &["check", "--rules", "/nonexistent/rules.toml"],
        &credentials(),
        "",
    );
    assert_usage(
        &out,
        &["cannot read the rules file /nonexistent/rules.toml"],
    );
}

#[test]
fn bad_flags_exit_2() {
    let out = run(
        &["check", "--profile", "activtrak", "--format", "xml"],
        &credentials(),
        "",
    );
    assert_eq!(out.code, 2);
    let out = run(
        &[
            "check",
            "--profile",
            "activtrak",
            "--sandbox",
            "--base-url",
            "https://x.test/v1",
        ],
        &credentials(),
        "",
    );
    assert_eq!(out.code, 2);
}

#[test]
fn rules_list_and_show() {
    let out = run(&["rules", "list"], &[], "");
    assert_eq!(out.code, 0);
    assert!(out.stdout.contains("activtrak") && out.stdout.contains("truto"));
    let out = run(&["rules", "show", "activtrak"], &[], "");
    assert_eq!(out.code, 0);
    assert!(out.stdout.contains("work.employeeIdInCompany"));
    let out = run(&["rules", "show", "nope"], &[], "");
    assert_usage(&out, &["nope", "activtrak"]);
}
