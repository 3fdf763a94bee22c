//! The comparison of two reports, in-process: hand-written documents in, changes out.

use serde_json::{Value, json};

use super::read::DiffError;
use super::*;

fn check(id: &str, status: &str) -> Value {
    json!({
        "id": id, "status": status, "category": "Basic info", "what": format!("What {id}"),
        "evidence": "", "reason": "", "fix": null, "findings": []
    })
}

fn finding(code: &str, level: &str, category: &str, fields: &[&str]) -> Value {
    json!({
        "code": code, "level": level, "message": format!("{code} in {category}"),
        "fix": "Tick it.", "category": category, "fields": fields,
        "lifecycle_status": null, "endpoint": null, "permission": null, "evidence": {}
    })
}

fn report(profile: &str, checks: Vec<Value>, findings: Vec<Value>) -> Value {
    json!({
        "format_version": "1",
        "tool": { "name": "hibob-audit", "version": "0.1.0" },
        "profile": profile,
        "target": { "base_url": "https://api.hibob.com/v1" },
        "outcome": "fail",
        "summary": {},
        "checks": checks,
        "findings": findings,
        "suppressed": []
    })
}

fn parse(old: &Value, new: &Value) -> Result<(ReportDoc, ReportDoc), DiffError> {
    let (a, b) = (old.to_string(), new.to_string());
    parse_pair(
        Input {
            name: "old.json",
            text: &a,
        },
        Input {
            name: "new.json",
            text: &b,
        },
    )
}

fn diff(old: &Value, new: &Value) -> Comparison {
    let (a, b) = parse(old, new).expect("two reports");
    compare(&a, &b)
}

fn kinds(c: &Comparison) -> Vec<(&str, CheckChangeKind, bool)> {
    c.checks
        .iter()
        .map(|x| (x.id.as_str(), x.change, x.worse))
        .collect()
}

#[test]
fn identical_reports_are_unchanged() {
    let r = report(
        "activtrak",
        vec![check("a", "pass"), check("b", "fail"), check("m", "manual")],
        vec![finding(
            "category-not-readable",
            "error",
            "Work",
            &["work.title"],
        )],
    );
    let c = diff(&r, &r);
    assert!(!c.worse());
    assert_eq!(c.verdict(), Verdict::Unchanged);
    assert_eq!(kinds(&c), [("b", CheckChangeKind::StillFailing, false)]);
    assert!(c.findings.is_empty());
}

#[test]
fn every_status_change_has_its_kind() {
    use CheckChangeKind::*;
    let cases = [
        ("fail", "pass", Some(Fixed), false),
        ("warn", "pass", Some(Fixed), false),
        ("unknown", "pass", Some(Fixed), false),
        ("pass", "fail", Some(New), true),
        ("pass", "warn", Some(New), true),
        ("warn", "fail", Some(New), true),
        ("manual", "fail", Some(New), true),
        ("unknown", "fail", Some(NowKnown), true),
        ("unknown", "warn", Some(NowKnown), true),
        ("fail", "fail", Some(StillFailing), false),
        ("fail", "warn", Some(StillFailing), false),
        ("warn", "warn", Some(StillFailing), false),
        ("pass", "unknown", Some(NowUnknown), true),
        ("fail", "unknown", Some(NowUnknown), false),
        ("unknown", "unknown", Some(StillUnknown), false),
        ("pass", "pass", None, false),
        ("manual", "manual", None, false),
        ("fail", "manual", None, false),
    ];
    for (old, new, kind, worse) in cases {
        let c = diff(
            &report("p", vec![check("x", old)], vec![]),
            &report("p", vec![check("x", new)], vec![]),
        );
        let got = c.checks.first().map(|x| (x.change, x.worse));
        assert_eq!(got, kind.map(|k| (k, worse)), "{old} -> {new}");
        assert_eq!(c.worse(), worse, "{old} -> {new}");
    }
}

#[test]
fn checks_that_appear_or_go_away() {
    let old = report(
        "p",
        vec![check("gone", "fail"), check("kept", "pass")],
        vec![],
    );
    let new = report(
        "p",
        vec![
            check("kept", "pass"),
            check("new-fail", "fail"),
            check("new-pass", "pass"),
        ],
        vec![],
    );
    let c = diff(&old, &new);
    assert_eq!(
        kinds(&c),
        [
            ("new-fail", CheckChangeKind::New, true),
            ("new-pass", CheckChangeKind::Added, false),
            ("gone", CheckChangeKind::Removed, false),
        ]
    );
    assert_eq!(c.checks[2].old, Some(CheckStatus::Fail));
    assert_eq!(c.checks[2].new, None);
}

#[test]
fn groups_follow_the_kind_order_and_report_order_within() {
    let old = report(
        "p",
        vec![
            check("a", "pass"),
            check("b", "fail"),
            check("c", "pass"),
            check("d", "fail"),
        ],
        vec![],
    );
    let new = report(
        "p",
        vec![
            check("a", "fail"),
            check("b", "pass"),
            check("c", "fail"),
            check("d", "pass"),
        ],
        vec![],
    );
    let c = diff(&old, &new);
    let ids: Vec<&str> = c.checks.iter().map(|x| x.id.as_str()).collect();
    assert_eq!(ids, ["b", "d", "a", "c"]);
    assert_eq!(c.summary().fixed, 2);
    assert_eq!(c.summary().new, 2);
    assert_eq!(c.verdict(), Verdict::Worse);
}

#[test]
fn findings_are_matched_by_code_and_subject() {
    let work = finding(
        "category-not-readable",
        "error",
        "Work",
        &["work.title", "work.site"],
    );
    // The same finding with its fields in another order and another message.
    let mut work_again = finding(
        "category-not-readable",
        "error",
        "Work",
        &["work.site", "work.title"],
    );
    work_again["message"] = json!("reworded");
    let basic = finding(
        "category-not-readable",
        "error",
        "Basic info",
        &["root.email"],
    );
    let empty = finding("field-empty", "warning", "Work", &["work.title"]);
    let c = diff(
        &report("p", vec![], vec![work, empty.clone()]),
        &report("p", vec![], vec![work_again, basic]),
    );
    let got: Vec<(FindingChangeKind, &str, Option<&str>, bool)> = c
        .findings
        .iter()
        .map(|f| {
            (
                f.change,
                f.finding.code.as_str(),
                f.finding.category.as_deref(),
                f.worse,
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (
                FindingChangeKind::Appeared,
                "category-not-readable",
                Some("Basic info"),
                true
            ),
            (FindingChangeKind::Gone, "field-empty", Some("Work"), false),
        ]
    );
    assert!(c.worse(), "a new error-level finding is worse");
    assert_eq!(c.summary().errors_appeared, 1);
}

#[test]
fn a_new_warning_is_not_worse_but_a_new_error_level_is() {
    let warn = finding("field-empty", "warning", "Work", &["work.title"]);
    let c = diff(
        &report("p", vec![], vec![]),
        &report("p", vec![], vec![warn.clone()]),
    );
    assert!(!c.worse());
    assert_eq!(c.verdict(), Verdict::NotWorse);

    let mut error = warn.clone();
    error["level"] = json!("error");
    let c = diff(
        &report("p", vec![], vec![warn.clone()]),
        &report("p", vec![], vec![error.clone()]),
    );
    assert_eq!(c.findings[0].change, FindingChangeKind::LevelChanged);
    assert_eq!(c.findings[0].old_level, Some(Level::Warning));
    assert!(c.worse());

    let c = diff(
        &report("p", vec![], vec![error]),
        &report("p", vec![], vec![warn]),
    );
    assert!(!c.worse());
    assert_eq!(c.verdict(), Verdict::Better);
}

#[test]
fn repeated_findings_pair_one_by_one() {
    let f = finding("request-failed", "error", "Work", &[]);
    let c = diff(
        &report("p", vec![], vec![f.clone()]),
        &report("p", vec![], vec![f.clone(), f]),
    );
    assert_eq!(c.summary().findings_appeared, 1);
    assert!(c.worse());
}

#[test]
fn unknown_keys_and_new_codes_are_read() {
    let mut r = report(
        "p",
        vec![check("a", "pass")],
        vec![finding("a-code-from-the-future", "info", "Work", &[])],
    );
    r["something_new"] = json!({"deep": [1, 2, 3]});
    r["checks"][0]["also_new"] = json!(true);
    r["findings"][0]["evidence"]["new_count"] = json!(4);
    let c = diff(&report("p", vec![check("a", "pass")], vec![]), &r);
    assert_eq!(c.findings[0].finding.code, "a-code-from-the-future");
}

#[test]
fn different_profiles_are_refused() {
    let e = parse(
        &report("activtrak", vec![], vec![]),
        &report("truto", vec![], vec![]),
    )
    .expect_err("different rules");
    assert!(matches!(e, DiffError::Profiles { .. }), "{e}");
    let text = e.to_string();
    assert!(
        text.contains("`activtrak`") && text.contains("`truto`"),
        "{text}"
    );
    assert!(
        text.contains("old.json") && text.contains("new.json"),
        "{text}"
    );
}

#[test]
fn format_versions_must_match_and_be_known() {
    let v1 = report("p", vec![], vec![]);
    let mut v2 = v1.clone();
    v2["format_version"] = json!("2");
    let e = parse(&v1, &v2).expect_err("different versions");
    assert!(matches!(e, DiffError::FormatVersions { .. }), "{e}");
    assert!(
        e.to_string().contains("\"1\"") && e.to_string().contains("\"2\""),
        "{e}"
    );
    let e = parse(&v2, &v2).expect_err("unknown version");
    assert!(matches!(e, DiffError::UnsupportedVersion { .. }), "{e}");
    let mut number = v1.clone();
    number["format_version"] = json!(1);
    let e = parse(&number, &v1).expect_err("a number is not the version");
    assert!(matches!(e, DiffError::FormatVersions { .. }), "{e}");
}

#[test]
fn other_documents_are_named() {
    let cases = [
        (
            json!({"format": "hibob-audit-recording", "version": 1}),
            "a recording",
        ),
        (
            json!({"format_version": "1", "kind": "diff"}),
            "a comparison",
        ),
        (json!({"format_version": "1", "calls": []}), "a plan"),
        (json!({"checks": []}), "no `format_version`"),
        (json!({"format_version": "1"}), "no `checks`"),
        (json!([1, 2]), "not a JSON object"),
        (json!("text"), "not a JSON object"),
    ];
    let good = report("p", vec![], vec![]);
    for (doc, needle) in cases {
        let e = parse(&doc, &good).expect_err("not a report");
        assert!(e.to_string().contains(needle), "{needle}: {e}");
        assert!(e.to_string().starts_with("old.json "), "{e}");
    }
}

#[test]
fn broken_json_and_wrong_shapes_are_refused_without_quoting_much() {
    let good = report("p", vec![], vec![]).to_string();
    let ok = Input {
        name: "new.json",
        text: &good,
    };
    for (text, needle) in [
        ("", "ends early"),
        ("{\"format_version\": \"1\",", "ends early"),
        ("not json", "malformed at line 1"),
        ("{} trailing", "malformed"),
    ] {
        let e = parse_pair(
            Input {
                name: "old.json",
                text,
            },
            ok,
        )
        .expect_err("not JSON");
        assert!(matches!(e, DiffError::NotJson { .. }), "{text}: {e}");
        assert!(e.to_string().contains(needle), "{needle}: {e}");
    }
    let mut bad = report("p", vec![check("a", "pass")], vec![]);
    bad["checks"][0]["status"] = json!("x".repeat(10_000));
    let text = bad.to_string();
    let e = parse_pair(
        Input {
            name: "old.json",
            text: &text,
        },
        ok,
    )
    .expect_err("bad status");
    assert!(matches!(e, DiffError::NotAReport { .. }), "{e}");
    assert!(e.to_string().len() < 600, "{e}");
}

#[test]
fn deep_nesting_is_refused_not_a_stack_overflow() {
    let text = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let good = report("p", vec![], vec![]).to_string();
    let e = parse_pair(
        Input {
            name: "old.json",
            text: &text,
        },
        Input {
            name: "new.json",
            text: &good,
        },
    )
    .expect_err("too deep");
    assert!(
        matches!(e, DiffError::NotJson { .. } | DiffError::NotAReport { .. }),
        "{e}"
    );
}
