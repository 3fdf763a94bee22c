//! `hibob-audit diff OLD NEW`: two JSON reports in, what changed out. Pure: no file, no
//! terminal, no clock. The files are read by the cli; the result is rendered by `render::diff`.
//!
//! Reports are untrusted input. Only the keys a comparison needs are read (unknown keys are
//! ignored, so additive changes within a format version do not break it); finding codes are
//! kept as text, so codes newer than this hibob-audit still compare.

use std::collections::{BTreeMap, VecDeque};

use serde::Serialize;

use crate::report::{CheckStatus, Level, Outcome};

mod read;

pub(crate) use read::{CheckDoc, FindingDoc, Input, KIND, MAX_REPORT_BYTES, ReportDoc, parse_pair};

/// What happened to one check between the two reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum CheckChangeKind {
    /// It failed, warned or was unknown, and now passes.
    Fixed,
    /// It now fails or warns, and did not before (passed, was to confirm by hand, was not in
    /// the old report), or it warned and now fails.
    New,
    /// It was unknown, and now fails or warns.
    NowKnown,
    /// It failed or warned, and still does (a failure that became a warning included).
    StillFailing,
    /// It passed, failed or warned, and now cannot be judged.
    NowUnknown,
    /// It could not be judged in either report.
    StillUnknown,
    /// Not in the old report; it passes, is unknown or is to confirm by hand.
    Added,
    /// In the old report only.
    Removed,
}

impl CheckChangeKind {
    /// Every kind, in the order the renderers list them.
    pub(crate) const ALL: [CheckChangeKind; 8] = [
        CheckChangeKind::Fixed,
        CheckChangeKind::New,
        CheckChangeKind::NowKnown,
        CheckChangeKind::StillFailing,
        CheckChangeKind::NowUnknown,
        CheckChangeKind::StillUnknown,
        CheckChangeKind::Added,
        CheckChangeKind::Removed,
    ];

    /// The kind of a status change; `None` when nothing worth telling changed (a check that
    /// passes in both, or is to confirm by hand in both).
    fn of(old: Option<CheckStatus>, new: Option<CheckStatus>) -> Option<Self> {
        use CheckStatus::{Fail, Manual, Pass, Unknown, Warn};
        Some(match (old, new) {
            (_, None) => CheckChangeKind::Removed,
            (Some(Fail | Warn | Unknown), Some(Pass)) => CheckChangeKind::Fixed,
            (Some(Unknown), Some(Fail | Warn)) => CheckChangeKind::NowKnown,
            (Some(Warn), Some(Fail)) => CheckChangeKind::New,
            (Some(Fail | Warn), Some(Fail | Warn)) => CheckChangeKind::StillFailing,
            (None | Some(Pass | Manual), Some(Fail | Warn)) => CheckChangeKind::New,
            (Some(Unknown), Some(Unknown)) => CheckChangeKind::StillUnknown,
            (Some(Pass | Fail | Warn), Some(Unknown)) => CheckChangeKind::NowUnknown,
            (None, Some(Pass | Unknown | Manual)) => CheckChangeKind::Added,
            // Passing or to confirm by hand in both, or a check the rules now leave to the
            // admin (or no longer do): nothing the audit can compare.
            (Some(_), Some(Pass | Manual)) | (Some(Manual), Some(Unknown)) => return None,
        })
    }
}

/// How bad a status is for the outcome: fail over warn over the rest.
fn rank(s: Option<CheckStatus>) -> u8 {
    match s {
        Some(CheckStatus::Fail) => 2,
        Some(CheckStatus::Warn) => 1,
        _ => 0,
    }
}

/// One check that changed, or still fails, warns or is unknown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct CheckChange {
    pub id: String,
    pub change: CheckChangeKind,
    /// The status in the old report; `None` when the check was not in it.
    pub old: Option<CheckStatus>,
    /// The status in the new report; `None` when the check is not in it.
    pub new: Option<CheckStatus>,
    /// From the new report (the old one for a removed check).
    pub category: Option<String>,
    pub what: String,
    /// It now fails or warns where it did not (or warned and now fails), or it passed and
    /// now cannot be judged.
    pub worse: bool,
}

impl CheckChange {
    fn new(old: Option<&CheckDoc>, new: Option<&CheckDoc>) -> Option<Self> {
        let (os, ns) = (old.map(|c| c.status), new.map(|c| c.status));
        let change = CheckChangeKind::of(os, ns)?;
        let doc = new.or(old)?;
        Some(CheckChange {
            id: doc.id.clone(),
            change,
            old: os,
            new: ns,
            category: doc.category.clone(),
            what: doc.what.clone(),
            worse: rank(ns) > rank(os)
                || (os == Some(CheckStatus::Pass) && ns == Some(CheckStatus::Unknown)),
        })
    }

    /// Better than before: fixed, or a failure that is now a warning.
    fn better(&self) -> bool {
        self.change == CheckChangeKind::Fixed || rank(self.new) < rank(self.old)
    }
}

/// What happened to one finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum FindingChangeKind {
    Appeared,
    LevelChanged,
    Gone,
}

impl FindingChangeKind {
    pub(crate) const ALL: [FindingChangeKind; 3] = [
        FindingChangeKind::Appeared,
        FindingChangeKind::LevelChanged,
        FindingChangeKind::Gone,
    ];
}

/// A finding that appeared, went away, or changed level. Findings are the same finding when
/// their code, category, fields, endpoint and lifecycle status are the same.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct FindingChange {
    pub change: FindingChangeKind,
    /// As the new report has it (the old one, for a finding that went away).
    #[serde(flatten)]
    pub finding: FindingDoc,
    /// The level in the old report, for a finding whose level changed.
    pub old_level: Option<Level>,
    /// An error-level finding that appeared, or a finding that became an error.
    pub worse: bool,
}

impl FindingChange {
    fn new(old: Option<&FindingDoc>, new: Option<&FindingDoc>) -> Option<Self> {
        let (change, doc, old_level) = match (old, new) {
            (None, Some(n)) => (FindingChangeKind::Appeared, n, None),
            (Some(o), None) => (FindingChangeKind::Gone, o, None),
            (Some(o), Some(n)) if o.level != n.level => {
                (FindingChangeKind::LevelChanged, n, Some(o.level))
            }
            _ => return None,
        };
        let worse = change != FindingChangeKind::Gone
            && doc.level == Level::Error
            && old_level != Some(Level::Error);
        Some(FindingChange {
            change,
            finding: doc.clone(),
            old_level,
            worse,
        })
    }

    fn better(&self) -> bool {
        match (self.change, self.old_level) {
            (FindingChangeKind::Gone, _) => true,
            (FindingChangeKind::LevelChanged, Some(old)) => self.finding.level < old,
            _ => false,
        }
    }
}

/// One report's side of the comparison.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Side {
    pub outcome: Outcome,
    pub target: Option<String>,
    pub tool_version: Option<String>,
}

impl Side {
    fn of(doc: &ReportDoc) -> Self {
        Side {
            outcome: doc.outcome,
            target: doc.target.as_ref().and_then(|t| t.base_url.clone()),
            tool_version: doc.tool.as_ref().and_then(|t| t.version.clone()),
        }
    }
}

/// The verdict of a comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Verdict {
    /// Something got worse (exit 1).
    Worse,
    /// Nothing got worse, and something got better.
    Better,
    /// Something changed, neither better nor worse (a failure that cannot be judged now, a
    /// check that is gone).
    NotWorse,
    /// Nothing changed.
    Unchanged,
}

/// Counts of a comparison.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub(crate) struct DiffSummary {
    pub fixed: usize,
    pub new: usize,
    pub now_known: usize,
    pub still_failing: usize,
    pub now_unknown: usize,
    pub still_unknown: usize,
    pub added: usize,
    pub removed: usize,
    pub findings_appeared: usize,
    pub findings_level_changed: usize,
    pub findings_gone: usize,
    /// Findings that appeared at error level, or became errors.
    pub errors_appeared: usize,
}

/// What changed between two reports of the same rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Comparison {
    pub profile: String,
    pub old: Side,
    pub new: Side,
    /// Checks that changed, or still fail, warn or are unknown: grouped by kind in the order
    /// of [`CheckChangeKind::ALL`], each group in report order.
    pub checks: Vec<CheckChange>,
    /// Findings that appeared, changed level or went away, in that order, each group in report
    /// order.
    pub findings: Vec<FindingChange>,
}

/// Pairs the items of two lists by key, in the order of `new` and then the rest of `old`.
/// Items with the same key pair in their order, so a key repeated in one list is not lost.
fn pair<'a, T, K: Ord>(
    old: &'a [T],
    new: &'a [T],
    key: impl Fn(&T) -> K,
) -> Vec<(Option<&'a T>, Option<&'a T>)> {
    let mut by_key: BTreeMap<K, VecDeque<usize>> = BTreeMap::new();
    for (i, item) in old.iter().enumerate() {
        by_key.entry(key(item)).or_default().push_back(i);
    }
    let mut used = vec![false; old.len()];
    let mut out = Vec::with_capacity(new.len());
    for item in new {
        let matched = by_key.get_mut(&key(item)).and_then(VecDeque::pop_front);
        if let Some(i) = matched {
            used[i] = true;
        }
        out.push((matched.and_then(|i| old.get(i)), Some(item)));
    }
    for (item, used) in old.iter().zip(used) {
        if !used {
            out.push((Some(item), None));
        }
    }
    out
}

/// Compares two reports (of the same rules: see [`parse_pair`]).
pub(crate) fn compare(old: &ReportDoc, new: &ReportDoc) -> Comparison {
    let mut checks: Vec<CheckChange> = pair(&old.checks, &new.checks, |c| c.id.clone())
        .into_iter()
        .filter_map(|(o, n)| CheckChange::new(o, n))
        .collect();
    // A stable sort keeps report order within each kind.
    checks.sort_by_key(|c| c.change);
    let mut findings: Vec<FindingChange> = pair(&old.findings, &new.findings, FindingDoc::key)
        .into_iter()
        .filter_map(|(o, n)| FindingChange::new(o, n))
        .collect();
    findings.sort_by_key(|f| f.change);
    Comparison {
        profile: new.profile.clone(),
        old: Side::of(old),
        new: Side::of(new),
        checks,
        findings,
    }
}

impl Comparison {
    /// Whether something got worse: a check (see [`CheckChange::worse`]) or a finding that is
    /// now an error.
    pub(crate) fn worse(&self) -> bool {
        self.checks.iter().any(|c| c.worse) || self.findings.iter().any(|f| f.worse)
    }

    pub(crate) fn verdict(&self) -> Verdict {
        let changed = self.checks.iter().any(|c| c.old != c.new) || !self.findings.is_empty();
        if self.worse() {
            Verdict::Worse
        } else if self.checks.iter().any(CheckChange::better)
            || self.findings.iter().any(FindingChange::better)
        {
            Verdict::Better
        } else if changed {
            Verdict::NotWorse
        } else {
            Verdict::Unchanged
        }
    }

    /// The checks of one kind, in order.
    pub(crate) fn checks_of(&self, kind: CheckChangeKind) -> impl Iterator<Item = &CheckChange> {
        self.checks.iter().filter(move |c| c.change == kind)
    }

    /// The findings of one kind, in order.
    pub(crate) fn findings_of(
        &self,
        kind: FindingChangeKind,
    ) -> impl Iterator<Item = &FindingChange> {
        self.findings.iter().filter(move |f| f.change == kind)
    }

    pub(crate) fn summary(&self) -> DiffSummary {
        let c = |k| self.checks_of(k).count();
        let f = |k| self.findings_of(k).count();
        DiffSummary {
            fixed: c(CheckChangeKind::Fixed),
            new: c(CheckChangeKind::New),
            now_known: c(CheckChangeKind::NowKnown),
            still_failing: c(CheckChangeKind::StillFailing),
            now_unknown: c(CheckChangeKind::NowUnknown),
            still_unknown: c(CheckChangeKind::StillUnknown),
            added: c(CheckChangeKind::Added),
            removed: c(CheckChangeKind::Removed),
            findings_appeared: f(FindingChangeKind::Appeared),
            findings_level_changed: f(FindingChangeKind::LevelChanged),
            findings_gone: f(FindingChangeKind::Gone),
            errors_appeared: self.findings.iter().filter(|f| f.worse).count(),
        }
    }
}

#[cfg(test)]
mod tests;
