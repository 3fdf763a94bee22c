//! Section histories, docs folders and whole categories against the fake HiBob (issue 12).

use crate::support::fake_hibob::{SENTINEL, granted};
use crate::support::{FakeHiBob, check, check_of, run, with_code};

fn rules(dir: &tempfile::TempDir, text: &str) -> String {
    let path = dir.path().join("rules.toml");
    std::fs::write(&path, format!("[integration]\nname = \"t\"\n{text}")).expect("write rules");
    path.to_str().expect("utf-8").to_string()
}

fn audit(fake: &FakeHiBob, rules: &str) -> (i32, serde_json::Value) {
    let out = check(fake, &["--rules", rules, "--format", "json"]);
    (out.code, out.json())
}

#[test]
fn a_history_is_proven_by_more_than_one_row_only() {
    let dir = tempfile::tempdir().expect("tempdir");
    let r = rules(
        &dir,
        "[[histories]]\ncategory = \"Work\"\n[[histories]]\ncategory = \"Payroll\"\n[[histories]]\ncategory = \"Lifecycle\"\n",
    );
    let mut config = granted(6).with_all_categories();
    // Work: "sections" alone (current row); Payroll: neither (refused); Lifecycle: histories.
    config.history.remove("work");
    config.history.remove("payroll");
    config.readable.remove("payroll");
    let fake = FakeHiBob::start(config);
    let (code, doc) = audit(&fake, &r);
    assert_eq!(code, 1, "{doc:#}");
    let work = check_of(&doc, "history:work");
    assert_eq!(work["status"], "unknown");
    assert!(
        work["reason"]
            .as_str()
            .is_some_and(|r| r.contains("only the current row came back")),
        "{work:#}"
    );
    assert_eq!(check_of(&doc, "history:lifecycle")["status"], "pass");
    assert_eq!(check_of(&doc, "history:salaries")["status"], "fail");
    let missing = with_code(&doc, "section-history-missing");
    assert_eq!(missing.len(), 1, "{doc:#}");
    assert_eq!(missing[0]["category"], "Payroll");
    assert_eq!(missing[0]["endpoint"], "GET /people/{id}/salaries");
    assert_eq!(
        missing[0]["permission"],
        "People's data > People > Payroll > View selected employees' Payroll section histories"
    );
    // Only the visible employee's table was asked for, once each, and never with a body.
    let tables: Vec<_> = fake
        .requests()
        .into_iter()
        .filter(|s| s.path.starts_with("/v1/people/") && s.path != "/v1/people/search")
        .collect();
    assert_eq!(tables.len(), 3);
    assert!(tables.iter().all(|s| s.content_type.is_none()));
}

#[test]
fn field_level_permissions_that_withhold_history_fail_the_check() {
    let dir = tempfile::tempdir().expect("tempdir");
    let r = rules(&dir, "[[histories]]\ncategory = \"Work\"\n");
    let mut config = granted(4);
    config.history_restricted = vec!["work.title".into()];
    let fake = FakeHiBob::start(config);
    let (code, doc) = audit(&fake, &r);
    assert_eq!(code, 1, "{doc:#}");
    let f = &with_code(&doc, "section-history-missing")[0];
    assert!(
        f["message"]
            .as_str()
            .is_some_and(|m| m.contains("work.title")),
        "{f:#}"
    );
    assert!(
        f["fix"]
            .as_str()
            .is_some_and(|x| x.contains("People's data > People's fields")),
        "{f:#}"
    );
}

#[test]
fn docs_folders_are_proven_by_documents_that_name_them() {
    let dir = tempfile::tempdir().expect("tempdir");
    let r = rules(&dir, "[docs]\nfolders = [\"Shared\", \"Confidential\"]\n");
    let mut config = granted(4);
    config.docs_viewable.remove("Confidential");
    let fake = FakeHiBob::start(config);
    let (code, doc) = audit(&fake, &r);
    assert_eq!(code, 0, "{doc:#}");
    assert_eq!(check_of(&doc, "docs:shared")["status"], "pass");
    let confidential = check_of(&doc, "docs:confidential");
    assert_eq!(confidential["status"], "unknown");
    assert!(
        confidential["reason"]
            .as_str()
            .is_some_and(|r| r.contains("check it in HiBob")),
        "{confidential:#}"
    );

    // Documents that do not say their folder prove no given folder.
    let mut config = granted(4);
    config.docs_name_folder = false;
    let fake = FakeHiBob::start(config);
    let (_, doc) = audit(&fake, &r);
    let shared = check_of(&doc, "docs:shared");
    assert_eq!(shared["status"], "unknown");
    assert!(
        shared["reason"]
            .as_str()
            .is_some_and(|r| r.contains("does not say which")),
        "{shared:#}"
    );

    // No folder viewable: refused, and every folder fails.
    let mut config = granted(4);
    config.docs_viewable.clear();
    let fake = FakeHiBob::start(config);
    let (code, doc) = audit(&fake, &r);
    assert_eq!(code, 1);
    assert_eq!(
        with_code(&doc, "docs-permission-missing").len(),
        2,
        "{doc:#}"
    );
}

#[test]
fn a_custom_category_is_matched_on_its_display_name() {
    let dir = tempfile::tempdir().expect("tempdir");
    let r = rules(&dir, "[[categories]]\nname = \"Employee identifiers\"\n");
    let config = granted(5).move_field(
        "work.employeeIdInCompany",
        "category_1720508362305",
        "Employee identifiers",
    );
    let fake = FakeHiBob::start(config);
    let (code, doc) = audit(&fake, &r);
    assert_eq!(code, 1, "{doc:#}");
    let f = &with_code(&doc, "category-not-readable")[0];
    assert_eq!(f["category"], "Employee identifiers");
    assert_eq!(f["fields"][0], "work.employeeIdInCompany");

    // Granted, it passes; the search asked for the category's field by its ID.
    let mut config = granted(5).move_field(
        "work.employeeIdInCompany",
        "category_1720508362305",
        "Employee identifiers",
    );
    config.readable.insert("category_1720508362305".into());
    let fake = FakeHiBob::start(config);
    let (code, doc) = audit(&fake, &r);
    assert_eq!(code, 0, "{doc:#}");
    assert_eq!(
        check_of(&doc, "category:employee-identifiers")["status"],
        "pass"
    );
}

#[test]
fn a_category_the_tenant_lacks_is_named_with_the_ones_it_has() {
    let dir = tempfile::tempdir().expect("tempdir");
    let r = rules(&dir, "[[categories]]\nname = \"EEO\"\n");
    let fake = FakeHiBob::start(granted(3));
    let (code, doc) = audit(&fake, &r);
    assert_eq!(code, 0, "a warning: {doc:#}");
    let f = &with_code(&doc, "category-unknown")[0];
    assert_eq!(f["level"], "warning");
    assert!(
        f["fix"].as_str().is_some_and(|x| x.contains("Basic info")),
        "{f:#}"
    );
}

/// A recording of the new probes holds no employee value: tables keep only `isCurrent`, docs
/// only folder names.
#[test]
fn recordings_of_tables_and_docs_hold_no_value() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("r.json");
    let file = file.to_str().expect("utf-8");
    let fake = FakeHiBob::start(granted(6).with_all_categories());
    let out = check(&fake, &["--profile", "stackone", "--record", file]);
    assert_eq!(out.code, 0, "{}", out.stdout);
    let text = std::fs::read_to_string(file).expect("recording");
    assert!(
        !text.contains(SENTINEL),
        "a value leaked into the recording"
    );
    assert!(text.contains("\"isCurrent\": false"), "isCurrent kept");
    assert!(text.contains("\"folder\": \"Shared\""), "folder names kept");
    let replay = run(
        &[
            "check",
            "--profile",
            "stackone",
            "--format",
            "json",
            "--replay",
            file,
        ],
        &[],
        "",
    );
    assert_eq!(replay.code, 0, "{}", replay.stdout);
    assert_eq!(check_of(&replay.json(), "history:work")["status"], "pass");
}
