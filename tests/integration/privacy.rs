//! No secret and no employee value ever leaves the tool (issues 3 and 5): every scenario, every
//! format, with and without --verbose, is scanned for the fake tenant's sentinels, its employee
//! IDs and the token. Strings from HiBob are escaped before they reach a terminal.

use std::time::Duration;

use crate::support::fake_hibob::{Audience, Fault, RefusalStyle, TimeoffPerm, granted};
use crate::support::{Config, FakeHiBob, TOKEN, check, credentials, run};

fn scenarios() -> Vec<(&'static str, Config)> {
    let mut partly = granted(9);
    partly
        .hidden_for
        .insert("work".into(), [1, 2].into_iter().collect());
    let mut unauthorized = granted(9).without_timeoff(TimeoffPerm::Balance);
    unauthorized.refusal = RefusalStyle::Unauthorized;
    vec![
        ("granted", granted(9)),
        ("no basic info", granted(9).without("root")),
        (
            "moved",
            granted(9).move_field(
                "work.employeeIdInCompany",
                "category_1",
                "Employee identifiers",
            ),
        ),
        ("empty field", granted(9).empty_field("root.email")),
        ("partly", partly),
        ("everyone", granted(9).with_audience(Audience::Everyone)),
        ("no lifecycle", granted(9).without("lifecycle")),
        (
            "no time off",
            granted(9)
                .without_timeoff(TimeoffPerm::WhosOut)
                .without_timeoff(TimeoffPerm::Settings),
        ),
        ("unauthorized balance", unauthorized),
        (
            "search forbidden",
            granted(9).fault(
                "/people/search",
                Fault::Status(403, r#"{"error":"SENTINEL"}"#),
                None,
            ),
        ),
        (
            "html",
            granted(9).fault("/people/search", Fault::Html, None),
        ),
        (
            "truncated",
            granted(9).fault("/people/search", Fault::Truncated, None),
        ),
        (
            "server error once",
            granted(9).fault(
                "/timeoff/whosout",
                Fault::Status(502, r#"{"error":"SENTINEL"}"#),
                Some(1),
            ),
        ),
        (
            "slow once",
            granted(9).fault(
                "/company/people/fields",
                Fault::Slow(Duration::from_millis(1500)),
                Some(1),
            ),
        ),
    ]
}

#[test]
fn no_scenario_and_no_format_leaks_a_value_or_the_token() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = |f: &str| dir.path().join(f).display().to_string();
    let (json, markdown, junit) = (file("r.json"), file("r.md"), file("r.xml"));
    for (name, config) in scenarios() {
        let fake = FakeHiBob::start(config);
        for profile in ["activtrak", "truto", "stackone"] {
            // Every format from one run: the table (coloured, with every call on stderr) on
            // stdout, the others in files.
            let outputs = [
                format!("json={json}"),
                format!("markdown={markdown}"),
                format!("junit={junit}"),
            ];
            let mut args = vec![
                "--profile",
                profile,
                "--timeout",
                "1",
                "--verbose",
                "--color",
                "always",
            ];
            for o in &outputs {
                args.extend_from_slice(&["--output", o]);
            }
            // One profile with --excess (issue 15): the extra categories' values must not
            // leak either.
            if profile == "activtrak" {
                args.push("--excess");
            }
            // `check` asserts the absence of sentinels, employee IDs and the token.
            let out = check(&fake, &args);
            assert!(out.code <= 3, "{name}: exit {}", out.code);
            for path in [&json, &markdown, &junit] {
                let text = std::fs::read_to_string(path).expect("an output file");
                for needle in [
                    crate::support::SENTINEL,
                    crate::support::fake_hibob::ID_PREFIX,
                    TOKEN,
                ] {
                    assert!(
                        !text.contains(needle),
                        "{name} {profile}: {path} holds {needle}"
                    );
                }
            }
        }
    }
}

#[test]
fn usage_errors_never_echo_the_token() {
    let mut env = credentials();
    env.push(("NO_COLOR", "1"));
    for args in [
        vec![
            "check",
            "--profile",
            "activtrak",
            "--base-url",
            "http://api.example.com/v1",
        ],
        vec!["check", "--profile", "nope"],
        vec!["check", "--profile", "activtrak", "--base-url", "not a url"],
        vec![
            "check",
            "--profile",
            "activtrak",
            "--token-file",
            "/nonexistent/token",
            "--service-user-id",
            "x",
        ],
    ] {
        let out = run(&args, &env, "");
        assert_eq!(out.code, 2, "{args:?}");
        assert!(
            !out.stdout.contains(TOKEN) && !out.stderr.contains(TOKEN),
            "{args:?}"
        );
    }
}

#[test]
fn strings_from_hibob_cannot_act_on_the_terminal() {
    let config = granted(4)
        .move_field(
            "work.employeeIdInCompany",
            "category_9",
            "Evil\u{1b}[2J\u{1b}]0;pwned\u{7}Name",
        )
        .without("category_9");
    let fake = FakeHiBob::start(config);
    let out = check(&fake, &["--profile", "activtrak", "--color", "never"]);
    assert!(
        !out.stdout.contains('\u{1b}') && !out.stdout.contains('\u{7}'),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("Evil\\u{1b}[2J"), "{}", out.stdout);
    // JSON escapes them as JSON does; the value survives for machines.
    let json = check(&fake, &["--profile", "activtrak", "--format", "json"]);
    assert!(!json.stdout.contains('\u{1b}'));
    assert!(json.stdout.contains("\\u001b[2J"));
}
