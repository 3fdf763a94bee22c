//! Fault injection on the loopback fake: every answer HiBob can give, and some it should not
//! (issue 5). Each fault has its exit code and message.

use std::time::{Duration, Instant};

use crate::support::fake_hibob::{Fault, RefusalStyle, TimeoffPerm, granted};
use crate::support::{FakeHiBob, calls_to, check};

/// The audit in-process, with the real HTTP client against the fake, on a fake clock: retries
/// and waits take no real time, and every wait is kept to be checked.
fn audit_on_a_fake_clock(
    fake: &FakeHiBob,
) -> (hibob_audit::report::Report, Vec<Duration>, Vec<String>) {
    audit_within(fake, hibob_audit::probes::Limits::default())
}

/// [`audit_on_a_fake_clock`] within `limits`: a per-call timeout of a fraction of a second
/// makes a slow answer time out in that fraction (sockets keep real time; retries do not).
fn audit_within(
    fake: &FakeHiBob,
    limits: hibob_audit::probes::Limits,
) -> (hibob_audit::report::Report, Vec<Duration>, Vec<String>) {
    use hibob_audit::client::{http::HttpClient, url::BaseUrl};
    use hibob_audit::credentials::{Credentials, Token};
    use hibob_audit::probes::{Event, Needs, clock::FakeClock};
    use hibob_audit::rules::profiles;
    let creds = Credentials {
        service_user_id: crate::support::SERVICE_USER_ID.into(),
        token: Token::new(crate::support::TOKEN).expect("token"),
    };
    let client = HttpClient::new(BaseUrl::parse(&fake.base_url()).expect("base"), &creds);
    let rules = profiles::load(&profiles::PROFILES[0]).expect("activtrak");
    let clock = FakeClock::new();
    let said = std::sync::Mutex::new(Vec::new());
    let policy = rules.policy();
    let report = hibob_audit::audit::Audit {
        api: &client,
        rules: &rules,
        needs: &Needs::of(&rules),
        policy: &policy,
        limits,
        today: hibob_audit::date::Date::from_ymd(2026, 11, 28),
        clock: &clock,
    }
    .run(&|e| {
        if let Event::Retry { why, .. } = e {
            said.lock().expect("said").push(why.clone());
        }
    });
    (report, clock.waits(), said.into_inner().expect("said"))
}

#[test]
fn a_429_once_is_waited_out_and_retried() {
    let fake = FakeHiBob::start(granted(5).fault(
        "/people/search",
        Fault::RateLimited {
            retry_after: Some(7),
            reset_in: None,
        },
        Some(1),
    ));
    let (report, waits, said) = audit_on_a_fake_clock(&fake);
    assert!(report.complete, "{report:#?}");
    assert_eq!(calls_to(&fake, "/people/search"), 2);
    assert_eq!(
        waits,
        [Duration::from_secs(7)],
        "Retry-After, as HiBob says"
    );
    assert!(said[0].contains("429"), "{said:?}");
}

#[test]
fn a_429_waits_for_the_rate_limit_reset_header() {
    let fake = FakeHiBob::start(granted(5).fault(
        "/company/people/fields",
        Fault::RateLimited {
            retry_after: None,
            reset_in: Some(20),
        },
        Some(1),
    ));
    let (report, waits, _) = audit_on_a_fake_clock(&fake);
    assert!(report.complete);
    assert_eq!(calls_to(&fake, "/company/people/fields"), 2);
    assert_eq!(waits.len(), 1);
    assert!(
        waits[0] > Duration::from_secs(17) && waits[0] <= Duration::from_secs(20),
        "until X-RateLimit-Reset: {waits:?}"
    );
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
    let (report, waits, said) = audit_on_a_fake_clock(&fake);
    assert!(report.complete);
    assert_eq!(calls_to(&fake, "/people/search"), 2);
    assert_eq!(waits.len(), 1);
    assert!(said[0].contains("HiBob answered 500"), "{said:?}");
}

/// A 503 every time: four attempts with exponential backoff and jitter, then the audit is
/// incomplete, and nothing else is called.
#[test]
fn a_503_always_stops_after_four_attempts() {
    let fake = FakeHiBob::start(granted(5).fault(
        "/company/people/fields",
        Fault::Status(503, r#"{"error":"unavailable"}"#),
        None,
    ));
    let (report, waits, _) = audit_on_a_fake_clock(&fake);
    assert!(!report.complete);
    assert_eq!(calls_to(&fake, "/company/people/fields"), 4);
    assert_eq!(fake.requests().len(), 4, "nothing else was called");
    // 400 ms doubled each time, plus up to half of it again.
    assert_eq!(waits.len(), 3, "{waits:?}");
    for (w, base) in waits.iter().zip([400u64, 800, 1600]) {
        let base = Duration::from_millis(base);
        assert!(*w >= base && *w <= base + base / 2, "{w:?} for {base:?}");
    }
    let f = &report.findings[0];
    assert_eq!(f.code.as_str(), "unexpected-response");
    assert!(
        f.message.contains("HTTP 503") && f.message.contains("after 4 attempts"),
        "{}",
        f.message
    );
    assert!(report.headline.is_some(), "the cause leads the report");
}

/// Four attempts made within the deadline: the message says so, and does not blame a deadline
/// that stopped nothing (the wait after the last attempt is never waited anyway).
#[test]
fn the_last_attempt_is_not_blamed_on_the_deadline() {
    let fake = FakeHiBob::start(granted(5).fault(
        "/company/people/fields",
        Fault::Status(503, r#"{"error":"unavailable"}"#),
        None,
    ));
    // The three waits take at most 4.2 s; the fourth, never waited, would pass 5 s.
    let limits = hibob_audit::probes::Limits {
        deadline: Duration::from_secs(5),
        ..hibob_audit::probes::Limits::default()
    };
    let (report, waits, _) = audit_within(&fake, limits);
    assert_eq!(calls_to(&fake, "/company/people/fields"), 4);
    assert_eq!(waits.len(), 3, "{waits:?}");
    let f = &report.findings[0];
    assert!(f.message.contains("after 4 attempts"), "{}", f.message);
    assert!(!f.message.contains("--deadline"), "{}", f.message);
}

/// The binary: a 503 on the metadata call is exit 3 with the cause first.
#[test]
fn a_503_on_the_metadata_call_is_retried_then_leaves_the_audit_incomplete() {
    let fake = FakeHiBob::start(granted(5).fault(
        "/company/people/fields",
        Fault::Status(503, r#"{"error":"unavailable"}"#),
        None,
    ));
    let (report, waits, _) = audit_on_a_fake_clock(&fake);
    assert_eq!(
        report.outcome(),
        hibob_audit::report::Outcome::Incomplete,
        "exit 3"
    );
    assert_eq!(calls_to(&fake, "/company/people/fields"), 4, "4 attempts");
    assert_eq!(waits.len(), 3, "a backoff before each retry: {waits:?}");
}

#[test]
fn a_connection_reset_is_retried() {
    let fake = FakeHiBob::start(granted(5).fault("/company/people/fields", Fault::Reset, Some(1)));
    let (report, waits, _) = audit_on_a_fake_clock(&fake);
    assert!(report.complete, "{report:#?}");
    assert_eq!(calls_to(&fake, "/company/people/fields"), 2);
    assert_eq!(waits.len(), 1);
}

#[test]
fn resets_every_time_are_a_request_failure() {
    let fake = FakeHiBob::start(granted(5).fault("/people/search", Fault::Reset, None));
    let (report, waits, _) = audit_on_a_fake_clock(&fake);
    assert!(!report.complete);
    assert_eq!(calls_to(&fake, "/people/search"), 4);
    assert_eq!(waits.len(), 3);
    assert!(
        report
            .findings
            .iter()
            .any(|f| f.code.as_str() == "request-failed"),
        "{report:#?}"
    );
    // What is known is still reported: the credentials check passed.
    assert_eq!(report.checks[0].status.as_str(), "pass");
}

#[test]
fn an_answer_slower_than_the_timeout_is_retried() {
    let fake = FakeHiBob::start(granted(5).fault(
        "/people/search",
        Fault::Slow(Duration::from_millis(900)),
        Some(1),
    ));
    let (report, _, said) = audit_within(&fake, short_timeout());
    assert!(report.complete, "{report:#?}");
    assert_eq!(calls_to(&fake, "/people/search"), 2);
    assert!(said.iter().any(|s| s.contains("timed out")), "{said:?}");
}

/// A per-call timeout of 200 ms, the rest as by default.
fn short_timeout() -> hibob_audit::probes::Limits {
    hibob_audit::probes::Limits {
        timeout: Duration::from_millis(200),
        ..hibob_audit::probes::Limits::default()
    }
}

#[test]
fn a_body_that_stalls_past_the_timeout_is_retried() {
    let fake = FakeHiBob::start(granted(50).fault(
        "/people/search",
        Fault::StallBody(Duration::from_millis(900)),
        Some(1),
    ));
    let (report, _, said) = audit_within(&fake, short_timeout());
    assert!(report.complete, "{report:#?}");
    assert_eq!(calls_to(&fake, "/people/search"), 2);
    assert!(said.iter().any(|s| s.contains("timed out")), "{said:?}");
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
            "1",
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
fn a_large_answer_is_counted() {
    // Large enough for the two-thread parse (over 4 MiB); speed is the benchmark's business.
    let fake = FakeHiBob::start(granted(12_000));
    let out = check(&fake, &["--profile", "activtrak", "--format", "json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let doc = out.json();
    assert_eq!(doc["summary"]["employees_visible"], 12_000);
    let name = doc["checks"]
        .as_array()
        .expect("c")
        .iter()
        .find(|c| c["id"] == "field:root.firstName")
        .expect("check");
    assert_eq!(name["evidence"], "present for 12000 of 12000 employees");
}
