//! Lifecycle coverage against the fake's people condition (issue 4).

use serde_json::Value;

use crate::support::fake_hibob::{Audience, granted};
use crate::support::{FakeHiBob, check, check_of, snapshot_both, with_code};

fn status_of<'a>(doc: &'a Value, id: &str) -> &'a str {
    check_of(doc, id)["status"].as_str().unwrap_or("")
}

fn statuses(list: &[&str]) -> Audience {
    Audience::statuses(list)
}

#[test]
fn everyone_means_active_only_and_is_named() {
    let fake = FakeHiBob::start(granted(12).with_audience(Audience::Everyone));
    let (table, json) = snapshot_both("lifecycle-everyone", &fake, &["--profile", "activtrak"]);
    // Lifecycle findings are warnings by default: HiBob cannot tell "left out" from "none exist".
    assert_eq!(table.code, 0, "{}", table.stdout);
    let doc = json.json();
    let missing = with_code(&doc, "lifecycle-status-not-visible");
    let named: Vec<&str> = missing
        .iter()
        .filter_map(|f| f["lifecycle_status"].as_str())
        .collect();
    assert_eq!(named, ["Hired", "Terminated"]);
    for f in &missing {
        assert_eq!(f["level"], "warning");
        let message = f["message"].as_str().expect("message");
        assert!(message.contains("\"Everyone\""), "{message}");
        assert!(
            message.contains("or this tenant has no"),
            "says both possibilities: {message}"
        );
        assert!(
            f["permission"]
                .as_str()
                .expect("permission")
                .contains("Select people by condition > Lifecycle status")
        );
    }
    assert_eq!(status_of(&doc, "lifecycle:employed"), "pass");
    for leave in ["leave", "garden-leave", "parental-leave"] {
        assert_eq!(
            status_of(&doc, &format!("lifecycle:{leave}")),
            "pass",
            "{leave}"
        );
    }
    assert_eq!(status_of(&doc, "lifecycle:terminated"), "warn");
    assert!(table.stdout.contains("Lifecycle status > Terminated"));
}

#[test]
fn a_condition_without_terminated_names_terminated_only() {
    let audience = statuses(&[
        "hired",
        "employed",
        "leave",
        "parental leave",
        "garden leave",
    ]);
    let fake = FakeHiBob::start(granted(12).with_audience(audience));
    let (table, json) = snapshot_both("lifecycle-no-terminated", &fake, &["--profile", "truto"]);
    assert_eq!(table.code, 0);
    let doc = json.json();
    let missing = with_code(&doc, "lifecycle-status-not-visible");
    assert_eq!(missing.len(), 1, "{doc:#}");
    assert_eq!(missing[0]["lifecycle_status"], "Terminated");
    let message = missing[0]["message"].as_str().expect("message");
    assert!(
        !message.contains("Everyone"),
        "hired people are visible, so not Everyone: {message}"
    );
    assert_eq!(
        missing[0]["permission"],
        "People's data > Access rights (\"Whose data can members access?\") > Select people by condition > Lifecycle status > Terminated"
    );
}

#[test]
fn a_lifecycle_level_of_error_fails_the_audit() {
    let dir = tempfile::tempdir().expect("tempdir");
    let rules = dir.path().join("strict.toml");
    std::fs::write(
        &rules,
        "[integration]\nname = \"strict\"\n[lifecycle]\nstatuses = [\"Employed\", \"Terminated\"]\nlevel = \"error\"\n",
    )
    .expect("write");
    let fake = FakeHiBob::start(granted(6).with_audience(statuses(&["employed"])));
    let out = check(
        &fake,
        &["--rules", rules.to_str().expect("path"), "--format", "json"],
    );
    assert_eq!(out.code, 1);
    let doc = out.json();
    assert_eq!(
        with_code(&doc, "lifecycle-status-not-visible")[0]["level"],
        "error"
    );
    assert_eq!(status_of(&doc, "lifecycle:terminated"), "fail");
}

#[test]
fn an_unreadable_lifecycle_category_claims_nothing_missing() {
    let fake = FakeHiBob::start(
        granted(12)
            .without("lifecycle")
            .with_audience(Audience::Everyone),
    );
    let (table, json) = snapshot_both("lifecycle-unreadable", &fake, &["--profile", "activtrak"]);
    assert_eq!(table.code, 0);
    let doc = json.json();
    assert!(
        with_code(&doc, "lifecycle-status-not-visible").is_empty(),
        "{doc:#}"
    );
    let unverifiable = with_code(&doc, "lifecycle-unverifiable");
    assert_eq!(unverifiable.len(), 1);
    assert_eq!(unverifiable[0]["level"], "warning");
    assert_eq!(unverifiable[0]["category"], "Lifecycle");
    assert_eq!(
        unverifiable[0]["permission"],
        "People's data > People > Lifecycle > View selected employees' Lifecycle sections"
    );
    for id in [
        "lifecycle:hired",
        "lifecycle:employed",
        "lifecycle:terminated",
        "lifecycle:leave",
        "lifecycle:garden-leave",
        "lifecycle:parental-leave",
    ] {
        assert_eq!(status_of(&doc, id), "unknown", "{id}");
    }
    // activtrak's guide never asks for the Lifecycle category: only the audit needs it.
    let fix = unverifiable[0]["fix"].as_str().expect("fix");
    assert!(fix.contains("only the audit needs it"), "{fix}");
}

#[test]
fn labels_alone_are_matched_case_insensitively() {
    // Machine values that are opaque IDs; only the humanReadable labels say what they are.
    let mut config = granted(6);
    for (i, e) in config.employees.iter_mut().enumerate() {
        let (value, label) = [
            ("ls_1", "Hired"),
            ("ls_2", "EMPLOYED"),
            ("ls_3", "terminated"),
            ("ls_9", "Sabbatical"),
        ][i % 4];
        e.lifecycle = value.to_string();
        e.values.insert(
            "internal.lifecycleStatus".into(),
            Value::String(value.into()),
        );
        e.labels
            .insert("internal.lifecycleStatus".into(), label.to_string());
    }
    config.audience = statuses(&["ls_1", "ls_2", "ls_3", "ls_9"]);
    let fake = FakeHiBob::start(config);
    let out = check(&fake, &["--profile", "activtrak", "--format", "json"]);
    let doc = out.json();
    for id in ["hired", "employed", "terminated"] {
        assert_eq!(status_of(&doc, &format!("lifecycle:{id}")), "pass", "{id}");
    }
    // "Leave (all types)" is the guide's phrase: the custom leave type that is visible passes
    // as itself, and HiBob's own leave statuses, nobody has, are named one by one.
    assert_eq!(status_of(&doc, "lifecycle:sabbatical"), "pass");
    let missing: Vec<&str> = with_code(&doc, "lifecycle-status-not-visible")
        .iter()
        .filter_map(|f| f["lifecycle_status"].as_str())
        .collect();
    assert_eq!(
        missing,
        ["Leave", "Garden leave", "Parental leave"],
        "{doc:#}"
    );
    let wording = with_code(&doc, "guide-wording-differs");
    assert!(
        wording.iter().any(|f| f["message"]
            .as_str()
            .is_some_and(|m| m.contains("Sabbatical") && m.contains("Leave (all types)"))),
        "{doc:#}"
    );
}
