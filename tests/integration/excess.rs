//! `check --excess`: what the permission group grants beyond the rules' needs (issue 15).
//! Against the fake HiBob, whose every employee value is a sentinel.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Value, json};

use crate::support::fake_hibob::{
    Fault, FieldDef, ID_PREFIX, MORE_CATEGORIES, TimeoffPerm, default_fields, granted,
};
use crate::support::{
    FakeHiBob, SENTINEL, TOKEN, check, check_of, run, snapshot_both, snapshot_settings, stable,
    with_code,
};

/// The categories of the fake tenant with every category, by display name: sensitive or not.
/// ActivTrak needs Basic info (names, work email), Work (employee number) and Lifecycle (its
/// lifecycle statuses); every other category is extra.
fn activtrak_extras() -> BTreeMap<&'static str, bool> {
    [
        ("About", false),
        ("Address", true),
        ("EEO", true),
        ("Emergency", false),
        ("Employment", false),
        ("Home", true),
        ("Identification", true),
        ("Jobs", false),
        ("Payroll", true),
        ("People analytics", true),
        ("Personal", true),
        ("Personal contact details", true),
        ("Training", false),
        ("User data", false),
        ("Work contact details", false),
        ("Work eligibility", false),
    ]
    .into_iter()
    .collect()
}

/// The search bodies the fake heard.
fn search_bodies(fake: &FakeHiBob) -> Vec<Value> {
    fake.requests()
        .into_iter()
        .filter(|r| r.path == "/v1/people/search")
        .filter_map(|r| r.body)
        .collect()
}

fn requested(body: &Value) -> Vec<String> {
    body["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .filter_map(Value::as_str)
        .map(str::to_string)
        .collect()
}

/// The category display name of each field of the fake tenant with every category.
fn category_of_fields() -> BTreeMap<String, String> {
    let mut out: BTreeMap<String, String> = default_fields()
        .into_iter()
        .map(|f| (f.id, f.category_name))
        .collect();
    for (_, name, ids) in MORE_CATEGORIES {
        for id in ids {
            out.insert(id.to_string(), name.to_string());
        }
    }
    out
}

#[test]
fn activtrak_excess_names_every_category_activtrak_does_not_need() {
    let fake = FakeHiBob::start(granted(12).with_all_categories());
    let (table, json) = snapshot_both(
        "excess-activtrak",
        &fake,
        &["--profile", "activtrak", "--excess"],
    );
    // Warnings and infos only: excess never fails an audit by itself.
    assert_eq!(table.code, 0, "{}", table.stdout);
    let doc = json.json();
    let found = with_code(&doc, "category-not-needed");
    let people: BTreeMap<&str, &Value> = found
        .iter()
        .filter(|f| f["category"] != "Time off")
        .map(|f| (f["category"].as_str().expect("category"), *f))
        .collect();
    let expected = activtrak_extras();
    assert_eq!(
        people.keys().copied().collect::<BTreeSet<_>>(),
        expected.keys().copied().collect::<BTreeSet<_>>(),
        "{doc:#}"
    );
    for (name, sensitive) in &expected {
        let f = people[name];
        assert_eq!(f["sensitive"], *sensitive, "{name}");
        assert_eq!(
            f["level"],
            if *sensitive { "warning" } else { "info" },
            "{name}"
        );
        let permission =
            format!("People's data > People > {name} > View selected employees' {name} sections");
        assert_eq!(f["permission"], permission.as_str(), "{name}");
        let fix = f["fix"].as_str().expect("fix");
        assert!(
            fix.contains(&format!("untick {permission}")),
            "{name}: {fix}"
        );
        // Evidence is counts: one field, named as the metadata names it.
        let fields = f["evidence"]["fields"].as_array().expect("fields");
        assert_eq!(fields.len(), 1, "{name}");
        assert_eq!(f["evidence"]["fields"][0]["present"], 12, "{name}");
        assert!(
            f["message"]
                .as_str()
                .expect("message")
                .contains("is readable for 12 of 12 employees"),
            "{name}"
        );
        let check = check_of(&doc, &f_check_id(name));
        assert_eq!(
            check["status"],
            if *sensitive { "warn" } else { "pass" },
            "{name}"
        );
    }
    // The categories activtrak needs are never reported as extra.
    for needed in ["Basic info", "Work", "Lifecycle"] {
        assert!(!people.contains_key(needed), "{needed}");
    }
    // Time off: activtrak reads who's out, so the private-policy and pending boxes are compared
    // with it; the fake grants both.
    let timeoff: Vec<&&Value> = found
        .iter()
        .filter(|f| f["category"] == "Time off")
        .collect();
    assert_eq!(timeoff.len(), 2, "{doc:#}");
    let private = timeoff
        .iter()
        .find(|f| {
            f["permission"]
                .as_str()
                .is_some_and(|p| p.contains("private policy"))
        })
        .expect("private-policy box");
    assert_eq!(private["sensitive"], true);
    assert_eq!(private["level"], "warning");
    assert_eq!(
        check_of(&doc, "excess:timeoff:private-requests")["status"],
        "warn"
    );
    assert_eq!(
        check_of(&doc, "excess:timeoff:pending-requests")["status"],
        "warn"
    );
    // `sensitive` is only on category-not-needed: the JSON stays additive.
    for f in doc["findings"].as_array().expect("findings") {
        assert_eq!(
            f.get("sensitive").is_some(),
            f["code"] == "category-not-needed",
            "{f:#}"
        );
    }
    // The table: one section, sensitive first; no excess rows among the rules' checks.
    let section = table
        .stdout
        .split("Granted but not needed")
        .nth(1)
        .expect("the section");
    let first_info = section.find("\ninfo").expect("an info");
    let last_warning = section.rfind("\nwarning").expect("a warning");
    assert!(last_warning < first_info, "{section}");
    assert!(section.contains(
        "untick: People's data > People > Payroll > View selected employees' Payroll sections"
    ));
    assert!(
        !table.stdout.contains("not needed by the rules"),
        "{}",
        table.stdout
    );
}

fn f_check_id(name: &str) -> String {
    format!(
        "excess:category:{}",
        name.to_lowercase()
            .chars()
            .map(|c| if c.is_alphanumeric() { c } else { '-' })
            .collect::<String>()
    )
}

/// Without --excess the search body is exactly what it was before issue 15; with it, the same
/// fields first and then one field of each extra category, never two.
#[test]
fn without_excess_the_search_body_is_unchanged() {
    let fake = FakeHiBob::start(granted(12).with_all_categories());
    let plain = check(&fake, &["--profile", "activtrak", "--format", "json"]);
    assert_eq!(plain.code, 0, "{}", plain.stdout);
    let bodies = search_bodies(&fake);
    assert_eq!(bodies.len(), 1);
    assert_eq!(
        bodies[0],
        json!({
            "fields": ["root.id", "internal.lifecycleStatus", "internal.status", "root.firstName",
                       "root.surname", "work.employeeIdInCompany", "root.email"],
            "showInactive": true,
            "humanReadable": "APPEND"
        })
    );
    let flagged = |fake: &FakeHiBob| {
        fake.requests()
            .iter()
            .filter(|r| {
                r.query
                    .iter()
                    .any(|(k, _)| k == "includePrivate" || k == "includePending")
            })
            .count()
    };
    assert_eq!(flagged(&fake), 0, "no time-off call added without --excess");
    let doc = plain.json();
    assert!(with_code(&doc, "category-not-needed").is_empty());
    assert!(
        !doc["checks"]
            .as_array()
            .expect("checks")
            .iter()
            .any(|c| c["id"].as_str().is_some_and(|id| id.starts_with("excess"))),
        "no excess check without --excess"
    );

    let fake = FakeHiBob::start(granted(12).with_all_categories());
    check(
        &fake,
        &["--profile", "activtrak", "--excess", "--format", "json"],
    );
    let body = &search_bodies(&fake)[0];
    let fields = requested(body);
    let before = requested(&bodies[0]);
    assert_eq!(
        fields[..before.len()],
        before[..],
        "the needed fields come first"
    );
    let categories = category_of_fields();
    let mut per_category: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for f in &fields[before.len()..] {
        per_category
            .entry(categories[f].as_str())
            .or_default()
            .push(f);
    }
    assert_eq!(
        per_category.keys().copied().collect::<BTreeSet<_>>(),
        activtrak_extras().keys().copied().collect::<BTreeSet<_>>()
    );
    for (category, list) in &per_category {
        assert_eq!(
            list.len(),
            1,
            "one field of {category}, never the whole category"
        );
    }
    // A field that is not sensitive where the category has one: nationality, not the birth
    // date; the EEO job category, not the ethnicity.
    assert_eq!(per_category["Personal"], ["personal.nationality"]);
    assert_eq!(per_category["EEO"], ["eeo.jobCategory"]);
    assert_eq!(body["showInactive"], true);
    assert_eq!(body["humanReadable"], "APPEND");
    assert_eq!(
        flagged(&fake),
        2,
        "includePrivate and includePending, once each"
    );
}

/// What is not granted passes, and the table says so; a refused pending-requests call proves
/// the box is off.
#[test]
fn categories_not_granted_pass() {
    let config = granted(12)
        .with_all_categories()
        .without("payroll")
        .without("eeo")
        .without("identification")
        .without_timeoff(TimeoffPerm::Pending);
    let fake = FakeHiBob::start(config);
    let run = check(
        &fake,
        &["--profile", "activtrak", "--excess", "--format", "json"],
    );
    let doc = run.json();
    for name in ["Payroll", "EEO", "Identification"] {
        let c = check_of(&doc, &f_check_id(name));
        assert_eq!(c["status"], "pass", "{name}");
        assert!(c["findings"].as_array().expect("findings").is_empty());
        assert!(
            c["evidence"]
                .as_str()
                .expect("evidence")
                .starts_with("absent for all 12 employees"),
            "{c:#}"
        );
        assert!(
            !with_code(&doc, "category-not-needed")
                .iter()
                .any(|f| f["category"] == name),
            "{name}"
        );
    }
    // Identification has only sensitive fields: the reason says what that means.
    assert!(
        check_of(&doc, "excess:category:identification")["reason"]
            .as_str()
            .expect("reason")
            .contains("sensitive one")
    );
    let pending = check_of(&doc, "excess:timeoff:pending-requests");
    assert_eq!(pending["status"], "pass");
    assert_eq!(pending["evidence"], "HTTP 403");
    let table = check(&fake, &["--profile", "activtrak", "--excess"]);
    assert!(
        table
            .stdout
            .contains("Not granted, as least privilege wants (4): EEO, Identification, Payroll, Pending requests"),
        "{}",
        table.stdout
    );
}

/// `--deny category-not-needed` makes excess fail a CI run, in every format.
#[test]
fn deny_makes_excess_fail_a_ci_run() {
    let fake = FakeHiBob::start(granted(12).with_all_categories());
    let args = [
        "--profile",
        "activtrak",
        "--excess",
        "--deny",
        "category-not-needed",
    ];
    let mut json_args = args.to_vec();
    json_args.extend(["--format", "json"]);
    let json = check(&fake, &json_args);
    assert_eq!(json.code, 1, "{}", json.stdout);
    let doc = json.json();
    assert_eq!(doc["outcome"], "fail");
    assert!(
        with_code(&doc, "category-not-needed")
            .iter()
            .all(|f| f["level"] == "error")
    );
    let mut junit_args = args.to_vec();
    junit_args.extend(["--format", "junit"]);
    let junit = check(&fake, &junit_args);
    assert_eq!(junit.code, 1);
    let xml = roxmltree::Document::parse(&junit.stdout).expect("XML");
    let failed: Vec<&str> = xml
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .filter(|n| n.children().any(|c| c.has_tag_name("failure")))
        .filter_map(|n| n.attribute("name"))
        .collect();
    assert!(
        failed
            .iter()
            .any(|n| n.starts_with("excess:category:payroll")),
        "{failed:?}"
    );
    assert_eq!(failed.len(), 18, "{failed:?}");
    // Without --excess the same flag changes nothing.
    let plain = check(
        &fake,
        &["--profile", "activtrak", "--deny", "category-not-needed"],
    );
    assert_eq!(plain.code, 0, "{}", plain.stdout);
}

const ALLOW_RULES: &str = r#"
[integration]
name = "acme-hris"
title = "Acme HRIS"

[[fields]]
id = "root.email"
purpose = "Work Email"

[[fields]]
id = "work.title"
purpose = "Job title"

[timeoff]
require = ["whos-out"]

[[allow_extra]]
category = "personal"
reason = "Acme's birthday calendar reads it (ticket SEC-12)"

[[allow_extra]]
timeoff = "private-requests"
reason = "Acme shows private absences as 'away'"

[[allow_extra]]
category = "Bands"
reason = "salary bands, granted in 2025"
"#;

/// `[[allow_extra]]`: what the rules accept is suppressed with its reason; an entry that
/// matches nothing is stale, but only with --excess.
#[test]
fn allow_extra_suppresses_with_its_reason() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("acme.toml");
    std::fs::write(&path, ALLOW_RULES).expect("write rules");
    let path = path.to_str().expect("path");
    let fake = FakeHiBob::start(granted(12).with_all_categories());
    let run = check(&fake, &["--rules", path, "--excess", "--format", "json"]);
    let doc = run.json();
    let suppressed = doc["suppressed"].as_array().expect("suppressed");
    let personal = suppressed
        .iter()
        .find(|s| s["category"] == "Personal")
        .expect("Personal suppressed");
    assert_eq!(personal["code"], "category-not-needed");
    assert_eq!(personal["sensitive"], true);
    assert!(
        personal["reason"].as_str().expect("reason").starts_with(
            "Acme's birthday calendar reads it (ticket SEC-12) ([[allow_extra]], rules line"
        ),
        "{personal:#}"
    );
    assert!(
        suppressed
            .iter()
            .any(|s| s["category"] == "Time off" && s["sensitive"] == true)
    );
    assert_eq!(check_of(&doc, "excess:category:personal")["status"], "pass");
    assert!(
        !with_code(&doc, "category-not-needed")
            .iter()
            .any(|f| f["category"] == "Personal")
    );
    // Lifecycle is extra here: these rules check no lifecycle status.
    assert!(
        with_code(&doc, "category-not-needed")
            .iter()
            .any(|f| f["category"] == "Lifecycle")
    );
    let stale = with_code(&doc, "suppression-unused");
    assert_eq!(stale.len(), 1, "{doc:#}");
    assert!(
        stale[0]["message"]
            .as_str()
            .expect("message")
            .contains("Bands")
    );

    let markdown = check(
        &fake,
        &["--rules", path, "--excess", "--format", "markdown"],
    );
    snapshot_settings().bind(|| {
        insta::assert_snapshot!(
            "excess-checklist.markdown",
            stable(&fake, &markdown.stdout).replace(path, "acme.toml")
        );
    });

    let plain = check(&fake, &["--rules", path, "--format", "json"]);
    let doc = plain.json();
    assert!(with_code(&doc, "suppression-unused").is_empty(), "{doc:#}");
    assert!(doc["suppressed"].as_array().expect("suppressed").is_empty());
}

/// No value of an extra field reaches any output or the recording, and a recording made with
/// --excess replays with --excess under any shipped profile.
#[test]
fn no_extra_value_in_any_output_or_recording() {
    let fake = FakeHiBob::start(granted(12).with_all_categories());
    let dir = tempfile::tempdir().expect("tempdir");
    let file = |name: &str| dir.path().join(name).to_str().expect("path").to_string();
    let (recording, markdown, junit, json) = (
        file("audit.recording.json"),
        file("audit.md"),
        file("audit.xml"),
        file("audit.json"),
    );
    let live = check(
        &fake,
        &[
            "--profile",
            "activtrak",
            "--excess",
            "--verbose",
            "--record",
            &recording,
            "--output",
            &format!("markdown={markdown}"),
            "--output",
            &format!("junit={junit}"),
            "--output",
            &format!("json={json}"),
        ],
    );
    // The search asked for every category's field, and the fake filled each with sentinels.
    let body = &search_bodies(&fake)[0];
    let asked = requested(body);
    for (_, _, ids) in MORE_CATEGORIES {
        assert!(
            ids.iter().any(|id| asked.contains(&id.to_string())),
            "{ids:?}"
        );
    }
    let encoded = crate::support::fake_hibob::expected_authorization();
    let encoded = encoded.trim_start_matches("Basic ");
    for path in [&recording, &markdown, &junit, &json] {
        let text = std::fs::read_to_string(path).expect("output");
        for needle in [SENTINEL, ID_PREFIX, TOKEN, encoded] {
            assert!(!text.contains(needle), "{path} holds `{needle}`");
        }
    }
    let text = std::fs::read_to_string(&recording).expect("recording");
    // The extra fields are in the recording as markers only.
    assert!(text.contains("\"nationality\": \"<text>\""), "{text}");

    let replay = |profile: &str| {
        let out = run(
            &[
                "check",
                "--profile",
                profile,
                "--excess",
                "--format",
                "json",
                "--replay",
                &recording,
            ],
            &[],
            "",
        );
        out.assert_no_leak();
        out
    };
    // The replay judges the same categories alike; its evidence may name fewer fields, since
    // a recording asks for what every profile needs.
    let verdicts = |doc: &Value| -> BTreeSet<String> {
        doc["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .map(|f| {
                format!(
                    "{} {} {} {}",
                    f["code"], f["level"], f["category"], f["sensitive"]
                )
            })
            .collect()
    };
    let again = replay("activtrak");
    let live_doc: Value =
        serde_json::from_str(&std::fs::read_to_string(&json).expect("json output")).expect("JSON");
    assert_eq!(verdicts(&again.json()), verdicts(&live_doc));
    assert_eq!(again.code, live.code);
    for profile in ["finch", "truto", "workos"] {
        let doc = replay(profile).json();
        assert!(
            with_code(&doc, "call-not-recorded").is_empty(),
            "{profile}: {doc:#}"
        );
        assert!(
            !with_code(&doc, "category-not-needed").is_empty(),
            "{profile}: {doc:#}"
        );
    }
}

/// A recording made without --excess cannot answer an audit with it: record again.
#[test]
fn replaying_with_excess_needs_a_recording_made_with_it() {
    // A custom category that no shipped profile reads: a recording without --excess never
    // asks for it.
    let mut config = granted(6).with_all_categories();
    let id = "category_1720508362999.field_1720508363000";
    config.fields.push(FieldDef {
        id: id.into(),
        category_id: "category_1720508362999".into(),
        category_name: "T-shirt sizes".into(),
        json_path: id.into(),
    });
    config.readable.insert("category_1720508362999".into());
    for (i, e) in config.employees.iter_mut().enumerate() {
        e.values
            .insert(id.into(), json!(format!("{SENTINEL}-shirt-{i}")));
    }
    let fake = FakeHiBob::start(config);
    let dir = tempfile::tempdir().expect("tempdir");
    let recording = dir.path().join("r.json");
    let recording = recording.to_str().expect("path");
    check(&fake, &["--profile", "activtrak", "--record", recording]);
    let out = run(
        &[
            "check",
            "--profile",
            "activtrak",
            "--excess",
            "--format",
            "json",
            "--replay",
            recording,
        ],
        &[],
        "",
    );
    assert_eq!(out.code, 3, "{}", out.stdout);
    let doc = out.json();
    let missing = with_code(&doc, "call-not-recorded");
    assert!(
        missing
            .iter()
            .any(|f| f["fix"].as_str().is_some_and(|x| x.contains("--excess"))),
        "{doc:#}"
    );
}

/// `--plan --excess` says in words what the search adds (the metadata is not known before the
/// first call) and which calls --excess adds; the body is the plan's without --excess.
#[test]
fn the_plan_says_what_excess_adds() {
    let plan = |extra: &[&str]| {
        let mut args = vec!["check", "--profile", "activtrak", "--plan"];
        args.extend_from_slice(extra);
        let out = run(&args, &[], "");
        assert_eq!(out.code, 0, "{}", out.stderr);
        out
    };
    let text = plan(&["--excess"]).stdout;
    assert!(
        text.contains("one field of every other category in the tenant's metadata"),
        "{text}"
    );
    assert_eq!(
        text.matches("added by --excess").count(),
        2,
        "includePrivate and includePending: {text}"
    );
    let with = plan(&["--excess", "--format", "json"]).json();
    let without = plan(&["--format", "json"]).json();
    let search = |doc: &Value| {
        doc["calls"]
            .as_array()
            .expect("calls")
            .iter()
            .find(|c| c["path"] == "/people/search")
            .map(|c| c["body"].clone())
            .expect("search")
    };
    assert_eq!(search(&with), search(&without));
    for p in hibob_audit::rules::profiles::PROFILES {
        let out = run(
            &[
                "check",
                "--profile",
                p.name,
                "--plan",
                "--excess",
                "--format",
                "json",
            ],
            &[],
            "",
        );
        let calls = out.json()["calls"].as_array().expect("calls").len();
        assert!(calls <= 12, "{}: {calls} calls with --excess", p.name);
    }
}

/// Rules that read no time off get no time-off call from --excess.
#[test]
fn excess_adds_no_time_off_call_to_rules_without_time_off() {
    let fake = FakeHiBob::start(granted(6).with_all_categories());
    let run = check(
        &fake,
        &["--profile", "finch", "--excess", "--format", "json"],
    );
    assert!(
        !fake
            .requests()
            .iter()
            .any(|r| r.path.starts_with("/v1/timeoff")),
        "{}",
        run.stdout
    );
    let doc = run.json();
    assert!(!doc["checks"].as_array().expect("checks").iter().any(|c| {
        c["id"]
            .as_str()
            .is_some_and(|id| id.starts_with("excess:timeoff"))
    }),);
}

/// A category's name comes from HiBob: escaped before it reaches a terminal or a checklist.
#[test]
fn an_extra_categorys_name_cannot_act_on_the_terminal() {
    let evil = "Evil\u{1b}[2J\u{1b}]0;pwned\u{7} bank";
    let config = granted(4).move_field("about.hobbies", "category_9", evil);
    let mut config = config;
    config.readable.insert("category_9".into());
    let fake = FakeHiBob::start(config);
    for format in ["table", "markdown"] {
        let out = check(
            &fake,
            &[
                "--profile",
                "activtrak",
                "--excess",
                "--color",
                "never",
                "--format",
                format,
            ],
        );
        assert!(
            !out.stdout.contains('\u{1b}') && !out.stdout.contains('\u{7}'),
            "{format}: {}",
            out.stdout
        );
        // Shown escaped (Markdown escapes the backslash once more).
        assert!(out.stdout.contains("\\u{1b}"), "{format}: {}", out.stdout);
    }
    let doc = check(
        &fake,
        &["--profile", "activtrak", "--excess", "--format", "json"],
    )
    .json();
    let evil_finding = with_code(&doc, "category-not-needed")
        .into_iter()
        .find(|f| f["category"] == evil)
        .expect("the custom category");
    // "bank" makes a custom category sensitive.
    assert_eq!(evil_finding["sensitive"], true);
    assert_eq!(evil_finding["level"], "warning");
}

/// When the search does not answer, nothing is claimed: one unknown check says why.
#[test]
fn a_refused_search_claims_nothing_about_excess() {
    // The time-off boxes are judged apart: here one is refused, the other proves nothing.
    let config = granted(6)
        .with_all_categories()
        .without_timeoff(TimeoffPerm::Private)
        .without_timeoff(TimeoffPerm::Pending)
        .fault(
            "/people/search",
            Fault::Status(403, r#"{"error":"Forbidden"}"#),
            None,
        );
    let fake = FakeHiBob::start(config);
    let doc = check(
        &fake,
        &["--profile", "activtrak", "--excess", "--format", "json"],
    )
    .json();
    let c = check_of(&doc, "excess");
    assert_eq!(c["status"], "unknown");
    assert_eq!(c["reason"], "the people search was refused");
    assert!(with_code(&doc, "category-not-needed").is_empty());
    assert!(with_code(&doc, "suppression-unused").is_empty());
    assert_eq!(
        check_of(&doc, "excess:timeoff:pending-requests")["status"],
        "pass"
    );
    assert_eq!(
        check_of(&doc, "excess:timeoff:private-requests")["status"],
        "unknown"
    );
    let table = check(&fake, &["--profile", "activtrak", "--excess"]);
    assert!(
        table.stdout.contains("none seen; 2 could not be judged"),
        "{}",
        table.stdout
    );
}
