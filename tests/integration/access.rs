//! Credentials, refusals and answers the audit cannot use (issue 3).

use crate::support::fake_hibob::{Audience, Fault, granted};
use crate::support::{FakeHiBob, calls_to, check, credentials, run, snapshot_both, with_code};

#[test]
fn rejected_credentials_stop_probing_and_exit_3() {
    let fake = FakeHiBob::start(granted(5));
    let base = fake.base_url();
    let out = run(
        &[
            "check",
            "--profile",
            "activtrak",
            "--base-url",
            &base,
            "--format",
            "json",
        ],
        &[
            ("HIBOB_SERVICE_USER_ID", "wrong-id"),
            ("HIBOB_SERVICE_USER_TOKEN", "wrong-token"),
        ],
        "",
    );
    assert_eq!(out.code, 3, "{}{}", out.stdout, out.stderr);
    let doc = out.json();
    assert_eq!(doc["outcome"], "incomplete");
    assert_eq!(doc["findings"][0]["code"], "credentials-rejected");
    assert_eq!(doc["findings"][0]["endpoint"], "GET /company/people/fields");
    assert!(!out.stdout.contains("wrong-token") && !out.stderr.contains("wrong-token"));
    // One 401 and nothing after it: HiBob blocks callers after repeated 401s.
    assert_eq!(fake.requests().len(), 1);
}

#[test]
fn rejected_credentials_snapshot() {
    let fake = FakeHiBob::start(granted(5));
    let mut calls = 0;
    // Same scenario through the snapshot helper: wrong token via a token file.
    let dir = tempfile::tempdir().expect("tempdir");
    let token = crate::support::token_file(&dir, "not-the-token\n", 0o600);
    let base = fake.base_url();
    for format in ["table", "json"] {
        let out = run(
            &[
                "check",
                "--profile",
                "activtrak",
                "--base-url",
                &base,
                "--format",
                format,
                "--service-user-id",
                "SERVICE-USER-7f3a",
                "--token-file",
                token.to_str().expect("path"),
            ],
            &[],
            "",
        );
        assert_eq!(out.code, 3);
        assert!(
            out.stderr.is_empty(),
            "no permission warning for a 0600 file: {}",
            out.stderr
        );
        calls += 1;
        crate::support::snapshot_settings().bind(|| {
            insta::assert_snapshot!(
                format!("credentials-rejected.{format}"),
                crate::support::stable(&fake, &out.stdout)
            );
        });
    }
    assert_eq!(fake.requests().len(), calls);
}

#[test]
fn a_forbidden_search_is_a_complete_audit_that_fails() {
    let mut config = granted(5);
    config.search_fault = Fault::Status(403, r#"{"error":"Forbidden"}"#);
    let fake = FakeHiBob::start(config);
    let (table, json) = snapshot_both("search-forbidden", &fake, &["--profile", "activtrak"]);
    assert_eq!(table.code, 1);
    let doc = json.json();
    assert_eq!(doc["outcome"], "fail");
    assert_eq!(doc["findings"][0]["code"], "endpoint-forbidden");
    assert_eq!(doc["findings"][0]["endpoint"], "POST /people/search");
    assert!(table.stdout.contains("permission group"));
}

#[test]
fn a_permission_401_on_search_is_a_refusal_not_bad_credentials() {
    let mut config = granted(5);
    config.search_fault =
        Fault::Status(401, r#"{"errorMessage":"No permissions to search people"}"#);
    let fake = FakeHiBob::start(config);
    let out = check(&fake, &["--profile", "activtrak", "--format", "json"]);
    assert_eq!(out.code, 1);
    let doc = out.json();
    assert_eq!(doc["findings"][0]["code"], "endpoint-forbidden");
    assert!(
        doc["findings"]
            .as_array()
            .expect("array")
            .iter()
            .all(|f| f["code"] != "credentials-rejected")
    );
}

#[test]
fn nobody_visible_is_an_error() {
    let mut config = granted(6);
    config.audience = Audience::Statuses(Default::default());
    let fake = FakeHiBob::start(config);
    let (table, json) = snapshot_both("no-employees-visible", &fake, &["--profile", "activtrak"]);
    assert_eq!(table.code, 1);
    let doc = json.json();
    assert_eq!(doc["findings"][0]["code"], "no-employees-visible");
    let statuses: Vec<&str> = doc["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .filter(|c| c["id"].as_str().is_some_and(|id| id.starts_with("field:")))
        .filter_map(|c| c["status"].as_str())
        .collect();
    assert!(statuses.iter().all(|s| *s == "unknown"), "{statuses:?}");
}

/// hibob-api.md: "With no readable category at all the answer is 200 with no data." An empty
/// body is that answer, not truncated JSON: nobody visible (exit 1), never exit 3.
#[test]
fn a_search_answered_with_no_data_at_all_is_nobody_visible() {
    let mut config = granted(6);
    config.readable.clear();
    config.no_data_when_nothing_readable = true;
    let fake = FakeHiBob::start(config);
    let out = check(&fake, &["--profile", "activtrak", "--format", "json"]);
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    let doc = out.json();
    assert_eq!(doc["outcome"], "fail");
    assert_eq!(doc["summary"]["employees_visible"], 0);
    assert_eq!(doc["findings"][0]["code"], "no-employees-visible");
    assert!(with_code(&doc, "unexpected-response").is_empty(), "{doc:#}");
    assert!(!out.stdout.contains("truncated"), "{}", out.stdout);
    // Whitespace alone is no data either; the search is not retried.
    let mut config = granted(6);
    config.search_fault = Fault::Status(200, " \r\n");
    let fake = FakeHiBob::start(config);
    let out = check(&fake, &["--profile", "activtrak", "--format", "json"]);
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert_eq!(out.json()["findings"][0]["code"], "no-employees-visible");
    assert_eq!(crate::support::calls_to(&fake, "/people/search"), 1);
}

/// A per-employee probe that cannot run says why: employees came back without IDs, or the
/// search was refused; never "no visible employee" when that is not what happened.
#[test]
fn a_probe_without_an_employee_says_why() {
    let reason = |config| {
        let fake = FakeHiBob::start(config);
        let out = check(&fake, &["--profile", "activtrak", "--format", "json"]);
        let doc = out.json();
        let c = crate::support::check_of(&doc, "timeoff:balance");
        assert_eq!(c["status"], "unknown", "{c:#}");
        assert_eq!(calls_to(&fake, "/timeoff/employees/{id}/balance"), 0);
        c["reason"].as_str().expect("reason").to_string()
    };
    let mut config = granted(5);
    config.omit_ids = true;
    let r = reason(config);
    assert!(
        r.contains("no employee ID came back with the 5 visible employees"),
        "{r}"
    );
    let mut config = granted(5);
    config.search_fault = Fault::Status(403, r#"{"error":"Forbidden"}"#);
    let r = reason(config);
    assert!(r.contains("the people search was refused"), "{r}");
    let mut config = granted(5);
    config.search_fault = Fault::Status(400, r#"{"error":"bad"}"#);
    let r = reason(config);
    assert!(r.contains("could not be completed"), "{r}");
}

#[test]
fn an_html_login_page_is_not_json_and_exits_3() {
    let mut config = granted(5);
    config.metadata_fault = Fault::Html;
    let fake = FakeHiBob::start(config);
    let (table, json) = snapshot_both("html-login-page", &fake, &["--profile", "activtrak"]);
    assert_eq!(table.code, 3);
    let doc = json.json();
    assert_eq!(doc["outcome"], "incomplete");
    assert_eq!(doc["findings"][0]["code"], "unexpected-response");
    let message = doc["findings"][0]["message"].as_str().expect("message");
    assert!(message.contains("text/html"), "{message}");
    // Each run (table, then JSON) made the metadata call only.
    let paths: Vec<String> = fake.requests().iter().map(|r| r.path.clone()).collect();
    assert_eq!(
        paths,
        ["/v1/company/people/fields", "/v1/company/people/fields"]
    );
}

#[test]
fn a_truncated_search_answer_exits_3_with_what_is_known() {
    let mut config = granted(5);
    config.search_fault = Fault::Truncated;
    let fake = FakeHiBob::start(config);
    let out = check(&fake, &["--profile", "activtrak", "--format", "json"]);
    assert_eq!(out.code, 3);
    let doc = out.json();
    assert_eq!(doc["outcome"], "incomplete");
    assert_eq!(doc["findings"][0]["code"], "unexpected-response");
    assert!(
        doc["findings"][0]["message"]
            .as_str()
            .expect("msg")
            .contains("truncated")
    );
    // The metadata part is still reported.
    assert_eq!(doc["checks"][0]["id"], "credentials");
    assert_eq!(doc["checks"][0]["status"], "pass");
}

#[test]
fn a_server_error_exits_3() {
    let mut config = granted(5);
    config.search_fault = Fault::Status(500, r#"{"error":"boom"}"#);
    let fake = FakeHiBob::start(config);
    // A deadline that leaves no time for a second attempt: the retries are tested in-process.
    let out = check(
        &fake,
        &[
            "--profile",
            "activtrak",
            "--format",
            "json",
            "--deadline",
            "1",
        ],
    );
    assert_eq!(out.code, 3);
    assert_eq!(out.json()["findings"][0]["code"], "unexpected-response");
}

#[test]
fn nothing_listening_exits_3_with_request_failed() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        l.local_addr().expect("addr").port()
    };
    let base = format!("http://127.0.0.1:{port}/v1");
    let out = run(
        &[
            "check",
            "--profile",
            "truto",
            "--base-url",
            &base,
            "--format",
            "json",
            "--deadline",
            "1",
        ],
        &credentials(),
        "",
    );
    assert_eq!(out.code, 3, "{}{}", out.stdout, out.stderr);
    let doc = out.json();
    assert_eq!(doc["outcome"], "incomplete");
    assert_eq!(doc["findings"][0]["code"], "request-failed");
}
