//! Every line of the vendor's guide in the report: manual checks, the guide's own words,
//! provenance, and the shipped profiles' coverage of their guides (issue 11).

use serde_json::Value;

use crate::support::fake_hibob::{TimeoffPerm, granted};
use crate::support::{FakeHiBob, check, check_of, run, snapshot_both, with_code};

fn strs(v: &Value) -> Vec<&str> {
    v.as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

/// Every shipped profile answers every line of its guide, by a probe or by hand, and every
/// requirement says where it comes from. No line of the guide is dropped silently.
#[test]
fn every_shipped_profile_covers_its_guide() {
    use hibob_audit::rules::{guide, profiles};
    for p in profiles::PROFILES {
        let rules = profiles::load(p).unwrap_or_else(|e| panic!("{e}"));
        let name = p.name;
        assert!(
            rules
                .source
                .as_deref()
                .is_some_and(|s| s.starts_with("https://")),
            "{name}: no source URL"
        );
        assert!(rules.read.is_some(), "{name}: no date read");
        let lines = guide::coverage(&rules);
        assert!(!lines.is_empty(), "{name}: no [[guide]] lines");
        assert_eq!(lines.len(), rules.guide_lines.len(), "{name}");
        for line in &lines {
            assert!(
                !line.answers.is_empty(),
                "{name}: guide line \"{}\" is answered by nothing",
                line.text
            );
        }
        for r in guide::requirements(&rules) {
            assert!(
                !r.source.guide_text.is_empty() || r.source.inferred.is_some(),
                "{name}: `{}` says neither which guide line it answers nor why it is inferred",
                r.what
            );
        }
    }
}

#[test]
fn manual_checks_appear_in_every_format_and_never_change_the_exit_code() {
    let fake = FakeHiBob::start(granted(6));
    // -q prints nothing; the exit code alone says pass although three lines are manual.
    let quiet = check(&fake, &["--profile", "activtrak", "-q"]);
    assert_eq!((quiet.code, quiet.stdout.as_str()), (0, ""));

    let json = check(&fake, &["--profile", "activtrak", "--format", "json"]);
    assert_eq!(json.code, 0);
    let doc = json.json();
    assert_eq!(doc["outcome"], "pass");
    assert_eq!(doc["summary"]["manual"], 3);
    let members = check_of(&doc, "manual:group-members");
    assert_eq!(members["status"], "manual");
    assert!(
        members["permission"]
            .as_str()
            .is_some_and(|p| p.contains("Select service users"))
    );
    assert!(
        members["reason"]
            .as_str()
            .is_some_and(|r| r.contains("invisible to the API"))
    );
    assert_eq!(
        strs(&members["guide_text"]),
        [
            "Enter any Group name, select your new service user under Select service users and click Create"
        ]
    );

    let table = check(&fake, &["--profile", "activtrak", "--color", "never"]);
    assert_eq!(table.code, 0);
    assert!(table.stdout.contains("MANUAL"), "{}", table.stdout);
    assert!(
        table.stdout.contains("Confirm by hand (3):"),
        "{}",
        table.stdout
    );
    assert!(
        crate::support::flat(&table.stdout).contains("3 to confirm by hand"),
        "{}",
        table.stdout
    );
    // The manual rows come after every judged row.
    let last_judged = table.stdout.rfind("│ PASS").expect("a pass row");
    let first_manual = table.stdout.find("MANUAL").expect("a manual row");
    assert!(first_manual > last_judged, "{}", table.stdout);

    let md = check(&fake, &["--profile", "activtrak", "--format", "markdown"]);
    assert_eq!(md.code, 0);
    let section = md
        .stdout
        .split("## Confirm by hand")
        .nth(1)
        .expect("a Confirm by hand section");
    assert_eq!(section.matches("- [ ] ").count(), 3, "{}", md.stdout);

    let junit = check(&fake, &["--profile", "activtrak", "--format", "junit"]);
    assert_eq!(junit.code, 0);
    let xml = roxmltree::Document::parse(&junit.stdout).expect("XML");
    let manual: Vec<&str> = xml
        .descendants()
        .filter(|n| n.has_tag_name("skipped"))
        .filter_map(|n| n.attribute("message"))
        .filter(|m| m.starts_with("confirm by hand:"))
        .collect();
    assert_eq!(manual.len(), 3, "{}", junit.stdout);
}

#[test]
fn a_failing_audit_fails_for_its_judged_checks_only() {
    // Manual checks cannot rescue a failing audit, nor fail a passing one: the same rules,
    // with and without the balance permission.
    let fake = FakeHiBob::start(granted(6).without_timeoff(TimeoffPerm::Balance));
    let run = check(&fake, &["--profile", "activtrak", "--format", "json"]);
    assert_eq!(run.code, 1);
    let doc = run.json();
    assert_eq!(doc["summary"]["failed"], 1, "{doc:#}");
    assert_eq!(doc["summary"]["manual"], 3);
}

#[test]
fn a_rules_file_of_manual_checks_alone_passes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("manual.toml");
    std::fs::write(
        &path,
        r#"[integration]
name = "by-hand"

[[manual]]
permission = "Features > People > Directory > View the company's people directory"
reason = "no read endpoint depends on it"
"#,
    )
    .expect("write rules");
    let fake = FakeHiBob::start(granted(3));
    let out = check(
        &fake,
        &["--rules", path.to_str().expect("utf-8"), "--format", "json"],
    );
    assert_eq!(out.code, 0, "{}", out.stdout);
    let doc = out.json();
    let manual: Vec<&Value> = doc["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .filter(|c| c["status"] == "manual")
        .collect();
    assert_eq!(manual.len(), 1, "{doc:#}");
    // Without an `id`, the check's id is made of the permission's words.
    assert!(
        manual[0]["id"]
            .as_str()
            .is_some_and(|id| id.starts_with("manual:features-people-directory-")),
        "{doc:#}"
    );
    assert_eq!(doc["summary"]["manual"], 1);
}

/// Truto's guide asks for Features > People and Time off, and all lifecycle statuses: no
/// People's-data category, no People's-data Time off box. Set up exactly so, the audit names
/// what that setup cannot deliver.
#[test]
fn trutos_exact_guide_setup_is_told_what_its_guide_leaves_out() {
    let mut config = granted(12);
    config.readable.clear();
    config.timeoff = [TimeoffPerm::Settings].into_iter().collect();
    let fake = FakeHiBob::start(config);
    let (table, json) = snapshot_both("truto-exact-guide", &fake, &["--profile", "truto"]);
    assert_eq!(table.code, 1);
    let doc = json.json();
    let omitted = with_code(&doc, "guide-omits-permission");
    let categories: Vec<&str> = omitted
        .iter()
        .filter_map(|f| f["category"].as_str())
        .collect();
    assert_eq!(
        categories,
        [
            "Basic info",
            "Employment",
            "Lifecycle",
            "Work",
            "Work contact details"
        ],
        "{doc:#}"
    );
    for f in &omitted {
        assert_eq!(f["level"], "warning", "{f:#}");
        let m = f["message"].as_str().expect("message");
        assert!(m.starts_with("Truto's guide does not ask for"), "{m}");
        assert!(m.contains("Not in the guide"), "{m}");
    }
    let work = omitted
        .iter()
        .find(|f| f["category"] == "Work")
        .expect("Work");
    assert_eq!(
        strs(&work["fields"]),
        [
            "work.employeeIdInCompany",
            "work.title",
            "work.department",
            "work.reportsTo",
            "work.startDate"
        ]
    );
    // The time-off boxes the guide never asks for, beside its Features > Time off.
    let boxes: Vec<&str> = omitted
        .iter()
        .filter(|f| f["category"].is_null())
        .filter_map(|f| f["permission"].as_str())
        .collect();
    assert_eq!(boxes.len(), 4, "{boxes:?}");
    assert!(boxes.iter().any(|b| b.contains("\"See who's out\"")));
    assert_eq!(check_of(&doc, "timeoff:policy-types")["status"], "pass");
    // Each inferred field's check carries why it is there.
    let title = check_of(&doc, "field:work.title");
    assert!(
        title["inferred"]
            .as_str()
            .is_some_and(|i| i.contains("Employments"))
    );
    assert!(strs(&title["findings"]).contains(&"guide-omits-permission"));
}

#[test]
fn the_guides_other_name_for_a_box_is_quoted_beside_hibobs() {
    let fake = FakeHiBob::start(granted(6));
    let doc = check(&fake, &["--profile", "activtrak", "--format", "json"]).json();
    let wording = with_code(&doc, "guide-wording-differs");
    let requests = wording
        .iter()
        .find(|f| {
            f["message"]
                .as_str()
                .is_some_and(|m| m.contains("People > Requests"))
        })
        .unwrap_or_else(|| panic!("{doc:#}"));
    assert_eq!(requests["level"], "info");
    let m = requests["message"].as_str().expect("message");
    assert!(
        m.contains("Your guide says \"People > Requests | Timeoff\"; in HiBob this is"),
        "{m}"
    );
    assert!(m.contains("\"See who's out\""), "{m}");
    assert_eq!(
        strs(&check_of(&doc, "timeoff:requests")["findings"]),
        ["guide-wording-differs"]
    );
    // Balance and See who's out are named alike in the guide: no finding for them.
    assert_eq!(wording.len(), 2, "requests and Leave (all types): {doc:#}");

    // When the box is missing, the failing finding quotes both instead.
    let fake = FakeHiBob::start(granted(6).without_timeoff(TimeoffPerm::WhosOut));
    let doc = check(&fake, &["--profile", "activtrak", "--format", "json"]).json();
    let missing = with_code(&doc, "timeoff-permission-missing");
    let requests = missing
        .iter()
        .find(|f| f["endpoint"] == "GET /timeoff/requests/changes")
        .unwrap_or_else(|| panic!("{doc:#}"));
    for text in [&requests["message"], &requests["fix"]] {
        assert!(
            text.as_str()
                .is_some_and(|t| t.contains("Your guide says \"People > Requests | Timeoff\"")),
            "{text}"
        );
    }
}

#[test]
fn leave_all_types_is_named_in_hibobs_statuses() {
    let mut config = granted(12);
    config.audience = crate::support::fake_hibob::Audience::statuses(&[
        "employed",
        "hired",
        "terminated",
        "parental leave",
    ]);
    let fake = FakeHiBob::start(config);
    let out = check(&fake, &["--profile", "activtrak", "--format", "json"]);
    let doc = out.json();
    let statuses: Vec<&str> = with_code(&doc, "lifecycle-status-not-visible")
        .iter()
        .filter_map(|f| f["lifecycle_status"].as_str())
        .collect();
    assert_eq!(statuses, ["Leave", "Garden leave"]);
    for f in with_code(&doc, "lifecycle-status-not-visible") {
        assert!(
            !f["fix"].as_str().unwrap_or("").contains("all types"),
            "{f:#}"
        );
    }
    assert_eq!(check_of(&doc, "lifecycle:parental-leave")["status"], "pass");
}

#[test]
fn a_field_hidden_in_a_readable_category_points_at_field_level_permissions() {
    let mut config = granted(6);
    config.hidden_fields.insert("root.email".into());
    let fake = FakeHiBob::start(config);
    let doc = check(&fake, &["--profile", "activtrak", "--format", "json"]).json();
    let missing = with_code(&doc, "category-not-readable");
    assert_eq!(missing.len(), 1, "{doc:#}");
    let m = missing[0]["message"].as_str().expect("message");
    assert!(m.contains("although Name (root.firstName)"), "{m}");
    assert!(m.contains("Basic info is ticked"), "{m}");
    let fix = missing[0]["fix"].as_str().expect("fix");
    assert!(fix.contains("People's data > People's fields"), "{fix}");
    // The guide sends the admin to Work contact details for it: the fix says both.
    assert!(
        fix.contains("your guide says \"People > Work contact details | Work Email\""),
        "{fix}"
    );
}

#[test]
fn partly_readable_fixes_mention_field_level_permissions() {
    let mut config = granted(6);
    config
        .hidden_for
        .insert("work".into(), [1, 2].into_iter().collect());
    let fake = FakeHiBob::start(config);
    let doc = check(&fake, &["--profile", "activtrak", "--format", "json"]).json();
    let partly = with_code(&doc, "category-partly-readable");
    assert_eq!(partly.len(), 1, "{doc:#}");
    assert!(
        partly[0]["fix"]
            .as_str()
            .is_some_and(|f| f.contains("People's data > People's fields")),
        "{:#}",
        partly[0]
    );
}

#[test]
fn lifecycle_view_that_only_the_audit_needs_says_so() {
    let fake = FakeHiBob::start(granted(6).without("lifecycle"));
    let doc = check(&fake, &["--profile", "activtrak", "--format", "json"]).json();
    let f = with_code(&doc, "lifecycle-unverifiable");
    assert!(
        f[0]["fix"].as_str().is_some_and(|x| x
            .contains("The integration's guide does not ask for this: only the audit needs it")),
        "{doc:#}"
    );
    // truto requires Lifecycle fields itself: it is not the audit's need alone.
    let doc = check(&fake, &["--profile", "truto", "--format", "json"]).json();
    let f = with_code(&doc, "lifecycle-unverifiable");
    assert!(
        f[0]["fix"]
            .as_str()
            .is_some_and(|x| x.contains("The rules need Lifecycle too")),
        "{doc:#}"
    );
}

#[test]
fn rules_show_lists_the_guides_lines_with_how_each_is_verified() {
    let out = run(&["rules", "show", "activtrak"], &[], "");
    assert_eq!(out.code, 0, "{}", out.stderr);
    crate::support::snapshot_settings()
        .bind(|| insta::assert_snapshot!("rules-show.activtrak", out.stdout));
    assert!(
        out.stdout
            .contains("11 line(s): 8 probed, 3 by hand, 0 not answered.")
    );

    let out = run(&["rules", "show", "truto"], &[], "");
    assert_eq!(out.code, 0);
    assert!(
        out.stdout
            .contains("Not in the guide (inferred), with why:"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("Job title (work.title): Truto's unified HRIS model has Employments")
    );

    let out = run(&["rules", "show", "truto", "--toml"], &[], "");
    assert!(out.stdout.contains("[integration]\nname = \"truto\""));

    // A file's path works too, and a file without guide lines says so.
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("r.toml");
    std::fs::write(
        &path,
        "[integration]\nname = \"x\"\n[[fields]]\nid = \"work.title\"\npurpose = \"Title\"\n",
    )
    .expect("write");
    let out = run(&["rules", "show", path.to_str().expect("utf-8")], &[], "");
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains("These rules quote no guide line"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("1 requirement(s) say neither"),
        "{}",
        out.stdout
    );
}

#[test]
fn rules_list_shows_each_profiles_source_and_date() {
    let out = run(&["rules", "list"], &[], "");
    assert_eq!(out.code, 0);
    for p in hibob_audit::rules::profiles::PROFILES {
        let line = out
            .stdout
            .lines()
            .skip_while(|l| !l.starts_with(p.name))
            .nth(1)
            .unwrap_or_else(|| panic!("{}", out.stdout));
        assert!(
            line.contains("source: https://") && line.contains("(read 20"),
            "{line}"
        );
    }
}
