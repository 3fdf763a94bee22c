//! People's-data categories: removed, moved, empty, partly readable (issue 3).

use serde_json::Value;

use crate::support::fake_hibob::{FieldDef, granted};
use crate::support::{FakeHiBob, check, snapshot_both, with_code};

#[test]
fn fully_granted_tenant_passes_with_activtrak() {
    let fake = FakeHiBob::start(granted(12));
    let (table, json) = snapshot_both("granted-activtrak", &fake, &["--profile", "activtrak"]);
    assert_eq!(table.code, 0, "{}", table.stdout);
    let doc = json.json();
    assert_eq!(doc["outcome"], "pass");
    // Out of the box the work email is in Basic info, not Work contact details as the guide says.
    let other = with_code(&doc, "field-in-other-category");
    assert_eq!(other.len(), 1, "{doc:#}");
    assert_eq!(other[0]["fields"][0], "root.email");
    assert_eq!(other[0]["category"], "Basic info");
    assert_eq!(other[0]["level"], "info");
}

#[test]
fn fully_granted_tenant_passes_with_truto() {
    let fake = FakeHiBob::start(granted(12));
    let (table, json) = snapshot_both("granted-truto", &fake, &["--profile", "truto"]);
    assert_eq!(table.code, 0, "{}", table.stdout);
    let doc = json.json();
    assert_eq!(doc["outcome"], "pass");
    assert_eq!(doc["summary"]["errors"], 0);
    assert_eq!(doc["summary"]["warnings"], 0);
}

#[test]
fn removing_basic_info_names_exactly_that_category() {
    let fake = FakeHiBob::start(granted(12).without("root"));
    let (table, json) = snapshot_both("basic-info-removed", &fake, &["--profile", "activtrak"]);
    assert_eq!(table.code, 1);
    let doc = json.json();
    let missing = with_code(&doc, "category-not-readable");
    assert_eq!(missing.len(), 1, "{doc:#}");
    assert_eq!(missing[0]["category"], "Basic info");
    assert_eq!(
        missing[0]["permission"],
        "People's data > People > Basic info > View selected employees' Basic info sections"
    );
    let fields: Vec<&str> = missing[0]["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(fields, ["root.firstName", "root.surname", "root.email"]);
    assert_eq!(missing[0]["evidence"]["employees"], 12);
    assert!(
        crate::support::flat(&table.stdout)
            .contains("View selected employees' Basic info sections")
    );
}

/// Every category the truto profile reads, removed one at a time, is named alone.
#[test]
fn removing_any_one_category_names_exactly_that_category() {
    for (id, name) in [
        ("root", "Basic info"),
        ("work", "Work"),
        ("workContact", "Work contact details"),
        ("employment", "Employment"),
        ("lifecycle", "Lifecycle"),
    ] {
        let fake = FakeHiBob::start(granted(8).without(id));
        let run = check(&fake, &["--profile", "truto", "--format", "json"]);
        assert_eq!(run.code, 1, "{name}: {}", run.stdout);
        let doc = run.json();
        let missing = with_code(&doc, "category-not-readable");
        assert_eq!(missing.len(), 1, "{name}: {doc:#}");
        assert_eq!(missing[0]["category"], name);
        assert_eq!(
            missing[0]["permission"],
            format!("People's data > People > {name} > View selected employees' {name} sections")
        );
        assert_eq!(missing[0]["level"], "error");
        assert!(with_code(&doc, "category-partly-readable").is_empty());
    }
}

#[test]
fn a_moved_field_is_reported_under_the_tenants_category() {
    let config = granted(10).move_field(
        "work.employeeIdInCompany",
        "category_1720508362305",
        "Employee identifiers",
    );
    let fake = FakeHiBob::start(config);
    let (table, json) = snapshot_both("moved-field-unreadable", &fake, &["--profile", "activtrak"]);
    assert_eq!(table.code, 1);
    let doc = json.json();
    let missing = with_code(&doc, "category-not-readable");
    assert_eq!(missing.len(), 1, "{doc:#}");
    assert_eq!(missing[0]["category"], "Employee identifiers");
    assert_eq!(
        missing[0]["fields"],
        serde_json::json!(["work.employeeIdInCompany"])
    );
    assert!(
        !table.stdout.contains("People > Work > View"),
        "must not send the admin to the guide's category"
    );
    let other = with_code(&doc, "field-in-other-category");
    assert!(
        other
            .iter()
            .any(|f| f["fields"][0] == "work.employeeIdInCompany"
                && f["category"] == "Employee identifiers")
    );
}

#[test]
fn a_moved_field_in_a_granted_category_passes_with_a_note() {
    let mut config = granted(10).move_field(
        "work.employeeIdInCompany",
        "category_1720508362305",
        "Employee identifiers",
    );
    config.readable.insert("category_1720508362305".into());
    let fake = FakeHiBob::start(config);
    let run = check(&fake, &["--profile", "activtrak", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    let doc = run.json();
    assert!(
        with_code(&doc, "field-in-other-category")
            .iter()
            .any(|f| f["category"] == "Employee identifiers")
    );
}

#[test]
fn a_readable_but_empty_field_is_never_a_missing_permission() {
    let fake = FakeHiBob::start(granted(9).empty_field("work.employeeIdInCompany"));
    let (table, json) = snapshot_both("field-empty", &fake, &["--profile", "activtrak"]);
    assert_eq!(table.code, 0);
    let doc = json.json();
    assert!(with_code(&doc, "category-not-readable").is_empty());
    let empty = with_code(&doc, "field-empty");
    assert_eq!(empty.len(), 1);
    assert_eq!(empty[0]["level"], "warning");
    assert_eq!(empty[0]["permission"], Value::Null);
    assert_eq!(empty[0]["evidence"]["fields"][0]["empty"], 9);
    assert!(
        crate::support::flat(&table.stdout).contains("readable, but empty for all 9 employees")
    );
}

#[test]
fn a_category_hidden_for_some_employees_is_partly_readable() {
    let mut config = granted(10);
    config
        .hidden_for
        .insert("work".into(), [1, 3, 5].into_iter().collect());
    let fake = FakeHiBob::start(config);
    let (table, json) = snapshot_both("partly-readable", &fake, &["--profile", "activtrak"]);
    assert_eq!(table.code, 1);
    let doc = json.json();
    let partly = with_code(&doc, "category-partly-readable");
    assert_eq!(partly.len(), 1, "{doc:#}");
    assert_eq!(partly[0]["category"], "Work");
    assert_eq!(partly[0]["evidence"]["fields"][0]["present"], 7);
    assert_eq!(partly[0]["evidence"]["fields"][0]["absent"], 3);
}

#[test]
fn metadata_as_an_object_is_read_too() {
    let mut config = granted(4);
    config.metadata_as_object = true;
    let fake = FakeHiBob::start(config);
    let run = check(&fake, &["--profile", "activtrak", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
}

#[test]
fn a_field_unknown_to_the_tenant_is_an_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let rules = dir.path().join("rules.toml");
    std::fs::write(
        &rules,
        "[integration]\nname = \"custom\"\n\n[[fields]]\nid = \"work.employeeNumber\"\npurpose = \"Employee number\"\n\n[[fields]]\nid = \"root.email\"\npurpose = \"Email\"\n",
    )
    .expect("write rules");
    let config = granted(5);
    assert!(
        !config
            .fields
            .iter()
            .any(|f: &FieldDef| f.id == "work.employeeNumber")
    );
    let fake = FakeHiBob::start(config);
    let run = check(
        &fake,
        &["--rules", rules.to_str().expect("path"), "--format", "json"],
    );
    assert_eq!(run.code, 1);
    let doc = run.json();
    assert_eq!(doc["profile"], "custom");
    let unknown = with_code(&doc, "field-unknown");
    assert_eq!(unknown.len(), 1);
    assert_eq!(unknown[0]["fields"][0], "work.employeeNumber");
    assert_eq!(unknown[0]["level"], "error");
}
