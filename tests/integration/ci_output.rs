//! CI-grade output: JUnit, quiet mode, severity control, suppressions (issue 7).

use serde_json::Value;

use crate::support::fake_hibob::{Audience, TimeoffPerm, granted};
use crate::support::{FakeHiBob, check, snapshot_settings, stable};

fn codes(doc: &Value) -> Vec<String> {
    doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["code"].as_str().map(str::to_string))
        .collect()
}

fn rules_file(dir: &tempfile::TempDir, text: &str) -> String {
    let path = dir.path().join("rules.toml");
    std::fs::write(&path, text).expect("write rules");
    path.to_str().expect("path").to_string()
}

#[test]
fn a_failing_audit_produces_valid_junit_with_failures() {
    let fake = FakeHiBob::start(
        granted(6)
            .without("work")
            .without_timeoff(TimeoffPerm::Balance)
            .with_audience(Audience::Everyone),
    );
    let out = check(&fake, &["--profile", "activtrak", "--format", "junit"]);
    assert_eq!(out.code, 1);
    let doc = roxmltree::Document::parse(&out.stdout).expect("well-formed XML");
    let suites = doc.root_element();
    assert_eq!(suites.tag_name().name(), "testsuites");
    let suite = suites
        .children()
        .find(|n| n.has_tag_name("testsuite"))
        .expect("testsuite");
    assert_eq!(suite.attribute("name"), Some("hibob-audit.activtrak"));
    let cases: Vec<_> = suite
        .children()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    assert_eq!(
        suite.attribute("tests"),
        Some(cases.len().to_string().as_str())
    );
    let failures: Vec<_> = cases
        .iter()
        .filter_map(|c| c.children().find(|n| n.has_tag_name("failure")))
        .collect();
    assert_eq!(
        suite.attribute("failures"),
        Some(failures.len().to_string().as_str())
    );
    assert!(failures.len() >= 2);
    let texts: Vec<&str> = failures.iter().filter_map(|f| f.text()).collect();
    assert!(
        texts
            .iter()
            .any(|t| t.contains("View selected employees' Work sections")),
        "{texts:?}"
    );
    assert!(
        texts
            .iter()
            .any(|t| t.contains("See selected people's time off and sick leave balances"))
    );
    snapshot_settings()
        .bind(|| insta::assert_snapshot!("failing.junit", stable(&fake, &out.stdout)));
}

#[test]
fn unknown_checks_are_skipped_in_junit() {
    let mut config = granted(6).without_timeoff(TimeoffPerm::Settings);
    config.absences.clear();
    let fake = FakeHiBob::start(config);
    let out = check(&fake, &["--profile", "activtrak", "--format", "junit"]);
    let doc = roxmltree::Document::parse(&out.stdout).expect("XML");
    let messages: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("skipped"))
        .map(|n| n.attribute("message").expect("message"))
        .collect();
    let (manual, unknown): (Vec<&str>, Vec<&str>) = messages
        .iter()
        .partition(|m| m.starts_with("confirm by hand: "));
    assert_eq!(unknown.len(), 1, "{messages:?}");
    assert!(unknown[0].contains("no policy type name is known"));
    // activtrak's three lines to confirm by hand are skipped too, and say so.
    assert_eq!(manual.len(), 3, "{messages:?}");
    assert!(
        manual
            .iter()
            .any(|m| m.contains("group membership is invisible"))
    );
}

#[test]
fn quiet_prints_nothing_and_exits_with_the_outcome() {
    let fake = FakeHiBob::start(granted(4).without("root"));
    for format in ["table", "json", "junit", "markdown"] {
        let out = check(&fake, &["--profile", "activtrak", "--format", format, "-q"]);
        assert_eq!(out.code, 1, "{format}");
        assert!(out.stdout.is_empty(), "{format}: {}", out.stdout);
    }
    let fake = FakeHiBob::start(granted(4));
    assert_eq!(check(&fake, &["--profile", "activtrak", "--quiet"]).code, 0);
}

#[test]
fn levels_can_be_overridden_from_the_command_line() {
    let fake = FakeHiBob::start(
        granted(6)
            .with_audience(Audience::Everyone)
            .empty_field("root.email"),
    );
    // Default: lifecycle and field-empty are warnings, so the audit passes.
    let base = check(&fake, &["--profile", "activtrak", "--format", "json"]);
    assert_eq!(base.code, 0);
    // --deny makes a code an error.
    let denied = check(
        &fake,
        &[
            "--profile",
            "activtrak",
            "--format",
            "json",
            "--deny",
            "lifecycle-status-not-visible",
        ],
    );
    assert_eq!(denied.code, 1);
    let doc = denied.json();
    assert!(
        doc["findings"]
            .as_array()
            .expect("f")
            .iter()
            .any(|f| f["code"] == "lifecycle-status-not-visible" && f["level"] == "error")
    );
    assert_eq!(
        doc["checks"]
            .as_array()
            .expect("c")
            .iter()
            .find(|c| c["id"] == "lifecycle:terminated")
            .expect("c")["status"],
        "fail"
    );
    // --strict makes every warning an error.
    assert_eq!(
        check(&fake, &["--profile", "activtrak", "--strict"]).code,
        1
    );
    // --allow drops a code; --strict then has nothing of it to escalate.
    let allowed = check(
        &fake,
        &[
            "--profile",
            "activtrak",
            "--format",
            "json",
            "--strict",
            "-A",
            "lifecycle-status-not-visible",
            "-A",
            "field-empty",
        ],
    );
    assert_eq!(allowed.code, 0, "{}", allowed.stdout);
    let doc = allowed.json();
    assert!(!codes(&doc).contains(&"lifecycle-status-not-visible".to_string()));
    assert_eq!(doc["summary"]["allowed"], 3);
    // --warn turns an error into a warning.
    let fake = FakeHiBob::start(granted(6).without("work"));
    assert_eq!(
        check(
            &fake,
            &["--profile", "activtrak", "--warn", "category-not-readable"]
        )
        .code,
        0
    );
    // An unknown code is a usage error.
    assert_eq!(
        check(&fake, &["--profile", "activtrak", "--deny", "no-such-code"]).code,
        2
    );
}

#[test]
fn levels_can_be_set_in_the_rules_file_and_the_command_line_wins() {
    let fake = FakeHiBob::start(granted(6).with_audience(Audience::Everyone));
    let dir = tempfile::tempdir().expect("tempdir");
    let rules = rules_file(
        &dir,
        "[integration]\nname = \"r\"\n[lifecycle]\nstatuses = [\"Terminated\"]\n[levels]\nlifecycle-status-not-visible = \"error\"\n",
    );
    assert_eq!(check(&fake, &["--rules", &rules]).code, 1);
    assert_eq!(
        check(
            &fake,
            &["--rules", &rules, "--warn", "lifecycle-status-not-visible"]
        )
        .code,
        0
    );
}

#[test]
fn a_suppression_needs_a_reason_shows_it_everywhere_and_goes_stale() {
    let fake = FakeHiBob::start(granted(6).without("employment"));
    let dir = tempfile::tempdir().expect("tempdir");
    let rules = rules_file(
        &dir,
        "[integration]\nname = \"r\"\n[[fields]]\nid = \"payroll.employment.type\"\npurpose = \"Employment type\"\n[[fields]]\nid = \"work.title\"\npurpose = \"Title\"\n\n[[suppress]]\ncode = \"category-not-readable\"\ncategory = \"Employment\"\nreason = \"The customer withholds payroll data.\"\n\n[[suppress]]\ncode = \"field-empty\"\nfield = \"work.title\"\nreason = \"Titles are optional here.\"\n",
    );
    let out = check(&fake, &["--rules", &rules, "--format", "json"]);
    assert_eq!(
        out.code, 0,
        "the accepted gap does not fail: {}",
        out.stdout
    );
    let doc = out.json();
    let suppressed = doc["suppressed"].as_array().expect("suppressed");
    assert_eq!(suppressed.len(), 1);
    assert_eq!(suppressed[0]["code"], "category-not-readable");
    assert_eq!(
        suppressed[0]["reason"],
        "The customer withholds payroll data."
    );
    let check_of = doc["checks"]
        .as_array()
        .expect("c")
        .iter()
        .find(|c| c["id"] == "field:payroll.employment.type")
        .expect("c")
        .clone();
    assert_eq!(check_of["status"], "pass");
    assert!(
        check_of["reason"]
            .as_str()
            .expect("r")
            .contains("withholds payroll")
    );
    // The second suppression matched nothing: it is stale.
    let stale: Vec<&Value> = doc["findings"]
        .as_array()
        .expect("f")
        .iter()
        .filter(|f| f["code"] == "suppression-unused")
        .collect();
    assert_eq!(stale.len(), 1);
    assert_eq!(stale[0]["level"], "warning");
    assert!(
        stale[0]["message"]
            .as_str()
            .expect("m")
            .contains("rules line 15"),
        "{}",
        stale[0]["message"]
    );
    // The reason is in every format.
    for format in ["table", "markdown", "junit"] {
        let out = check(&fake, &["--rules", &rules, "--format", format]);
        assert!(
            crate::support::flat(&out.stdout).contains("The customer withholds payroll data."),
            "{format}:\n{}",
            out.stdout
        );
    }
    // --strict: the stale suppression now fails the audit.
    assert_eq!(check(&fake, &["--rules", &rules, "--strict"]).code, 1);

    let no_reason = rules_file(
        &dir,
        "[integration]\nname = \"r\"\n[[fields]]\nid = \"work.title\"\npurpose = \"T\"\n[[suppress]]\ncode = \"field-empty\"\n",
    );
    let out = check(&fake, &["--rules", &no_reason]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("needs a `reason`"), "{}", out.stderr);
}
