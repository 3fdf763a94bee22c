//! `check --excess`: what the permission group grants beyond the rules' needs (least
//! privilege). One check per category of the tenant's metadata that the rules do not need,
//! judged by the field the search asked for it; one per Time off box the rules do not need
//! where the plain who's-out call ran anyway. A granted one is a `category-not-needed`
//! finding (a warning when sensitive), unless the rules accept it (`[[allow_extra]]`).
//! Evidence is counts only.

use super::categories::slug;
use super::fields::evidence_of;
use super::{Sink, employees, unknown_reason};
use crate::observations::{
    CallOutcome, CategoryMeta, FieldCatalog, FieldCounts, Observations, Observed, PeopleCounts,
    ProbeRun, TimeoffAnswer, TimeoffProbe, field_ids,
};
use crate::permissions::{self, GROUP_PATH, TimeoffPermission};
use crate::policy::Effect;
use crate::probes::Needs;
use crate::report::{
    Check, CheckStatus, Code, EXCESS_CHECK, FieldEvidence, Finding, Level, NOT_NEEDED,
};
use crate::rules::{ExtraTarget, Rules, TimeoffCapability as Cap};
use crate::sensitive::{Authority, HIBOB_SCOPE, SensitiveWord, sensitive_category};

pub(super) fn evaluate(
    rules: &Rules,
    obs: &Observations,
    people: Option<&PeopleCounts>,
    sink: &mut Sink,
) {
    if !obs.excess {
        return;
    }
    // Which `[[allow_extra]]` entries matched (or could not be judged): the rest are stale.
    let mut used = vec![false; rules.allow_extra.len()];
    let catalog = match &obs.metadata.outcome {
        CallOutcome::Answered(c) => Some(c),
        _ => None,
    };
    let judged = match (catalog, people) {
        (Some(catalog), Some(people)) => {
            categories(rules, catalog, people, sink, &mut used);
            true
        }
        _ => {
            let mut c = Check::new(
                EXCESS_CHECK,
                CheckStatus::Unknown,
                "What the permission group grants beyond the rules (--excess)",
            );
            c.evidence = "not probed".into();
            c.reason = unknown_reason(obs).into();
            sink.check(c);
            false
        }
    };
    timeoff(rules, obs, sink, &mut used);
    if judged && sink.complete {
        stale(rules, &used, sink);
    }
}

/// The sentence that says why a category counts as sensitive.
fn why_sensitive(name: &str, w: SensitiveWord) -> String {
    match w.authority {
        Authority::HiBob => format!(
            " {name} is sensitive: HiBob's scope for sensitive employee data ({HIBOB_SCOPE}) covers it."
        ),
        Authority::Tool => format!(
            " {name} is sensitive: this audit counts \"{}\" data as sensitive (docs/findings.md).",
            w.word
        ),
    }
}

/// "readable for 7 of 12 employees" or "absent for all 12 employees".
fn readable_text(c: &FieldCounts) -> String {
    let n = c.present + c.absent;
    if c.present == 0 {
        format!("absent for all {}", employees(n))
    } else {
        format!("readable for {} of {}", c.present, employees(n))
    }
}

/// The fix for something granted beyond the needs: untick it, or say why it stays.
fn untick(permission: &str, what: &str, also: &str) -> String {
    format!(
        "In HiBob, open {GROUP_PATH} and untick {permission}{also}; then Save. If the integration needs {what} after all, add it to the rules, or accept it with an [[allow_extra]] entry and its reason (docs/rules.md)."
    )
}

/// The `[[allow_extra]]` entry that accepts this, if any.
/// Its reason, with where the entry is, and the entry is marked used.
fn allowed(
    rules: &Rules,
    used: &mut [bool],
    matches: impl Fn(&ExtraTarget) -> bool,
) -> Option<String> {
    let i = rules.allow_extra.iter().position(|a| matches(&a.target))?;
    if let Some(u) = used.get_mut(i) {
        *u = true;
    }
    rules
        .allow_extra
        .get(i)
        .map(|a| format!("{} ([[allow_extra]], rules line {})", a.reason, a.line))
}

/// Passes a finding through `[[allow_extra]]` first, then the policy.
fn report(finding: Finding, allow: Option<String>, sink: &mut Sink) -> Effect {
    match allow {
        Some(reason) => sink.suppress(finding, reason),
        None => sink.finding(finding),
    }
}

/// The fields of a category the search counted (`root.id` is no proof: HiBob returns it
/// without any permission).
fn counted<'p>(
    c: &CategoryMeta,
    catalog: &FieldCatalog,
    people: &'p PeopleCounts,
) -> Vec<(&'p str, FieldCounts)> {
    people
        .fields
        .iter()
        .filter(|(id, _)| {
            id.as_str() != field_ids::ID
                && catalog.meta(id).is_some_and(|m| m.category_key() == c.id)
        })
        .map(|(id, counts)| (id.as_str(), *counts))
        .collect()
}

fn categories(
    rules: &Rules,
    catalog: &FieldCatalog,
    people: &PeopleCounts,
    sink: &mut Sink,
    used: &mut [bool],
) {
    let needs = Needs::of(rules);
    let mut extra: Vec<(&CategoryMeta, Option<SensitiveWord>)> = needs
        .extra_categories(catalog)
        .into_iter()
        .map(|c| (c, sensitive_category(&c.id, &c.name)))
        .collect();
    // Sensitive first, then by name.
    extra.sort_by(|(a, sa), (b, sb)| {
        sb.is_some()
            .cmp(&sa.is_some())
            .then(a.name.to_lowercase().cmp(&b.name.to_lowercase()))
    });
    let mut ids: Vec<String> = Vec::new();
    for (c, sensitive) in extra {
        let mut id = format!("excess:category:{}", slug(&c.name));
        if ids.contains(&id) {
            id = format!("{id}-{}", slug(&c.id));
        }
        ids.push(id.clone());
        let name = c.name.as_str();
        let allow = |t: &ExtraTarget| matches!(t, ExtraTarget::Category(n) if c.is_named(n));
        let mut check = Check::new(id, CheckStatus::Pass, format!("{name}{NOT_NEEDED}"));
        check.category = Some(name.to_string());
        check.permission = Some(permissions::category_view(name));
        let fields = counted(c, catalog, people);
        let Some(&(best_field, best)) = fields
            .iter()
            .max_by_key(|(_, counts)| (counts.present, std::cmp::Reverse(counts.absent)))
        else {
            // Asked for nothing of it (the search's field limit, or a replay): say so.
            let _ = allowed(rules, used, allow);
            check.status = CheckStatus::Unknown;
            check.evidence = "not asked for".into();
            check.reason = format!(
                "the search asked for no field of {name} (the search takes at most {} fields), so whether the group grants it is not known",
                crate::probes::people::MAX_REQUESTED
            );
            sink.check(check);
            continue;
        };
        check.evidence = format!("{} ({best_field})", readable_text(&best));
        if best.present == 0 {
            let sensitive_sample = crate::sensitive::sensitive_field(
                best_field,
                catalog.meta(best_field).and_then(|m| m.name.as_deref()),
            );
            check.reason = if sensitive_sample {
                format!(
                    "not granted, as least privilege wants; the field asked for is a sensitive one, which HiBob may leave out unless \"Edit selected employees' {name} sections\" is ticked too, so check the View box in HiBob if in doubt"
                )
            } else {
                "not granted, as least privilege wants".into()
            };
            sink.check(check);
            continue;
        }
        let mut f = Finding::new(
            Code::CategoryNotNeeded,
            if sensitive.is_some() {
                Level::Warning
            } else {
                Level::Info
            },
            format!(
                "The permission group can read the {name} category, which the rules do not need: {best_field} is {}.{}",
                readable_text(&best),
                sensitive.map_or_else(String::new, |w| why_sensitive(name, w))
            ),
        );
        let permission = permissions::category_view(name);
        f.fix = Some(untick(
            &permission,
            name,
            " (and the category's section histories and Edit boxes, if ticked)",
        ));
        f.category = Some(name.to_string());
        f.fields = fields.iter().map(|(id, _)| id.to_string()).collect();
        f.permission = Some(permission);
        f.sensitive = Some(sensitive.is_some());
        f.evidence.employees = Some(best.present + best.absent);
        f.evidence.fields = fields
            .iter()
            .map(|(id, counts)| evidence_of(id, counts))
            .collect::<Vec<FieldEvidence>>();
        let fix = f.fix.clone();
        let effect = report(f, allowed(rules, used, allow), sink);
        check.status = effect.status();
        check.reason = effect.annotate(format!(
            "granted although the rules do not need it{}",
            if sensitive.is_some() {
                " (sensitive)"
            } else {
                ""
            }
        ));
        check.fix = effect.fix(fix);
        check.findings = vec![Code::CategoryNotNeeded];
        sink.check(check);
    }
}

/// A Time off box the rules do not need, compared with the plain who's-out call.
struct Boxed {
    cap: Cap,
    probe: TimeoffProbe,
    permission: TimeoffPermission,
    flag: &'static str,
    what: &'static str,
    /// HiBob's own scope `timeoff.sensitive:read` covers private time off policy data.
    sensitive: bool,
}

const BOXES: [Boxed; 2] = [
    Boxed {
        cap: Cap::PrivateRequests,
        probe: TimeoffProbe::WhosOutPrivate,
        permission: permissions::PRIVATE_POLICY,
        flag: "includePrivate=true",
        what: "Private-policy requests",
        sensitive: true,
    },
    Boxed {
        cap: Cap::PendingRequests,
        probe: TimeoffProbe::WhosOutPending,
        permission: permissions::PENDING_REQUESTS,
        flag: "includePending=true",
        what: "Pending requests",
        sensitive: false,
    },
];

fn outs(run: Option<&ProbeRun<TimeoffAnswer>>) -> Option<u64> {
    match run {
        Some(ProbeRun::Ran(Observed {
            outcome: CallOutcome::Answered(TimeoffAnswer::Outs { count, .. }),
            ..
        })) => Some(*count),
        _ => None,
    }
}

fn timeoff(rules: &Rules, obs: &Observations, sink: &mut Sink, used: &mut [bool]) {
    let required = |cap| rules.timeoff.as_ref().is_some_and(|t| t.requires(cap));
    let base = outs(obs.timeoff(TimeoffProbe::WhosOut));
    for b in &BOXES {
        if required(b.cap) {
            continue;
        }
        // Only where the probe ran: the plain who's-out call was in the plan anyway.
        let Some(run) = obs.timeoff(b.probe) else {
            continue;
        };
        let allow = |t: &ExtraTarget| matches!(t, ExtraTarget::Timeoff(c) if *c == b.cap);
        let mut check = Check::new(
            format!("excess:timeoff:{}", b.cap.as_str()),
            CheckStatus::Pass,
            format!("{}{NOT_NEEDED}", b.what),
        );
        check.category = Some("Time off".into());
        check.permission = Some(b.permission.path());
        let unknown = |check: &mut Check, evidence: String, reason: String| {
            check.status = CheckStatus::Unknown;
            check.evidence = evidence;
            check.reason = reason;
        };
        let extended = match run {
            ProbeRun::NotRun(reason) => {
                unknown(&mut check, "not run".into(), reason.clone());
                None
            }
            ProbeRun::Ran(Observed {
                outcome: CallOutcome::Refused(r),
                ..
            }) => {
                check.evidence = format!("HTTP {}", r.status);
                check.reason = format!(
                    "refused: \"{}\" is not granted, as least privilege wants",
                    b.permission.checkbox
                );
                None
            }
            ProbeRun::Ran(Observed {
                outcome: CallOutcome::Answered(TimeoffAnswer::Outs { count, .. }),
                endpoint,
            }) => Some((*count, endpoint.as_str())),
            ProbeRun::Ran(Observed { outcome, .. }) => {
                let evidence = match outcome {
                    CallOutcome::Failed(f) => {
                        f.status.map_or("no answer".into(), |s| format!("HTTP {s}"))
                    }
                    _ => "HTTP 200, no data".into(),
                };
                unknown(
                    &mut check,
                    evidence,
                    "the call gave no list of absences to compare".into(),
                );
                None
            }
        };
        if let Some((extended, endpoint)) = extended {
            match base {
                Some(base) if extended > base => {
                    let evidence = format!("{extended} absence(s) with {}, {base} without", b.flag);
                    check.evidence = evidence.clone();
                    let mut f = Finding::new(
                        Code::CategoryNotNeeded,
                        Level::Warning,
                        format!(
                            "The permission group has \"{}\", which the rules do not need: {evidence}.{}",
                            b.permission.checkbox,
                            if b.sensitive {
                                " Private-policy absences are sensitive: HiBob's scope for them is timeoff.sensitive:read."
                            } else {
                                " The box also lets the group create, edit and cancel requests that are not approved yet."
                            }
                        ),
                    );
                    let permission = b.permission.path();
                    f.fix = Some(untick(
                        &permission,
                        &format!("\"{}\"", b.permission.checkbox),
                        "",
                    ));
                    f.category = Some("Time off".into());
                    f.endpoint = Some(endpoint.to_string());
                    f.permission = Some(permission);
                    f.sensitive = Some(b.sensitive);
                    let fix = f.fix.clone();
                    let effect = report(f, allowed(rules, used, allow), sink);
                    check.status = effect.status();
                    check.reason = effect.annotate(
                        "more absences with the flag: granted although the rules do not need it"
                            .into(),
                    );
                    check.fix = effect.fix(fix);
                    check.findings = vec![Code::CategoryNotNeeded];
                }
                Some(base) => unknown(
                    &mut check,
                    format!("{extended} absence(s) with {}, {base} without", b.flag),
                    format!(
                        "the same absences with and without {}: either none falls in the window, or \"{}\" is not granted (HiBob leaves them out silently)",
                        b.flag, b.permission.checkbox
                    ),
                ),
                None => unknown(
                    &mut check,
                    format!("{extended} absence(s) with {}", b.flag),
                    "the plain who's-out call did not answer, so there is nothing to compare with"
                        .into(),
                ),
            }
        }
        if check.status == CheckStatus::Unknown {
            // Not judged: an [[allow_extra]] entry for it is not stale.
            let _ = allowed(rules, used, allow);
        }
        sink.check(check);
    }
}

/// `[[allow_extra]]` entries that matched nothing granted: the group no longer grants it,
/// the rules need it now, or the tenant has no such category.
fn stale(rules: &Rules, used: &[bool], sink: &mut Sink) {
    for (a, used) in rules.allow_extra.iter().zip(used) {
        if *used {
            continue;
        }
        let mut f = Finding::new(
            Code::SuppressionUnused,
            Level::Warning,
            format!(
                "The [[allow_extra]] entry for {} (rules line {}) matched nothing the group grants beyond the rules: it is stale.",
                a.describe(),
                a.line
            ),
        );
        f.fix = Some("Remove it from the rules file, or correct its name: the group does not grant it, the rules need it, or the tenant has no such category.".into());
        if let ExtraTarget::Category(c) = &a.target {
            f.category = Some(c.clone());
        }
        sink.finding(f);
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::observations::FieldMeta;

    fn meta(id: &str, category_id: &str, category_name: &str) -> FieldMeta {
        FieldMeta {
            id: id.into(),
            name: None,
            category_id: category_id.into(),
            category_name: category_name.into(),
            json_path: id.into(),
        }
    }

    /// Basic info (needed), Payroll (sensitive, granted), About (not granted), Home
    /// (sensitive, granted, accepted by the rules) and Training (not asked for).
    fn observations(excess: bool) -> Observations {
        let mut catalog = FieldCatalog {
            total: 6,
            ..FieldCatalog::default()
        };
        let email = meta("root.email", "root", "Basic info");
        catalog.fields.insert(email.id.clone(), email.clone());
        for (id, cid, name) in [
            ("root.email", "root", "Basic info"),
            ("payroll.salary.currency", "payroll", "Payroll"),
            ("about.about", "about", "About"),
            ("home.maritalStatus", "home", "Home"),
            ("training.course", "training", "Training"),
        ] {
            let m = meta(id, cid, name);
            catalog.categories.insert(
                cid.into(),
                CategoryMeta {
                    id: cid.into(),
                    name: name.into(),
                    fields: 1,
                    samples: vec![m.clone()],
                    representative: Some(m),
                },
            );
        }
        let counts = |present, absent| FieldCounts {
            present,
            absent,
            empty: 0,
        };
        let fields: BTreeMap<String, FieldCounts> = [
            ("root.id", counts(10, 0)),
            ("root.email", counts(10, 0)),
            ("payroll.salary.currency", counts(4, 6)),
            ("about.about", counts(0, 10)),
            ("home.maritalStatus", counts(10, 0)),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        Observations {
            metadata: Observed {
                endpoint: "GET /company/people/fields".into(),
                outcome: CallOutcome::Answered(catalog),
            },
            people: Some(Observed {
                endpoint: "POST /people/search".into(),
                outcome: CallOutcome::Answered(PeopleCounts {
                    employees: 10,
                    fields,
                    ..PeopleCounts::default()
                }),
            }),
            timeoff: Vec::new(),
            tables: Vec::new(),
            docs: None,
            excess,
        }
    }

    fn rules() -> Rules {
        crate::rules::parse(
            "[integration]\nname = \"x\"\n[[fields]]\nid = \"root.email\"\npurpose = \"Email\"\n[[allow_extra]]\ncategory = \"home\"\nreason = \"on purpose\"\n[[allow_extra]]\ncategory = \"Bands\"\nreason = \"stale\"\n",
            "x.toml",
        )
        .unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn judges_each_category_the_rules_do_not_need() {
        let report = crate::evaluate::evaluate(&rules(), &observations(true));
        let status = |id: &str| {
            report
                .checks
                .iter()
                .find(|c| c.id == id)
                .map(|c| c.status)
                .unwrap_or_else(|| panic!("no check {id}"))
        };
        assert_eq!(status("excess:category:payroll"), CheckStatus::Warn);
        assert_eq!(status("excess:category:about"), CheckStatus::Pass);
        assert_eq!(status("excess:category:home"), CheckStatus::Pass);
        assert_eq!(status("excess:category:training"), CheckStatus::Unknown);
        assert!(!report.checks.iter().any(|c| c.id.contains("basic-info")));

        let payroll = report
            .findings
            .iter()
            .find(|f| f.code == Code::CategoryNotNeeded)
            .expect("Payroll");
        assert_eq!(payroll.category.as_deref(), Some("Payroll"));
        assert_eq!(
            (payroll.level, payroll.sensitive),
            (Level::Warning, Some(true))
        );
        assert!(payroll.message.contains("readable for 4 of 10 employees"));
        assert_eq!(payroll.fields, ["payroll.salary.currency"]);
        let json = serde_json::to_value(payroll).unwrap_or_default();
        assert_eq!(json["sensitive"], true);

        let home = &report.suppressed[0];
        assert_eq!(home.finding.category.as_deref(), Some("Home"));
        assert!(
            home.reason
                .starts_with("on purpose ([[allow_extra]], rules line 6)")
        );

        let stale: Vec<&Finding> = report
            .findings
            .iter()
            .filter(|f| f.code == Code::SuppressionUnused)
            .collect();
        assert_eq!(stale.len(), 1);
        assert!(stale[0].message.contains("Bands"));
        // Other findings carry no `sensitive` key.
        let json = serde_json::to_value(stale[0]).unwrap_or_default();
        assert!(json.get("sensitive").is_none());
    }

    #[test]
    fn without_excess_nothing_is_judged() {
        let report = crate::evaluate::evaluate(&rules(), &observations(false));
        assert!(!report.checks.iter().any(Check::is_excess));
        assert!(report.findings.is_empty(), "{:?}", report.findings);
        assert!(report.suppressed.is_empty());
    }
}
