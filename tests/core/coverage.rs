//! Every finding code and every check status comes out of at least one in-process scenario,
//! and every scenario has its snapshot: a new code without a scenario fails here.

use std::collections::BTreeSet;

use hibob_audit::report::{CheckStatus, Code};

use crate::scenario::Scenario;

/// Every check status. A new status fails to compile here until it is listed.
fn every_status() -> [CheckStatus; 5] {
    let _listed_below = |s: CheckStatus| match s {
        CheckStatus::Pass
        | CheckStatus::Warn
        | CheckStatus::Fail
        | CheckStatus::Unknown
        | CheckStatus::Manual => (),
    };
    [
        CheckStatus::Pass,
        CheckStatus::Warn,
        CheckStatus::Fail,
        CheckStatus::Unknown,
        CheckStatus::Manual,
    ]
}

fn every_scenario() -> Vec<Scenario> {
    [
        crate::access::scenarios(),
        crate::fields::scenarios(),
        crate::lifecycle::scenarios(),
        crate::timeoff::scenarios(),
        crate::tables_docs::scenarios(),
        crate::guide::scenarios(),
        crate::policy::scenarios(),
        crate::excess::scenarios(),
    ]
    .into_iter()
    .flatten()
    .collect()
}

#[test]
fn every_code_and_status_has_an_in_process_scenario() {
    let mut codes = BTreeSet::new();
    let mut statuses = BTreeSet::new();
    for scenario in every_scenario() {
        let report = scenario.report();
        codes.extend(report.findings.iter().map(|f| f.code));
        codes.extend(report.suppressed.iter().map(|s| s.finding.code));
        statuses.extend(report.checks.iter().map(|c| c.status));
    }
    let missing: Vec<Code> = Code::all().filter(|c| !codes.contains(c)).collect();
    assert!(
        missing.is_empty(),
        "no in-process scenario reports {missing:?}: add one to tests/core/"
    );
    let missing: Vec<CheckStatus> = every_status()
        .into_iter()
        .filter(|s| !statuses.contains(s))
        .collect();
    assert!(
        missing.is_empty(),
        "no in-process scenario has a check with status {missing:?}"
    );
}

/// Each scenario is snapshotted by its test (`scenario::run`), under its own name; a
/// `core-*.json` snapshot without a scenario is stale.
#[test]
fn every_scenario_has_its_own_snapshot() {
    let names: Vec<&str> = every_scenario().iter().map(|s| s.name).collect();
    let unique: BTreeSet<&str> = names.iter().copied().collect();
    assert_eq!(unique.len(), names.len(), "two scenarios share a name");
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/snapshots");
    let on_disk: BTreeSet<String> = std::fs::read_dir(dir)
        .expect("the snapshots folder")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter_map(|n| {
            n.strip_prefix("core-")?
                .strip_suffix(".json.snap")
                .map(str::to_string)
        })
        .collect();
    let expected: BTreeSet<String> = unique.iter().map(|n| n.to_string()).collect();
    let without: Vec<_> = expected.difference(&on_disk).collect();
    assert!(
        without.is_empty(),
        "scenarios without a snapshot (is their test missing?): {without:?}"
    );
    let stale: Vec<_> = on_disk.difference(&expected).collect();
    assert!(stale.is_empty(), "snapshots without a scenario: {stale:?}");
}
