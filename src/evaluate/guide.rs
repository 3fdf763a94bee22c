//! What the guide's own steps cannot deliver: requirements inferred from the vendor's product
//! that need a permission no line of the guide asks for (`guide-omits-permission`).
//!
//! Only for rules that quote their guide: without `guide_text`, nothing is known of what the
//! guide asks.

use std::collections::BTreeMap;

use super::{Sink, employees};
use crate::observations::{CallOutcome, Observations, PeopleCounts, ProbeRun};
use crate::permissions::{self, TimeoffPermission};
use crate::report::{Code, Finding, Level};
use crate::rules::{FieldRule, Rules};

pub(super) fn evaluate(
    rules: &Rules,
    obs: &Observations,
    people: Option<&PeopleCounts>,
    sink: &mut Sink,
) {
    if !rules.quotes_guide() {
        return;
    }
    fields(rules, obs, people, sink);
    timeoff(rules, obs, sink);
}

/// Inferred fields whose category (in this tenant) the guide never asks to tick.
fn fields(rules: &Rules, obs: &Observations, people: Option<&PeopleCounts>, sink: &mut Sink) {
    let CallOutcome::Answered(catalog) = &obs.metadata.outcome else {
        return;
    };
    // The categories the guide asks for: those it names for a field, else the tenant's
    // category of a field it names.
    let mut asked: Vec<String> = Vec::new();
    for f in rules
        .fields
        .iter()
        .filter(|f| !f.source.guide_text.is_empty())
    {
        if f.guide_categories.is_empty() {
            asked.extend(catalog.get(&f.id).map(|m| m.category_name.to_lowercase()));
        } else {
            asked.extend(f.guide_categories.iter().map(|c| c.to_lowercase()));
        }
    }
    let mut omitted: BTreeMap<String, Vec<&FieldRule>> = BTreeMap::new();
    for f in rules.fields.iter().filter(|f| f.source.inferred.is_some()) {
        let Some(meta) = catalog.get(&f.id) else {
            continue;
        };
        if !asked.contains(&meta.category_name.to_lowercase())
            && !asked.contains(&meta.category_id.to_lowercase())
        {
            omitted
                .entry(meta.category_name.clone())
                .or_default()
                .push(f);
        }
    }
    for (category, list) in omitted {
        // The box is ticked when any of its fields came back for anyone: a field that a
        // field-level permission or a sensitive field's Edit box hides, or a category that
        // covers fewer people, is a finding of its own, not a box the guide leaves unticked.
        let counts = |f: &&FieldRule| people.and_then(|p| p.fields.get(&f.id));
        let readable = people.is_some_and(|p| p.employees > 0)
            && list
                .iter()
                .any(|f| counts(f).is_some_and(|c| c.present > 0));
        let for_all = readable
            && list
                .iter()
                .all(|f| counts(f).is_some_and(|c| c.present > 0 && c.absent == 0));
        let names: Vec<String> = list
            .iter()
            .map(|f| format!("{} ({})", f.purpose, f.id))
            .collect();
        let items: Vec<(&str, Option<&str>)> = list
            .iter()
            .map(|f| (f.purpose.as_str(), f.source.inferred.as_deref()))
            .collect();
        let view = permissions::category_view(&category);
        let mut f = Finding::new(
            Code::GuideOmitsPermission,
            if readable {
                Level::Info
            } else {
                Level::Warning
            },
            format!(
                "{} does not ask for {view}, yet {} {} it.{} An admin who follows the guide exactly leaves {} blank.{}",
                rules.guide_name(),
                names.join(", "),
                if names.len() == 1 { "needs" } else { "need" },
                super::not_in_guide(&items),
                if names.len() == 1 { "it" } else { "them" },
                if for_all {
                    format!(
                        " Here the group grants it anyway: readable for all {}.",
                        employees(people.map_or(0, |p| p.employees))
                    )
                } else if readable {
                    " Here the group grants it anyway; what it still hides is reported on its own."
                        .to_string()
                } else {
                    String::new()
                }
            ),
        );
        f.fix = Some(if readable {
            format!(
                "Nothing to change here; keep {category} ticked. Tell the vendor that the guide leaves it out."
            )
        } else {
            format!(
                "{} This goes beyond the guide's steps; tell the vendor that the guide leaves it out.",
                permissions::category_fix(&category)
            )
        });
        f.category = Some(category.clone());
        f.fields = list.iter().map(|f| f.id.clone()).collect();
        f.permission = Some(view);
        for id in &f.fields {
            sink.tag(&format!("field:{id}"), Code::GuideOmitsPermission);
        }
        sink.finding(f);
    }
}

/// Inferred time-off capabilities whose box no guided capability shares.
fn timeoff(rules: &Rules, obs: &Observations, sink: &mut Sink) {
    let Some(rule) = &rules.timeoff else { return };
    let asked: Vec<TimeoffPermission> = rule
        .require
        .iter()
        .filter(|n| !n.source.guide_text.is_empty())
        .map(|n| n.capability.permission())
        .collect();
    let mut omitted: Vec<(TimeoffPermission, Vec<String>, &str, bool)> = Vec::new();
    for need in rule.require.iter().filter(|n| n.source.inferred.is_some()) {
        let perm = need.capability.permission();
        if asked.contains(&perm) {
            continue;
        }
        let answered = matches!(
            obs.timeoff(super::timeoff::probe_of(need.capability)),
            Some(ProbeRun::Ran(o)) if matches!(o.outcome, CallOutcome::Answered(_))
        );
        let why = need.source.inferred.as_deref().unwrap_or_default();
        match omitted.iter_mut().find(|(p, ..)| *p == perm) {
            Some((_, caps, _, ok)) => {
                caps.push(need.capability.as_str().to_string());
                *ok &= answered;
            }
            None => omitted.push((
                perm,
                vec![need.capability.as_str().to_string()],
                why,
                answered,
            )),
        }
    }
    for (perm, caps, why, answered) in omitted {
        let mut f = Finding::new(
            Code::GuideOmitsPermission,
            if answered {
                Level::Info
            } else {
                Level::Warning
            },
            format!(
                "{} does not ask for {}, yet the time-off {} {} need{} it. Not in the guide: {why}.{}",
                rules.guide_name(),
                perm.path(),
                if caps.len() == 1 {
                    "capability"
                } else {
                    "capabilities"
                },
                caps.join(", "),
                if caps.len() == 1 { "s" } else { "" },
                if answered {
                    " Here the group grants it anyway."
                } else {
                    ""
                }
            ),
        );
        f.fix = Some(if answered {
            "Nothing to change here. Tell the vendor that the guide leaves it out.".to_string()
        } else {
            format!(
                "{} This goes beyond the guide's steps; tell the vendor that the guide leaves it out.",
                perm.fix()
            )
        });
        f.permission = Some(perm.path());
        for cap in &caps {
            sink.tag(&format!("timeoff:{cap}"), Code::GuideOmitsPermission);
        }
        sink.finding(f);
    }
}
