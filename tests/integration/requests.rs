//! What the tool sends: read-only, the documented search body, Basic auth, --verbose (issue 3).

use serde_json::json;

use crate::support::fake_hibob::{expected_authorization, granted};
use crate::support::{FakeHiBob, TOKEN, check, credentials, run};

#[test]
fn the_calls_follow_the_plan_and_none_is_repeated() {
    let fake = FakeHiBob::start(granted(3));
    let base = fake.base_url();
    let plan = run(
        &[
            "check",
            "--profile",
            "activtrak",
            "--base-url",
            &base,
            "--plan",
            "--format",
            "json",
        ],
        &[],
        "",
    );
    assert_eq!(plan.code, 0, "{}", plan.stderr);
    assert!(fake.requests().is_empty(), "--plan makes no call");
    let planned: Vec<(String, String)> = plan.json()["calls"]
        .as_array()
        .expect("calls")
        .iter()
        .map(|c| {
            (
                c["method"].as_str().unwrap_or("").to_string(),
                c["path"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();

    let out = check(&fake, &["--profile", "activtrak"]);
    assert_eq!(out.code, 0, "{}", out.stdout);
    let seen = fake.requests();
    let made: Vec<(String, String)> = seen
        .iter()
        .map(|r| {
            let path = r.path.trim_start_matches("/v1").to_string();
            let path = if path.ends_with("/balance") {
                "/timeoff/employees/{id}/balance".to_string()
            } else {
                path
            };
            (r.method.clone(), path)
        })
        .collect();
    // The metadata comes first and the balance last; the search runs beside the time-off
    // probes, so the middle may come in any order.
    assert_eq!(made.first(), planned.first());
    assert_eq!(made.last(), planned.last());
    let (mut made_sorted, mut planned_sorted) = (made.clone(), planned.clone());
    made_sorted.sort();
    planned_sorted.sort();
    assert_eq!(made_sorted, planned_sorted);
    assert_eq!(
        planned
            .iter()
            .map(|(m, p)| format!("{m} {p}"))
            .collect::<Vec<_>>(),
        [
            "GET /company/people/fields",
            "POST /people/search",
            "GET /timeoff/policy-types",
            "GET /timeoff/whosout",
            "GET /timeoff/requests/changes",
            "GET /timeoff/employees/{id}/balance",
        ]
    );
    for r in &seen {
        assert_eq!(
            r.authorization.as_deref(),
            Some(expected_authorization().as_str())
        );
        assert_eq!(r.accept.as_deref(), Some("application/json"));
        assert!(
            r.method == "GET" || r.path == "/v1/people/search",
            "read-only: {} {}",
            r.method,
            r.path
        );
    }
    assert_eq!(seen[0].content_type, None, "no Content-Type without a body");
    let search = seen
        .iter()
        .find(|r| r.path == "/v1/people/search")
        .expect("the search");
    assert_eq!(search.content_type.as_deref(), Some("application/json"));
    let body = search.body.clone().expect("search body");
    assert_eq!(
        body,
        json!({
            "fields": ["root.id", "internal.lifecycleStatus", "internal.status", "root.firstName", "root.surname",
                       "work.employeeIdInCompany", "root.email"],
            "showInactive": true,
            "humanReadable": "APPEND"
        })
    );
    assert!(body.get("filters").is_none());
}

#[test]
fn shipped_profiles_stay_under_ten_calls_and_never_repeat_one() {
    for profile in ["activtrak", "truto"] {
        let fake = FakeHiBob::start(granted(6));
        let out = check(&fake, &["--profile", profile]);
        assert_eq!(out.code, 0, "{profile}: {}", out.stdout);
        let seen = fake.requests();
        assert!(seen.len() < 10, "{profile}: {} calls", seen.len());
        let mut keys: Vec<String> = seen
            .iter()
            .map(|r| format!("{} {} {:?}", r.method, r.path, r.query))
            .collect();
        keys.sort();
        let n = keys.len();
        keys.dedup();
        assert_eq!(keys.len(), n, "{profile}: a call was repeated");
    }
}

#[test]
fn verbose_logs_each_call_without_secrets() {
    let fake = FakeHiBob::start(granted(3));
    let out = check(&fake, &["--profile", "activtrak", "--verbose"]);
    // Each of the six calls: a line when it starts, and one when it ends.
    let starts: Vec<&str> = out.stderr.lines().filter(|l| l.ends_with(" ...")).collect();
    let ends: Vec<&str> = out.stderr.lines().filter(|l| l.contains(" -> ")).collect();
    assert_eq!((starts.len(), ends.len()), (6, 6), "{}", out.stderr);
    assert_eq!(starts[0], "hibob-audit: GET /company/people/fields ...");
    assert!(ends[0].contains("GET /company/people/fields -> 200 in ") && ends[0].contains(" ms"));
    assert!(ends[0].ends_with(" bytes read)"), "{}", ends[0]);
    assert!(
        ends.iter()
            .any(|l| l.contains("POST /people/search -> 200 in "))
    );
    assert!(
        ends[5].contains("GET /timeoff/employees/{id}/balance -> 200"),
        "{}",
        ends[5]
    );
    assert!(!out.stderr.contains(TOKEN));
}

#[test]
fn token_from_stdin_is_trimmed() {
    let fake = FakeHiBob::start(granted(3));
    let base = fake.base_url();
    let out = run(
        &[
            "check",
            "--profile",
            "activtrak",
            "--base-url",
            &base,
            "--service-user-id",
            "SERVICE-USER-7f3a",
            "--token-stdin",
        ],
        &[],
        &format!("  {TOKEN}\n"),
    );
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    out.assert_no_leak();
}

#[test]
fn a_token_file_readable_by_others_gets_a_warning() {
    let fake = FakeHiBob::start(granted(3));
    let dir = tempfile::tempdir().expect("tempdir");
    let path = crate::support::token_file(&dir, TOKEN, 0o644);
    let base = fake.base_url();
    let out = run(
        &[
            "check",
            "--profile",
            "activtrak",
            "--base-url",
            &base,
            "--service-user-id",
            "SERVICE-USER-7f3a",
            "--token-file",
            path.to_str().expect("path"),
        ],
        &[],
        "",
    );
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    if cfg!(unix) {
        assert!(
            out.stderr.contains("can be read by group or others"),
            "{}",
            out.stderr
        );
    }
    out.assert_no_leak();
}

#[test]
fn color_follows_the_flags() {
    let fake = FakeHiBob::start(granted(3));
    let plain = check(&fake, &["--profile", "activtrak"]);
    assert!(
        !plain.stdout.contains('\u{1b}'),
        "no colour when stdout is not a terminal"
    );
    let always = check(&fake, &["--profile", "activtrak", "--color", "always"]);
    assert!(always.stdout.contains('\u{1b}'));
    let json = check(
        &fake,
        &[
            "--profile",
            "activtrak",
            "--color",
            "always",
            "--format",
            "json",
        ],
    );
    assert!(!json.stdout.contains('\u{1b}'), "JSON is never coloured");
    let base = fake.base_url();
    let mut env = credentials();
    env.push(("NO_COLOR", "1"));
    let no_color = run(
        &[
            "check",
            "--profile",
            "activtrak",
            "--base-url",
            &base,
            "--color",
            "auto",
        ],
        &env,
        "",
    );
    assert!(!no_color.stdout.contains('\u{1b}'));
}
