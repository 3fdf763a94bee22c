//! Fault injection on the loopback fake: every answer HiBob can give, and some it should not
//! (issue 5). Each fault has its exit code and message.

use std::time::{Duration, Instant};

use crate::support::fake_hibob::{Fault, RefusalStyle, TimeoffPerm, granted};
use crate::support::{FakeHiBob, calls_to, check};

#[test]
fn a_429_once_is_waited_out_and_retried() {
    let fake = FakeHiBob::start(granted(5).fault(
        "/people/search",
        Fault::RateLimited {
            retry_after: Some(1),
            reset_in: None,
        },
        Some(1),
    ));
    let out = check(&fake, &["--profile", "activtrak", "--format", "json"]);
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    assert_eq!(calls_to(&fake, "/people/search"), 2);
    assert!(
        out.stderr.contains("429") && out.stderr.contains("waiting 1.0 s"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_429_waits_for_the_rate_limit_reset_header() {
    let fake = FakeHiBob::start(granted(5).fault(
        "/company/people/fields",
        Fault::RateLimited {
            retry_after: None,
            reset_in: Some(1),
        },
        Some(1),
    ));
    let out = check(&fake, &["--profile", "activtrak"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(calls_to(&fake, "/company/people/fields"), 2);
    assert!(out.stderr.contains("waiting"), "{}", out.stderr);
}

#[test]
fn a_429_longer_than_the_deadline_gives_up_at_once() {
    let fake = FakeHiBob::start(granted(5).fault(
        "/company/people/fields",
        Fault::RateLimited {
            retry_after: Some(50),
            reset_in: None,
        },
        None,
    ));
    let started = Instant::now();
    let out = check(
        &fake,
        &[
            "--profile",
            "activtrak",
            "--format",
            "json",
            "--deadline",
            "3",
        ],
    );
    assert_eq!(out.code, 3);
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "the deadline bounds the run"
    );
    let doc = out.json();
    assert_eq!(doc["outcome"], "incomplete");
    let message = doc["findings"][0]["message"].as_str().expect("message");
    assert!(
        message.contains("429") && message.contains("--deadline"),
        "{message}"
    );
}

#[test]
fn a_500_once_is_retried() {
    let fake = FakeHiBob::start(granted(5).fault(
        "/people/search",
        Fault::Status(500, r#"{"error":"oops"}"#),
        Some(1),
    ));
    let out = check(&fake, &["--profile", "activtrak"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(calls_to(&fake, "/people/search"), 2);
    assert!(out.stderr.contains("HiBob answered 500"), "{}", out.stderr);
}

#[test]
fn a_503_always_stops_after_four_attempts_and_exits_3() {
    let fake = FakeHiBob::start(granted(5).fault(
        "/company/people/fields",
        Fault::Status(503, r#"{"error":"unavailable"}"#),
        None,
    ));
    let out = check(&fake, &["--profile", "activtrak", "--format", "json"]);
    assert_eq!(out.code, 3);
    assert_eq!(calls_to(&fake, "/company/people/fields"), 4);
    assert_eq!(fake.requests().len(), 4, "nothing else was called");
    let doc = out.json();
    assert_eq!(doc["outcome"], "incomplete");
    assert_eq!(doc["findings"][0]["code"], "unexpected-response");
    let message = doc["findings"][0]["message"].as_str().expect("message");
    assert!(
        message.contains("HTTP 503") && message.contains("after 4 attempts"),
        "{message}"
    );
}

#[test]
fn a_connection_reset_is_retried() {
    let fake = FakeHiBob::start(granted(5).fault("/company/people/fields", Fault::Reset, Some(1)));
    let out = check(&fake, &["--profile", "activtrak"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(calls_to(&fake, "/company/people/fields"), 2);
}

#[test]
fn resets_every_time_exit_3_with_request_failed() {
    let fake = FakeHiBob::start(granted(5).fault("/people/search", Fault::Reset, None));
    let out = check(&fake, &["--profile", "activtrak", "--format", "json"]);
    assert_eq!(out.code, 3);
    assert_eq!(calls_to(&fake, "/people/search"), 4);
    let doc = out.json();
    assert_eq!(doc["outcome"], "incomplete");
    let codes: Vec<&str> = doc["findings"]
        .as_array()
        .expect("f")
        .iter()
        .filter_map(|f| f["code"].as_str())
        .collect();
    assert!(codes.contains(&"request-failed"), "{codes:?}");
    // What is known is still reported: the credentials check passed.
    assert_eq!(doc["checks"][0]["status"], "pass");
}

#[test]
fn an_answer_slower_than_the_timeout_is_retried() {
    let fake = FakeHiBob::start(granted(5).fault(
        "/people/search",
        Fault::Slow(Duration::from_secs(3)),
        Some(1),
    ));
    let out = check(&fake, &["--profile", "activtrak", "--timeout", "1"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(calls_to(&fake, "/people/search"), 2);
    assert!(out.stderr.contains("timed out"), "{}", out.stderr);
}

#[test]
fn a_body_that_stalls_past_the_timeout_is_retried() {
    let fake = FakeHiBob::start(granted(50).fault(
        "/people/search",
        Fault::StallBody(Duration::from_secs(4)),
        Some(1),
    ));
    let out = check(
        &fake,
        &[
            "--profile",
            "activtrak",
            "--timeout",
            "1",
            "--format",
            "json",
        ],
    );
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    assert_eq!(calls_to(&fake, "/people/search"), 2);
}

#[test]
fn the_deadline_bounds_the_whole_audit() {
    let fake = FakeHiBob::start(granted(5).fault(
        "/people/search",
        Fault::Slow(Duration::from_secs(4)),
        None,
    ));
    let started = Instant::now();
    let out = check(
        &fake,
        &[
            "--profile",
            "activtrak",
            "--timeout",
            "10",
            "--deadline",
            "2",
            "--format",
            "json",
        ],
    );
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "ran past the deadline"
    );
    assert_eq!(out.code, 3);
    let doc = out.json();
    assert_eq!(doc["outcome"], "incomplete");
    assert!(
        doc["findings"]
            .as_array()
            .expect("f")
            .iter()
            .any(|f| f["code"] == "request-failed")
    );
}

#[test]
fn a_401_with_an_empty_body_on_metadata_is_bad_credentials() {
    let fake =
        FakeHiBob::start(granted(5).fault("/company/people/fields", Fault::Status(401, ""), None));
    let out = check(&fake, &["--profile", "activtrak", "--format", "json"]);
    assert_eq!(out.code, 3);
    assert_eq!(out.json()["findings"][0]["code"], "credentials-rejected");
    assert_eq!(
        fake.requests().len(),
        1,
        "a 401 is never retried, and probing stops"
    );
}

#[test]
fn a_permission_401_on_time_off_is_never_retried() {
    let mut config = granted(5).without_timeoff(TimeoffPerm::Balance);
    config.refusal = RefusalStyle::Unauthorized;
    let fake = FakeHiBob::start(config);
    let out = check(&fake, &["--profile", "activtrak", "--format", "json"]);
    assert_eq!(out.code, 1);
    let balance_calls = fake
        .requests()
        .iter()
        .filter(|r| r.path.ends_with("/balance"))
        .count();
    assert_eq!(balance_calls, 1);
    let message = out.json()["findings"][0]["message"]
        .as_str()
        .expect("m")
        .to_string();
    assert!(
        message.contains("HTTP 401") && message.contains("See selected people's time off"),
        "{message}"
    );
}

#[test]
fn a_truncated_metadata_answer_exits_3() {
    let fake = FakeHiBob::start(granted(5).fault("/company/people/fields", Fault::Truncated, None));
    let out = check(&fake, &["--profile", "truto", "--format", "json"]);
    assert_eq!(out.code, 3);
    let message = out.json()["findings"][0]["message"]
        .as_str()
        .expect("m")
        .to_string();
    assert!(
        message.contains("truncated") && message.contains("GET /company/people/fields"),
        "{message}"
    );
    assert_eq!(
        calls_to(&fake, "/company/people/fields"),
        1,
        "malformed JSON is not retried"
    );
}

#[test]
fn a_200_html_page_on_time_off_exits_3() {
    let fake = FakeHiBob::start(granted(5).fault("/timeoff/whosout", Fault::Html, None));
    let out = check(&fake, &["--profile", "activtrak", "--format", "json"]);
    assert_eq!(out.code, 3);
    let doc = out.json();
    assert_eq!(doc["outcome"], "incomplete");
    let f = doc["findings"]
        .as_array()
        .expect("f")
        .iter()
        .find(|f| f["code"] == "unexpected-response")
        .expect("finding");
    assert_eq!(f["endpoint"], "GET /timeoff/whosout");
    assert!(f["message"].as_str().expect("m").contains("text/html"));
}

#[test]
fn a_50000_employee_answer_is_counted() {
    let fake = FakeHiBob::start(granted(50_000));
    let out = check(&fake, &["--profile", "activtrak", "--format", "json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let doc = out.json();
    assert_eq!(doc["summary"]["employees_visible"], 50_000);
    let name = doc["checks"]
        .as_array()
        .expect("c")
        .iter()
        .find(|c| c["id"] == "field:root.firstName")
        .expect("check");
    assert_eq!(name["evidence"], "present for 50000 of 50000 employees");
}
