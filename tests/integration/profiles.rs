//! Every shipped profile against the fake HiBob: a passing audit and a failing one, snapshotted
//! in table and JSON; the plans stay small; a recording's plan asks for every profile (issue 12).

use crate::support::fake_hibob::{Config, TimeoffPerm, granted};
use crate::support::{FakeHiBob, check, run, snapshot_both, with_code};

/// A tenant that grants every category and every Time off box, with every category a guide
/// names.
fn everything() -> Config {
    granted(12).with_all_categories()
}

/// The passing audit and a failing one of a profile; returns the failing run's JSON.
fn pass_and_fail(profile: &str, failing: Config) -> serde_json::Value {
    let fake = FakeHiBob::start(everything());
    let (table, json) = snapshot_both(
        &format!("profile-{profile}-pass"),
        &fake,
        &["--profile", profile],
    );
    assert_eq!(table.code, 0, "{}", table.stdout);
    let doc = json.json();
    assert_eq!(doc["outcome"], "pass", "{doc:#}");
    assert_eq!(doc["summary"]["failed"], 0, "{doc:#}");

    let fake = FakeHiBob::start(failing);
    let (table, json) = snapshot_both(
        &format!("profile-{profile}-fail"),
        &fake,
        &["--profile", profile],
    );
    assert_eq!(table.code, 1, "{}", table.stdout);
    json.json()
}

fn codes(doc: &serde_json::Value) -> Vec<&str> {
    doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["level"] == "error")
        .filter_map(|f| f["code"].as_str())
        .collect()
}

#[test]
fn stackone() {
    let mut failing = everything()
        .without("payroll")
        .without_timeoff(TimeoffPerm::Balance);
    failing.history.remove("payroll");
    let doc = pass_and_fail("stackone", failing);
    let missing = with_code(&doc, "category-not-readable");
    assert!(
        missing.iter().any(|f| f["category"] == "Payroll"),
        "{doc:#}"
    );
    assert!(codes(&doc).contains(&"timeoff-permission-missing"));
    // Payroll's history table is refused too: neither sections nor histories.
    assert!(
        with_code(&doc, "section-history-missing")
            .iter()
            .any(|f| f["category"] == "Payroll"),
        "{doc:#}"
    );
}

#[test]
fn workos() {
    let doc = pass_and_fail("workos", everything().without("work"));
    assert_eq!(
        with_code(&doc, "category-not-readable")[0]["category"],
        "Work"
    );
}

/// WorkOS accepts "Everyone" (active employees only): no warning for Hired or Terminated.
#[test]
fn workos_accepts_everyone() {
    use crate::support::fake_hibob::Audience;
    let fake = FakeHiBob::start(everything().with_audience(Audience::Everyone));
    let doc = check(&fake, &["--profile", "workos", "--format", "json"]).json();
    assert_eq!(doc["outcome"], "pass");
    assert_eq!(doc["summary"]["warnings"], 0, "{doc:#}");
    for f in with_code(&doc, "lifecycle-status-not-visible") {
        assert_eq!(f["level"], "info", "{f:#}");
    }
}

#[test]
fn finch() {
    let doc = pass_and_fail("finch", everything().without("lifecycle"));
    assert!(
        with_code(&doc, "category-not-readable")
            .iter()
            .any(|f| f["category"] == "Lifecycle"),
        "{doc:#}"
    );
}

#[test]
fn kombo() {
    let doc = pass_and_fail(
        "kombo",
        everything()
            .without("eeo")
            .without_timeoff(TimeoffPerm::WhosOut),
    );
    assert!(
        with_code(&doc, "category-not-readable")
            .iter()
            .any(|f| f["category"] == "EEO"),
        "{doc:#}"
    );
    assert!(codes(&doc).contains(&"timeoff-permission-missing"));
}

#[test]
fn deel() {
    let doc = pass_and_fail(
        "deel",
        everything()
            .without("address")
            .without_timeoff(TimeoffPerm::Settings),
    );
    assert!(
        codes(&doc).contains(&"feature-permission-missing"),
        "{doc:#}"
    );
}

#[test]
fn operating() {
    let doc = pass_and_fail("operating", everything().without("root"));
    assert!(
        with_code(&doc, "category-not-readable")
            .iter()
            .any(|f| f["category"] == "Basic info"),
        "{doc:#}"
    );
}

#[test]
fn merge() {
    let mut failing = everything().without("employment");
    failing.history.remove("employment");
    let doc = pass_and_fail("merge", failing);
    assert!(
        with_code(&doc, "section-history-missing")
            .iter()
            .any(|f| f["category"] == "Employment"),
        "{doc:#}"
    );
}

/// Every shipped profile's plan makes at most 12 calls, none twice.
#[test]
fn every_plan_is_small() {
    for p in hibob_audit::rules::profiles::PROFILES {
        let out = run(
            &["check", "--profile", p.name, "--plan", "--format", "json"],
            &[],
            "",
        );
        assert_eq!(out.code, 0, "{}", out.stderr);
        let doc = out.json();
        let calls = doc["calls"].as_array().expect("calls");
        assert!(calls.len() <= 12, "{}: {} calls", p.name, calls.len());
        let mut seen: Vec<String> = calls.iter().map(|c| c.to_string()).collect();
        seen.sort();
        seen.dedup();
        assert_eq!(seen.len(), calls.len(), "{}: a call twice", p.name);
    }
}

/// `check --plan --record` shows what a recording asks for: every profile's calls at once.
#[test]
fn a_recordings_plan_asks_for_every_profile() {
    let out = run(
        &[
            "check",
            "--profile",
            "workos",
            "--plan",
            "--record",
            "r.json",
        ],
        &[],
        "",
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    for needed in [
        "GET /people/{id}/salaries",
        "GET /docs/people/{id}",
        "includePrivate=true",
        "GET /timeoff/employees/{id}/balance",
    ] {
        assert!(out.stdout.contains(needed), "{needed}:\n{}", out.stdout);
    }
    assert!(
        !std::path::Path::new("r.json").exists(),
        "a plan writes nothing"
    );
    let plain = run(&["check", "--profile", "workos", "--plan"], &[], "");
    assert!(!plain.stdout.contains("/docs/people"), "{}", plain.stdout);
}
