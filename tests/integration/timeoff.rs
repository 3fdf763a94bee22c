//! Time-off permissions against the fake (issue 4).

use crate::support::fake_hibob::{RefusalStyle, TimeoffPerm, granted};
use crate::support::{FakeHiBob, check, check_of, snapshot_both, with_code};

#[test]
fn without_see_whos_out_every_reader_of_it_fails_in_hibobs_words() {
    let fake = FakeHiBob::start(granted(8).without_timeoff(TimeoffPerm::WhosOut));
    let (table, json) = snapshot_both("timeoff-no-whos-out", &fake, &["--profile", "truto"]);
    assert_eq!(table.code, 1);
    let doc = json.json();
    let missing = with_code(&doc, "timeoff-permission-missing");
    let endpoints: Vec<&str> = missing
        .iter()
        .filter_map(|f| f["endpoint"].as_str())
        .collect();
    assert!(endpoints.contains(&"GET /timeoff/whosout"), "{endpoints:?}");
    assert!(endpoints.contains(&"GET /timeoff/outtoday"));
    assert!(endpoints.contains(&"GET /timeoff/requests/changes"));
    for f in &missing {
        assert_eq!(
            f["permission"],
            "People's data > Time off > See who's out today > \"See who's out\""
        );
    }
    for id in ["timeoff:whos-out", "timeoff:out-today", "timeoff:requests"] {
        assert_eq!(check_of(&doc, id)["status"], "fail", "{id}");
    }
    // With the default call refused, private and pending cannot be compared: unknown, never pass.
    assert_eq!(
        check_of(&doc, "timeoff:private-requests")["status"],
        "unknown"
    );
}

#[test]
fn a_missing_balance_permission_is_named() {
    let fake = FakeHiBob::start(granted(8).without_timeoff(TimeoffPerm::Balance));
    let out = check(&fake, &["--profile", "activtrak", "--format", "json"]);
    assert_eq!(out.code, 1);
    let doc = out.json();
    let missing = with_code(&doc, "timeoff-permission-missing");
    assert_eq!(missing.len(), 1);
    assert_eq!(
        missing[0]["endpoint"],
        "GET /timeoff/employees/{id}/balance"
    );
    assert_eq!(
        missing[0]["permission"],
        "People's data > Time off > Balance > \"See selected people's time off and sick leave balances\""
    );
}

#[test]
fn a_permission_401_counts_as_a_missing_permission() {
    let mut config = granted(8).without_timeoff(TimeoffPerm::Balance);
    config.refusal = RefusalStyle::Unauthorized;
    let fake = FakeHiBob::start(config);
    let out = check(&fake, &["--profile", "activtrak", "--format", "json"]);
    assert_eq!(
        out.code, 1,
        "a 401 after the metadata call is not bad credentials"
    );
    let doc = out.json();
    assert!(with_code(&doc, "credentials-rejected").is_empty());
    assert_eq!(
        with_code(&doc, "timeoff-permission-missing")[0]["evidence"]["http_status"],
        401
    );
}

#[test]
fn settings_missing_is_a_feature_permission_when_required() {
    let fake = FakeHiBob::start(granted(8).without_timeoff(TimeoffPerm::Settings));
    let out = check(&fake, &["--profile", "truto", "--format", "json"]);
    assert_eq!(out.code, 1);
    let doc = out.json();
    let missing = with_code(&doc, "feature-permission-missing");
    assert_eq!(missing.len(), 1);
    assert_eq!(
        missing[0]["permission"],
        "Features > Time off > Settings > \"Manage company's time off settings\""
    );
    // The balance still ran, with a policy type from the who's-out answer.
    assert_eq!(check_of(&doc, "timeoff:balance")["status"], "pass");
}

#[test]
fn settings_missing_is_no_finding_when_only_a_policy_name_was_wanted() {
    let fake = FakeHiBob::start(granted(8).without_timeoff(TimeoffPerm::Settings));
    let out = check(&fake, &["--profile", "activtrak", "--format", "json"]);
    assert_eq!(out.code, 0, "{}", out.stdout);
    let doc = out.json();
    assert!(with_code(&doc, "feature-permission-missing").is_empty());
    assert_eq!(check_of(&doc, "timeoff:balance")["status"], "pass");
    let balance = fake
        .requests()
        .into_iter()
        .find(|r| r.path.ends_with("/balance"))
        .expect("a balance call");
    assert!(
        balance
            .query
            .iter()
            .any(|(k, v)| k == "policyType" && v == "Holiday")
    );
}

#[test]
fn a_balance_probe_that_cannot_run_is_unknown() {
    let mut config = granted(8).without_timeoff(TimeoffPerm::Settings);
    config.absences.clear();
    let fake = FakeHiBob::start(config);
    let (table, json) = snapshot_both(
        "timeoff-balance-unknown",
        &fake,
        &["--profile", "activtrak"],
    );
    assert_eq!(table.code, 0);
    let doc = json.json();
    let balance = check_of(&doc, "timeoff:balance");
    assert_eq!(balance["status"], "unknown");
    assert!(
        balance["reason"]
            .as_str()
            .expect("reason")
            .contains("no policy type name is known")
    );
    assert!(
        fake.requests()
            .iter()
            .all(|r| !r.path.ends_with("/balance")),
        "no balance call was made"
    );
}

/// Who's out refused too: the reason must not say "nobody was out", which HiBob never said.
#[test]
fn a_balance_probe_without_a_policy_name_does_not_claim_nobody_was_out() {
    let fake = FakeHiBob::start(
        granted(8)
            .without_timeoff(TimeoffPerm::Settings)
            .without_timeoff(TimeoffPerm::WhosOut),
    );
    let out = check(&fake, &["--profile", "activtrak", "--format", "json"]);
    assert_eq!(out.code, 1, "{}", out.stdout);
    let doc = out.json();
    let balance = check_of(&doc, "timeoff:balance");
    assert_eq!(balance["status"], "unknown");
    let reason = balance["reason"].as_str().expect("reason");
    assert!(reason.contains("no policy type name is known"), "{reason}");
    assert!(!reason.contains("nobody was out"), "{reason}");
    assert!(reason.contains("not answered"), "{reason}");
}

#[test]
fn policy_types_from_the_rules_file_are_used_next() {
    let dir = tempfile::tempdir().expect("tempdir");
    let rules = dir.path().join("r.toml");
    std::fs::write(
        &rules,
        "[integration]\nname = \"r\"\n[timeoff]\nrequire = [\"balance\"]\npolicy_types = [\"Sick\"]\n",
    )
    .expect("write");
    let fake = FakeHiBob::start(granted(8).without_timeoff(TimeoffPerm::Settings));
    let out = check(
        &fake,
        &["--rules", rules.to_str().expect("path"), "--format", "json"],
    );
    assert_eq!(out.code, 0, "{}", out.stdout);
    let balance = fake
        .requests()
        .into_iter()
        .find(|r| r.path.ends_with("/balance"))
        .expect("a balance call");
    assert!(
        balance
            .query
            .iter()
            .any(|(k, v)| k == "policyType" && v == "Sick")
    );
}

#[test]
fn private_policy_absences_are_compared_honestly() {
    // Granted: includePrivate shows one more absence, which proves the permission.
    let fake = FakeHiBob::start(granted(8));
    let out = check(&fake, &["--profile", "truto", "--format", "json"]);
    assert_eq!(
        check_of(&out.json(), "timeoff:private-requests")["status"],
        "pass"
    );

    // Not granted: HiBob leaves private absences out silently; nothing can be claimed.
    let fake = FakeHiBob::start(granted(8).without_timeoff(TimeoffPerm::Private));
    let (table, json) = snapshot_both("timeoff-private-policy", &fake, &["--profile", "truto"]);
    assert_eq!(table.code, 0);
    let doc = json.json();
    let private = check_of(&doc, "timeoff:private-requests");
    assert_eq!(private["status"], "unknown");
    let reason = private["reason"].as_str().expect("reason");
    assert!(
        reason.contains("See who's out because of private policy"),
        "{reason}"
    );
    assert!(with_code(&doc, "timeoff-permission-missing").is_empty());
}

#[test]
fn a_missing_pending_permission_is_named() {
    let fake = FakeHiBob::start(granted(8).without_timeoff(TimeoffPerm::Pending));
    let out = check(&fake, &["--profile", "truto", "--format", "json"]);
    assert_eq!(out.code, 1);
    let doc = out.json();
    let missing = with_code(&doc, "timeoff-permission-missing");
    assert_eq!(missing.len(), 1);
    assert!(
        missing[0]["permission"]
            .as_str()
            .expect("p")
            .contains("Create, edit and cancel people's requests")
    );
}

#[test]
fn an_empty_200_is_unknown_not_granted() {
    let mut config = granted(8).without_timeoff(TimeoffPerm::WhosOut);
    config.empty_200_for_refusals = true;
    let fake = FakeHiBob::start(config);
    let out = check(&fake, &["--profile", "activtrak", "--format", "json"]);
    let doc = out.json();
    assert_eq!(check_of(&doc, "timeoff:whos-out")["status"], "unknown");
    assert_ne!(doc["outcome"], "incomplete");
}

#[test]
fn a_fully_granted_tenant_passes_every_time_off_check() {
    for profile in ["activtrak", "truto"] {
        let fake = FakeHiBob::start(granted(8));
        let out = check(&fake, &["--profile", profile, "--format", "json"]);
        assert_eq!(out.code, 0, "{profile}");
        let doc = out.json();
        for c in doc["checks"].as_array().expect("checks") {
            if c["id"]
                .as_str()
                .is_some_and(|id| id.starts_with("timeoff:"))
            {
                assert_eq!(c["status"], "pass", "{profile}: {c:#}");
            }
        }
    }
}
