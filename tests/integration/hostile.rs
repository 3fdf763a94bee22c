//! Hostile input (issue 13): answers that never end or inflate to gigabytes, crafted recordings,
//! outputs interrupted or given twice, bad certificates, names that do not resolve, credentials
//! that cannot be right. Each case has its exit code and message; the memory cases also a bound
//! on the child's peak resident memory, measured by the kernel.

use crate::support::fake_hibob::{Fault, granted};
use crate::support::{FakeHiBob, assert_peak_below, credentials, run_measured};

const MIB: u64 = 1 << 20;

/// `check` against the fake, measured; JSON on stdout.
fn measured_check(fake: &FakeHiBob, extra: &[&str]) -> crate::support::Measured {
    let base = fake.base_url();
    let mut args = vec!["check", "--base-url", base.as_str(), "--format", "json"];
    args.extend_from_slice(extra);
    let m = run_measured(&args, &credentials());
    m.run.assert_no_leak();
    m
}

/// The one `unexpected-response` finding of an incomplete JSON report, for `endpoint`.
fn too_large_message(run: &crate::support::Run, endpoint: &str) -> String {
    assert_eq!(run.code, 3, "{}\n{}", run.stdout, run.stderr);
    let doc = run.json();
    assert_eq!(doc["outcome"], "incomplete");
    let f = doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["endpoint"] == endpoint)
        .unwrap_or_else(|| panic!("no finding for {endpoint}: {doc:#}"));
    assert_eq!(f["code"], "unexpected-response");
    assert!(
        f["fix"]
            .as_str()
            .expect("fix")
            .contains("--max-answer-size"),
        "{f:#}"
    );
    f["message"].as_str().expect("message").to_string()
}

fn calls_to(fake: &FakeHiBob, path: &str) -> usize {
    fake.requests()
        .iter()
        .filter(|r| r.path == format!("/v1{path}"))
        .count()
}

#[test]
fn a_4_mb_gzip_bomb_on_the_people_search_stops_at_the_limit() {
    // 4,096 MiB of blanks inflate from about 4 MB of gzip.
    let fake = FakeHiBob::start(granted(5).fault(
        "/people/search",
        Fault::GzipBomb(r#"{"employees":["#, 4096),
        None,
    ));
    let m = measured_check(
        &fake,
        &[
            "--profile",
            "activtrak",
            "--max-answer-size",
            "people=64MiB",
        ],
    );
    let message = too_large_message(&m.run, "POST /people/search");
    assert!(
        message.contains("larger than the limit of 64 MiB")
            && message.contains(&format!("stopped after reading {} bytes", 64 * MIB + 1))
            && message.contains("--max-answer-size people=SIZE"),
        "{message}"
    );
    assert_eq!(calls_to(&fake, "/people/search"), 1, "never retried");
    assert_peak_below(&m, 2 * 64 * MIB, "gzip bomb on the people search");
}

#[test]
fn a_gzip_bomb_on_the_metadata_stops_at_its_default_limit() {
    let fake = FakeHiBob::start(granted(5).fault(
        "/company/people/fields",
        Fault::GzipBomb("[", 4096),
        None,
    ));
    let m = measured_check(&fake, &["--profile", "activtrak"]);
    let message = too_large_message(&m.run, "GET /company/people/fields");
    assert!(
        message.contains("larger than the limit of 32 MiB")
            && message.contains("--max-answer-size metadata=SIZE"),
        "{message}"
    );
    assert_eq!(fake.requests().len(), 1, "probing stopped");
    assert_peak_below(&m, 2 * 32 * MIB, "gzip bomb on the metadata");
}

#[test]
fn an_endless_chunked_body_stops_at_the_limit_and_says_what_was_read() {
    // 2 GB on offer; the client must hang up at 64 MiB.
    let fake = FakeHiBob::start(granted(5).fault(
        "/people/search",
        Fault::Endless(r#"{"employees":["#, 2_000_000_000),
        None,
    ));
    let m = measured_check(
        &fake,
        &["--profile", "activtrak", "--max-answer-size", "64MiB"],
    );
    let message = too_large_message(&m.run, "POST /people/search");
    assert!(
        message.contains("larger than the limit of 64 MiB")
            && message.contains(&format!("stopped after reading {} bytes", 64 * MIB + 1)),
        "{message}"
    );
    assert_peak_below(&m, 2 * 64 * MIB, "endless body on the people search");
}

#[test]
fn an_endless_metadata_body_stops_at_its_limit() {
    let fake = FakeHiBob::start(granted(5).fault(
        "/company/people/fields",
        Fault::Endless("[", 2_000_000_000),
        None,
    ));
    let m = measured_check(
        &fake,
        &[
            "--profile",
            "activtrak",
            "--max-answer-size",
            "metadata=8MiB",
        ],
    );
    let message = too_large_message(&m.run, "GET /company/people/fields");
    assert!(message.contains("limit of 8 MiB"), "{message}");
    assert_peak_below(&m, 2 * 32 * MIB, "endless body on the metadata");
}

#[test]
fn an_answer_within_a_raised_limit_is_read() {
    let fake = FakeHiBob::start(granted(5).fault(
        "/people/search",
        Fault::GzipBomb(r#"{"employees":[{"id":"1"}]"#, 3),
        None,
    ));
    let m = measured_check(
        &fake,
        &["--profile", "activtrak", "--max-answer-size", "people=4MiB"],
    );
    // Read to the end: the answer is JSON with 3 MiB of blanks and lacks its closing brace.
    let doc = m.run.json();
    let f = &doc["findings"][0];
    assert!(
        f["message"].as_str().expect("m").contains("truncated"),
        "{doc:#}"
    );
}

#[test]
fn bad_sizes_are_usage_errors() {
    for bad in [
        "64",
        "people=",
        "payroll=1GiB",
        "12 parsecs",
        "99999999999TiB",
    ] {
        let out = crate::support::run(
            &[
                "check",
                "--profile",
                "activtrak",
                "--max-answer-size",
                bad,
                "--plan",
            ],
            &[],
            "",
        );
        assert_eq!(out.code, 2, "{bad}: {}", out.stderr);
        assert!(out.stderr.contains("--max-answer-size"), "{}", out.stderr);
    }
}
