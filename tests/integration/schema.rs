//! Every JSON snapshot, and live documents, validate against the documented schema (issue 7).

use crate::support::fake_hibob::{Fault, TimeoffPerm, granted};
use crate::support::{FakeHiBob, check, run};

/// The validator of docs/schema/NAME.
fn validator_of(name: &str) -> jsonschema::Validator {
    let path = format!("{}/docs/schema/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).expect("schema file");
    let schema: serde_json::Value = serde_json::from_str(&text).expect("schema is JSON");
    jsonschema::validator_for(&schema).expect("a valid JSON Schema")
}

fn validator() -> jsonschema::Validator {
    validator_of("report.schema.json")
}

/// The schema of `diff --format json` documents (snapshots named `diff-*.json.snap`).
pub fn diff_validator() -> jsonschema::Validator {
    validator_of("diff.schema.json")
}

pub fn assert_valid(v: &jsonschema::Validator, doc: &serde_json::Value, what: &str) {
    let errors: Vec<String> = v
        .iter_errors(doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{what} does not match its schema in docs/schema/:\n{}",
        errors.join("\n")
    );
}

/// The document part of an insta snapshot file (after its `---` header).
fn snapshot_body(text: &str) -> &str {
    let rest = text.strip_prefix("---").unwrap_or(text);
    rest.split_once("\n---\n").map_or(rest, |(_, body)| body)
}

#[test]
fn every_json_snapshot_validates_against_the_schema() {
    let (v, diff) = (validator(), diff_validator());
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/snapshots");
    let (mut seen, mut diffs) = (0, 0);
    for entry in std::fs::read_dir(dir).expect("snapshots dir") {
        let path = entry.expect("entry").path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("")
            .to_string();
        if !name.ends_with(".json.snap") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("read snapshot");
        let doc: serde_json::Value =
            serde_json::from_str(snapshot_body(&text)).unwrap_or_else(|e| panic!("{name}: {e}"));
        if name.starts_with("diff-") {
            assert_valid(&diff, &doc, &name);
            diffs += 1;
        } else {
            assert_valid(&v, &doc, &name);
            seen += 1;
        }
    }
    assert!(seen >= 10, "only {seen} JSON snapshots found");
    assert!(diffs >= 1, "no diff JSON snapshot found");
}

#[test]
fn live_documents_of_every_kind_validate() {
    let v = validator();
    let dir = tempfile::tempdir().expect("tempdir");
    let rules = dir.path().join("r.toml");
    std::fs::write(
        &rules,
        "[integration]\nname = \"r\"\n[[fields]]\nid = \"work.title\"\npurpose = \"Title\"\n[[fields]]\nid = \"work.nope\"\npurpose = \"Nope\"\n[timeoff]\nrequire = [\"balance\"]\n[[suppress]]\ncode = \"timeoff-permission-missing\"\nreason = \"Balances are synced elsewhere.\"\n[[suppress]]\ncode = \"field-empty\"\nreason = \"stale on purpose\"\n",
    )
    .expect("write");
    let rules = rules.to_str().expect("path");
    for config in [
        granted(4).without_timeoff(TimeoffPerm::Balance),
        granted(4).fault("/people/search", Fault::Truncated, None),
        granted(4).without("work"),
    ] {
        let fake = FakeHiBob::start(config);
        let out = check(&fake, &["--rules", rules, "--format", "json"]);
        assert_valid(&v, &out.json(), "a live document");
    }
    let out = run(&["demo", "--format", "json", "--profile", "truto"], &[], "");
    assert_valid(&v, &out.json(), "the demo document");

    // check --excess, with a category accepted on purpose: `sensitive` in findings and in
    // `suppressed`, excess check ids.
    let extra = dir.path().join("extra.toml");
    std::fs::write(
        &extra,
        "[integration]\nname = \"x\"\n[[fields]]\nid = \"work.title\"\npurpose = \"Title\"\n[[allow_extra]]\ncategory = \"Personal\"\nreason = \"on purpose\"\n",
    )
    .expect("write");
    let fake = FakeHiBob::start(granted(4).with_all_categories());
    let out = check(
        &fake,
        &[
            "--rules",
            extra.to_str().expect("path"),
            "--excess",
            "--format",
            "json",
        ],
    );
    let doc = out.json();
    assert!(!doc["suppressed"].as_array().expect("suppressed").is_empty());
    assert_valid(&v, &doc, "an --excess document");
}

#[test]
fn the_schema_rejects_what_it_does_not_document() {
    let v = validator();
    let out = run(&["demo", "--format", "json"], &[], "");
    let good = out.json();
    for (path, bad) in [
        ("/outcome", serde_json::json!("maybe")),
        ("/checks/0/status", serde_json::json!("skipped")),
        ("/findings/0/code", serde_json::json!("not-a-code")),
        ("/summary/undocumented", serde_json::json!(1)),
    ] {
        let mut doc = good.clone();
        let (parent, key) = path.rsplit_once('/').expect("path");
        let target = if parent.is_empty() {
            &mut doc
        } else {
            doc.pointer_mut(parent).expect("parent")
        };
        target[key] = bad;
        assert!(!v.is_valid(&doc), "{path} should be rejected");
    }
}

/// The schema's list of finding codes is the code's list: a new code cannot be forgotten there.
#[test]
fn the_schemas_codes_are_the_codes() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/docs/schema/report.schema.json"
    ))
    .expect("schema file");
    let schema: serde_json::Value = serde_json::from_str(&text).expect("schema is JSON");
    let listed: Vec<&str> = schema["$defs"]["code"]["enum"]
        .as_array()
        .expect("code enum")
        .iter()
        .filter_map(|v| v.as_str())
        .collect();
    assert_eq!(listed, hibob_audit::report::Code::names());
}
