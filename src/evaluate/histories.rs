//! Section histories (`[[histories]]`): one visible employee's Work, Employment, Lifecycle or
//! salary table. "Sections" alone shows the current row; "section histories" every row. More
//! than one row, or a row that is not current, proves the history; one row proves nothing.

use super::access::failed;
use super::{Sink, unknown_reason};
use crate::observations::{CallOutcome, Observations, ProbeRun, TableAnswer};
use crate::permissions;
use crate::report::{Check, CheckStatus, Code, Finding};
use crate::rules::{HistoryRule, Rules};

/// What one table's check came to.
struct Verdict {
    status: CheckStatus,
    evidence: String,
    reason: String,
    finding: Option<Finding>,
}

fn unknown(evidence: impl Into<String>, reason: impl Into<String>) -> Verdict {
    Verdict {
        status: CheckStatus::Unknown,
        evidence: evidence.into(),
        reason: reason.into(),
        finding: None,
    }
}

fn missing(rule: &HistoryRule, endpoint: &str, message: String, status: Option<u16>) -> Finding {
    let category = rule.table.category();
    let mut f = Finding::new(Code::SectionHistoryMissing, rule.level, message);
    f.fix = Some(format!(
        "In HiBob, open {} > People's data, and under People > {category} tick \"View selected employees' {category} section histories\" (and \"View selected employees' {category} sections\"); then Save. On tenants with field-level permissions, also allow history under {}.",
        permissions::GROUP_PATH,
        permissions::FIELD_LEVEL
    ));
    f.category = Some(category.to_string());
    f.endpoint = Some(endpoint.to_string());
    f.permission = Some(permissions::category_history(category));
    f.evidence.http_status = status;
    f
}

fn judge(rule: &HistoryRule, endpoint: &str, a: &TableAnswer) -> Verdict {
    let category = rule.table.category();
    if !a.restricted_history.is_empty() {
        let columns = a.restricted_history.join(", ");
        return Verdict {
            status: CheckStatus::Fail,
            evidence: format!(
                "{}; history withheld for {columns}",
                super::count(a.rows, "row", "rows")
            ),
            reason: "field-level permissions withhold the history of some columns".into(),
            finding: Some(missing(
                rule,
                endpoint,
                format!(
                    "HiBob withholds the {category} history of {columns} (restricted_columns.no_view_history_permission): the group lacks history permission for them."
                ),
                None,
            )),
        };
    }
    if a.empty {
        return unknown(
            "HTTP 200, no rows list",
            "HiBob answered without the documented list of rows: the permission may be missing; check it in HiBob",
        );
    }
    if a.rows > 1 || a.other_rows > 0 {
        return Verdict {
            status: CheckStatus::Pass,
            evidence: format!(
                "{}, {} not current",
                super::count(a.rows, "row", "rows"),
                a.other_rows
            ),
            reason: "more than the current row came back, so the history is readable".into(),
            finding: None,
        };
    }
    if a.rows == 0 {
        return unknown(
            "0 rows",
            format!(
                "no row came back: this employee may have no {category} table yet; check \"{category} section histories\" in HiBob"
            ),
        );
    }
    unknown(
        format!("{} row", a.rows),
        format!(
            "only the current row came back: either this employee has no {category} history, or only \"View selected employees' {category} sections\" is granted (HiBob answers alike); check \"{category} section histories\" in HiBob"
        ),
    )
}

pub(super) fn evaluate(rules: &Rules, obs: &Observations, sink: &mut Sink) {
    for rule in &rules.histories {
        let category = rule.table.category();
        let verdict = match obs.table(rule.table) {
            None => unknown("not probed", unknown_reason(obs)),
            Some(ProbeRun::NotRun(why)) => unknown("not run", why.clone()),
            Some(ProbeRun::Ran(o)) => match &o.outcome {
                CallOutcome::Answered(a) => judge(rule, &o.endpoint, a),
                CallOutcome::Refused(r) => Verdict {
                    status: CheckStatus::Fail,
                    evidence: format!("HTTP {}", r.status),
                    reason: format!(
                        "refused: the group may not read this employee's {category} table"
                    ),
                    finding: Some(missing(
                        rule,
                        &o.endpoint,
                        format!(
                            "HiBob refused {} (HTTP {}): the group may read neither the {category} sections nor their histories for a visible employee.",
                            o.endpoint, r.status
                        ),
                        Some(r.status),
                    )),
                },
                CallOutcome::Failed(f) if f.status == Some(404) => unknown(
                    "HTTP 404",
                    "HiBob answered 404 for this employee's table: nothing can be concluded",
                ),
                CallOutcome::Failed(f) => {
                    let code = failed(&o.endpoint, f, sink);
                    let mut c = Check::new(
                        format!("history:{}", rule.table.segment()),
                        CheckStatus::Unknown,
                        format!("{category} section histories ({})", o.endpoint),
                    )
                    .sourced(&rule.source);
                    c.category = Some(category.to_string());
                    c.permission = Some(permissions::category_history(category));
                    c.evidence = f.status.map_or("no answer".into(), |s| format!("HTTP {s}"));
                    c.reason = "the call could not be completed".into();
                    c.findings = vec![code];
                    sink.check(c);
                    continue;
                }
            },
        };
        let mut c = Check::new(
            format!("history:{}", rule.table.segment()),
            verdict.status,
            format!(
                "{category} section histories (GET /people/{{id}}/{})",
                rule.table.segment()
            ),
        )
        .sourced(&rule.source);
        c.category = Some(category.to_string());
        c.permission = Some(permissions::category_history(category));
        c.evidence = verdict.evidence;
        c.reason = verdict.reason;
        if let Some(f) = verdict.finding {
            let fix = f.fix.clone();
            let code = f.code;
            let effect = sink.finding(f);
            c.status = effect.status();
            c.reason = effect.annotate(c.reason);
            c.fix = effect.fix(fix);
            c.findings = vec![code];
        }
        sink.check(c);
    }
}
