//! A scenario: rules, hand-built observations and a policy, evaluated in-process and
//! snapshotted as the JSON report (`snapshots/core-NAME.json.snap`).

use std::sync::OnceLock;

use hibob_audit::evaluate::{evaluate, evaluate_with};
use hibob_audit::observations::Observations;
use hibob_audit::policy::Policy;
use hibob_audit::render::{self, Context};
use hibob_audit::report::{Check, CheckStatus, Code, Finding, Report};
use hibob_audit::rules::{self, Rules};

use crate::build::Tenant;

pub struct Scenario {
    /// The snapshot is `core-{name}.json`.
    pub name: &'static str,
    pub rules: Rules,
    pub observations: Observations,
    /// `None`: the rules file's own policy, through `evaluate`.
    pub policy: Option<Policy>,
}

impl Scenario {
    /// Rules from a TOML body (everything after `[integration]`, which names the scenario).
    pub fn new(name: &'static str, body: &str, tenant: Tenant) -> Self {
        let text = format!(
            "[integration]\nname = \"core-{name}\"\ntitle = \"Core scenario {name}\"\n{body}"
        );
        let rules = rules::parse(&text, name).unwrap_or_else(|e| panic!("{e}"));
        Scenario {
            name,
            observations: tenant.build(&rules),
            rules,
            policy: None,
        }
    }

    /// A shipped profile's rules.
    pub fn profile(name: &'static str, profile: &str, tenant: Tenant) -> Self {
        let p = rules::profiles::find(profile)
            .unwrap_or_else(|| panic!("no shipped profile {profile}"));
        let rules = rules::profiles::load(p).unwrap_or_else(|e| panic!("{e}"));
        Scenario {
            name,
            observations: tenant.build(&rules),
            rules,
            policy: None,
        }
    }

    /// The rules file's policy, changed as the command line would (`--deny`, `--strict`, ...).
    pub fn with_policy(mut self, change: impl FnOnce(&mut Policy)) -> Self {
        let mut policy = self.rules.policy();
        change(&mut policy);
        self.policy = Some(policy);
        self
    }

    pub fn report(&self) -> Report {
        match &self.policy {
            None => evaluate(&self.rules, &self.observations),
            Some(policy) => evaluate_with(&self.rules, &self.observations, policy),
        }
    }
}

/// The JSON document of a report, with a fixed context and the tool's version masked.
pub fn json(rules: &Rules, report: &Report) -> String {
    let ctx = Context {
        profile: rules.name.clone(),
        title: rules.title.clone(),
        target: "in-process (hand-built observations)".to_string(),
        color: false,
        width: 100,
        verbose: false,
        rerun: format!("hibob-audit check --rules {}.toml", rules.name),
    };
    let text = render::json::render(report, &ctx).expect("the report serialises to JSON");
    text.replace(
        &format!("\"version\": \"{}\"", render::VERSION),
        "\"version\": \"[VERSION]\"",
    )
}

fn validator() -> &'static jsonschema::Validator {
    static V: OnceLock<jsonschema::Validator> = OnceLock::new();
    V.get_or_init(|| {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/docs/schema/report.schema.json"
        );
        let text = std::fs::read_to_string(path).expect("read the report schema");
        let schema: serde_json::Value = serde_json::from_str(&text).expect("the schema is JSON");
        jsonschema::validator_for(&schema).expect("a valid JSON Schema")
    })
}

pub fn snapshot_settings() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.set_snapshot_path(concat!(env!("CARGO_MANIFEST_DIR"), "/snapshots"));
    s.set_prepend_module_to_snapshot(false);
    s
}

/// Evaluates the scenario, checks its JSON against the schema and snapshots it.
pub fn run(scenario: &Scenario) -> Report {
    let report = scenario.report();
    let text = json(&scenario.rules, &report);
    let doc: serde_json::Value = serde_json::from_str(&text).expect("the report is JSON");
    let errors: Vec<String> = validator()
        .iter_errors(&doc)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "core-{} does not match docs/schema/report.schema.json:\n{}",
        scenario.name,
        errors.join("\n")
    );
    snapshot_settings().bind(|| {
        insta::assert_snapshot!(format!("core-{}.json", scenario.name), text);
    });
    report
}

/// The codes of the reported findings, in report order.
pub fn codes(report: &Report) -> Vec<Code> {
    report.findings.iter().map(|f| f.code).collect()
}

/// The reported findings of one code.
pub fn findings(report: &Report, code: Code) -> Vec<&Finding> {
    report.findings.iter().filter(|f| f.code == code).collect()
}

/// The one reported finding of this code.
pub fn finding(report: &Report, code: Code) -> &Finding {
    let found = findings(report, code);
    assert_eq!(found.len(), 1, "one {code} finding expected: {found:#?}");
    found[0]
}

pub fn check<'r>(report: &'r Report, id: &str) -> &'r Check {
    report
        .checks
        .iter()
        .find(|c| c.id == id)
        .unwrap_or_else(|| panic!("no check {id} in {:#?}", report.checks))
}

pub fn status(report: &Report, id: &str) -> CheckStatus {
    check(report, id).status
}

/// Asserts that `text` says `words`.
#[track_caller]
pub fn says(text: impl AsRef<str>, words: &str) {
    let text = text.as_ref();
    assert!(text.contains(words), "expected {words:?} in:\n{text}");
}

/// A finding's fix, or nothing.
pub fn fix_of(f: &Finding) -> &str {
    f.fix.as_deref().unwrap_or_default()
}

#[track_caller]
pub fn no_findings(report: &Report) {
    assert!(report.findings.is_empty(), "{:#?}", report.findings);
}
