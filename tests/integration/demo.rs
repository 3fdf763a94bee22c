//! `hibob-audit demo`: the main job with no credentials and no network (issue 3).

use crate::support::{run, snapshot_settings};

#[test]
fn demo_runs_offline_and_exits_0() {
    let out = run(&["demo"], &[], "");
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("Employee identifiers"));
    assert!(out.stdout.contains("hibob-audit check --profile activtrak"));
    snapshot_settings().bind(|| {
        insta::assert_snapshot!(
            "demo.table",
            out.stdout.replace(env!("CARGO_PKG_VERSION"), "[VERSION]")
        );
    });
}

#[test]
fn demo_json_is_one_document() {
    let out = run(&["demo", "--format", "json", "--profile", "truto"], &[], "");
    assert_eq!(out.code, 0);
    let doc: serde_json::Value = serde_json::from_str(&out.stdout).expect("one JSON document");
    assert_eq!(doc["profile"], "truto");
    assert!(out.stderr.contains("hibob-audit check --profile truto"));
}
