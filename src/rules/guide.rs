//! The guide's lines and the requirements that answer them: how each line is verified (a
//! probe, or by hand and why), and which requirements the guide never asks for.

use super::{GuideLine, LifecycleStatus, Provenance, Rules, TimeoffCapability};
use crate::permissions;

/// What kind of requirement answers a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Field,
    Category,
    Lifecycle,
    Timeoff,
    History,
    Docs,
    Manual,
}

/// One requirement of the rules, described for people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requirement<'a> {
    pub kind: Kind,
    /// What is required, e.g. "Name (root.firstName)".
    pub what: String,
    /// How the audit verifies it: the call and what it looks at, or "by hand" and why.
    pub verified_by: String,
    pub source: &'a Provenance,
}

impl Requirement<'_> {
    pub(crate) fn is_manual(&self) -> bool {
        self.kind == Kind::Manual
    }
}

impl TimeoffCapability {
    /// The call that proves the capability.
    pub fn endpoint(self) -> &'static str {
        match self {
            TimeoffCapability::WhosOut => "GET /timeoff/whosout",
            TimeoffCapability::OutToday => "GET /timeoff/outtoday",
            TimeoffCapability::Requests => "GET /timeoff/requests/changes",
            TimeoffCapability::PendingRequests => {
                "GET /timeoff/whosout?includePending=true, compared with the plain call"
            }
            TimeoffCapability::PrivateRequests => {
                "GET /timeoff/whosout?includePrivate=true, compared with the plain call"
            }
            TimeoffCapability::Balance => "GET /timeoff/employees/{id}/balance",
            TimeoffCapability::PolicyTypes => "GET /timeoff/policy-types",
        }
    }

    /// The HiBob box the capability needs.
    pub fn permission(self) -> permissions::TimeoffPermission {
        match self {
            TimeoffCapability::WhosOut
            | TimeoffCapability::OutToday
            | TimeoffCapability::Requests => permissions::WHOS_OUT,
            TimeoffCapability::PendingRequests => permissions::PENDING_REQUESTS,
            TimeoffCapability::PrivateRequests => permissions::PRIVATE_POLICY,
            TimeoffCapability::Balance => permissions::BALANCE,
            TimeoffCapability::PolicyTypes => permissions::TIMEOFF_SETTINGS,
        }
    }
}

fn statuses(list: &[LifecycleStatus]) -> String {
    list.iter()
        .map(|s| s.label())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Every requirement of the rules, in file order: fields, lifecycle, time off, manual.
pub fn requirements(rules: &Rules) -> Vec<Requirement<'_>> {
    let mut out = Vec::new();
    for f in &rules.fields {
        out.push(Requirement {
            kind: Kind::Field,
            what: format!("{} ({})", f.purpose, f.id),
            verified_by: format!(
                "POST /people/search: is `{}` in each visible employee's record (its category in the tenant's metadata must be viewable)",
                f.id
            ),
            source: &f.source,
        });
    }
    for c in &rules.categories {
        out.push(Requirement {
            kind: Kind::Category,
            what: format!("the {} category", c.name),
            verified_by: format!(
                "POST /people/search: are representative fields of {} (from the tenant's metadata) in each visible employee's record",
                c.name
            ),
            source: &c.source,
        });
    }
    if let Some(l) = &rules.lifecycle {
        out.push(Requirement {
            kind: Kind::Lifecycle,
            what: format!("Lifecycle statuses {}", statuses(&l.statuses)),
            verified_by: "POST /people/search: visible employees per internal.lifecycleStatus (needs the Lifecycle category readable)".into(),
            source: &l.source,
        });
    }
    for n in rules.timeoff.iter().flat_map(|t| &t.require) {
        out.push(Requirement {
            kind: Kind::Timeoff,
            what: format!(
                "Time off: {} (in HiBob: {})",
                n.capability.as_str(),
                n.capability.permission().path()
            ),
            verified_by: n.capability.endpoint().to_string(),
            source: &n.source,
        });
    }
    for h in &rules.histories {
        out.push(Requirement {
            kind: Kind::History,
            what: format!(
                "View selected employees' {} section histories",
                h.table.category()
            ),
            verified_by: format!(
                "GET /people/{{id}}/{} for one visible employee: more than one row, or a past row, proves the history",
                h.table.segment()
            ),
            source: &h.source,
        });
    }
    for f in rules.docs.iter().flat_map(|d| &d.folders) {
        out.push(Requirement {
            kind: Kind::Docs,
            what: format!(
                "Docs > {}: View selected employees' docs in the folder",
                f.folder
            ),
            verified_by:
                "GET /docs/people/{id} for one visible employee: a document of the folder proves it"
                    .into(),
            source: &f.source,
        });
    }
    for m in &rules.manual {
        out.push(Requirement {
            kind: Kind::Manual,
            what: m.permission.clone(),
            verified_by: format!("by hand: {}", m.reason),
            source: &m.source,
        });
    }
    out
}

/// One line of the guide and the requirements that quote it.
#[derive(Debug, Clone)]
pub struct Line<'a> {
    pub text: String,
    pub section: Option<String>,
    pub answers: Vec<Requirement<'a>>,
}

/// The guide's lines in its order, each with what answers it. Without `[[guide]]` lines, the
/// quoted texts in the order they first appear.
pub fn coverage(rules: &Rules) -> Vec<Line<'_>> {
    let reqs = requirements(rules);
    let lines: Vec<GuideLine> = if rules.guide_lines.is_empty() {
        let mut quoted: Vec<GuideLine> = Vec::new();
        for q in reqs.iter().flat_map(|r| &r.source.guide_text) {
            if !quoted.iter().any(|l| &l.text == q) {
                quoted.push(GuideLine {
                    text: q.clone(),
                    section: None,
                });
            }
        }
        quoted
    } else {
        rules.guide_lines.clone()
    };
    lines
        .into_iter()
        .map(|l| Line {
            answers: reqs
                .iter()
                .filter(|r| r.source.guide_text.contains(&l.text))
                .cloned()
                .collect(),
            text: l.text,
            section: l.section,
        })
        .collect()
}

/// The requirements the guide does not ask for, with why they are there.
pub fn inferred(rules: &Rules) -> Vec<Requirement<'_>> {
    requirements(rules)
        .into_iter()
        .filter(|r| r.source.inferred.is_some())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const RULES: &str = r#"
[integration]
name = "x"

[[guide]]
text = "People > Basic Info | Name"
[[guide]]
text = "Add the service user to the group"

[[fields]]
id = "root.firstName"
purpose = "Name"
guide_text = "People > Basic Info | Name"

[[fields]]
id = "work.title"
purpose = "Job title"
inferred = "the product shows titles"

[[manual]]
id = "members"
permission = "Group members: the service user"
reason = "group membership is invisible to the API"
guide_text = "Add the service user to the group"
"#;

    #[test]
    fn every_line_has_its_answers_in_the_guides_order() {
        let rules = super::super::parse(RULES, "x").unwrap_or_else(|e| panic!("{e}"));
        let lines = coverage(&rules);
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].answers.len(), 1);
        assert_eq!(lines[0].answers[0].kind, Kind::Field);
        assert!(lines[1].answers[0].is_manual());
        let inf = inferred(&rules);
        assert_eq!(inf.len(), 1);
        assert_eq!(inf[0].what, "Job title (work.title)");
    }

    #[test]
    fn a_line_nobody_answers_is_a_problem_of_the_file() {
        let text = RULES.replace(
            "guide_text = \"Add the service user to the group\"",
            "inferred = \"x\"",
        );
        let err = super::super::parse(&text, "x").unwrap_err();
        assert_eq!(err.problems.len(), 1, "{err}");
        assert!(
            err.problems[0]
                .message
                .contains("answered by no requirement"),
            "{err}"
        );
        assert_eq!(err.problems[0].line, 7);
    }

    #[test]
    fn a_quote_that_is_not_a_line_is_a_problem_of_the_file() {
        let text = RULES.replace(
            "guide_text = \"People > Basic Info | Name\"",
            "guide_text = \"People > Basic info | Name\"",
        );
        let err = super::super::parse(&text, "x").unwrap_err();
        let messages: Vec<&str> = err.problems.iter().map(|p| p.message.as_str()).collect();
        assert!(
            messages
                .iter()
                .any(|m| m.contains("is not one of the [[guide]] lines")),
            "{err}"
        );
    }

    #[test]
    fn guide_text_and_inferred_exclude_each_other() {
        let text = RULES.replace(
            "inferred = \"the product shows titles\"",
            "inferred = \"the product shows titles\"\nguide_text = \"People > Basic Info | Name\"",
        );
        let err = super::super::parse(&text, "x").unwrap_err();
        assert!(
            err.to_string().contains("both `guide_text` and `inferred`"),
            "{err}"
        );
    }
}
