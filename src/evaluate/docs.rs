//! Docs folders (`[docs]`): one visible employee's documents. A refusal means no folder is
//! viewable; a document that names its folder proves that folder; anything else proves nothing
//! about a given folder, and says so.

use super::access::failed;
use super::{Sink, unknown_reason};
use crate::observations::{CallOutcome, DocsAnswer, Observations, ProbeRun};
use crate::permissions;
use crate::report::{Check, CheckStatus, Code, Finding};
use crate::rules::{DocsFolder, Rules};

fn check(f: &DocsFolder, status: CheckStatus, evidence: String, reason: String) -> Check {
    let mut c = Check::new(
        format!("docs:{}", f.folder.to_lowercase().replace(' ', "-")),
        status,
        format!(
            "Docs > {}: view the folder's documents (GET /docs/people/{{id}})",
            f.folder
        ),
    )
    .sourced(&f.source);
    c.category = Some("Docs".into());
    c.permission = Some(permissions::docs_view(&f.folder));
    c.evidence = evidence;
    c.reason = reason;
    c
}

/// The folder named by the documents, case-insensitively.
fn names(answer: &DocsAnswer, folder: &str) -> bool {
    answer
        .folders
        .iter()
        .any(|f| f.eq_ignore_ascii_case(folder))
}

pub(super) fn evaluate(rules: &Rules, obs: &Observations, sink: &mut Sink) {
    let Some(rule) = &rules.docs else { return };
    let observed = match &obs.docs {
        None => {
            for f in &rule.folders {
                sink.check(check(
                    f,
                    CheckStatus::Unknown,
                    "not probed".into(),
                    unknown_reason(obs).into(),
                ));
            }
            return;
        }
        Some(ProbeRun::NotRun(why)) => {
            for f in &rule.folders {
                sink.check(check(
                    f,
                    CheckStatus::Unknown,
                    "not run".into(),
                    why.clone(),
                ));
            }
            return;
        }
        Some(ProbeRun::Ran(o)) => o,
    };
    match &observed.outcome {
        CallOutcome::Refused(r) => {
            for folder in &rule.folders {
                let mut f = Finding::new(
                    Code::DocsPermissionMissing,
                    rule.level,
                    format!(
                        "HiBob refused {} (HTTP {}): the group may view no docs folder of a visible employee, {} included.",
                        observed.endpoint, r.status, folder.folder
                    ),
                );
                f.fix = Some(format!(
                    "In HiBob, open {} > People's data > Docs > {}, tick \"View selected employees' docs in the folder\"; then Save.",
                    permissions::GROUP_PATH,
                    folder.folder
                ));
                f.category = Some(format!("Docs > {}", folder.folder));
                f.endpoint = Some(observed.endpoint.clone());
                f.permission = Some(permissions::docs_view(&folder.folder));
                f.evidence.http_status = Some(r.status);
                let fix = f.fix.clone();
                let effect = sink.finding(f);
                let mut c = check(
                    folder,
                    effect.status(),
                    format!("HTTP {}", r.status),
                    effect.annotate("refused: no folder is viewable".into()),
                );
                c.fix = effect.fix(fix);
                c.findings = vec![Code::DocsPermissionMissing];
                sink.check(c);
            }
        }
        CallOutcome::Failed(fail) if fail.status == Some(404) => {
            for f in &rule.folders {
                sink.check(check(
                    f,
                    CheckStatus::Unknown,
                    "HTTP 404".into(),
                    "HiBob answered 404: the employee or the Docs module is not there; nothing can be concluded".into(),
                ));
            }
        }
        CallOutcome::Failed(fail) => {
            let code = failed(&observed.endpoint, fail, sink);
            for f in &rule.folders {
                let mut c = check(
                    f,
                    CheckStatus::Unknown,
                    fail.status
                        .map_or("no answer".into(), |s| format!("HTTP {s}")),
                    "the call could not be completed".into(),
                );
                c.findings = vec![code];
                sink.check(c);
            }
        }
        CallOutcome::Answered(a) => {
            for f in &rule.folders {
                let (status, evidence, reason) = if names(a, &f.folder) {
                    (
                        CheckStatus::Pass,
                        format!("{} document(s), some in {}", a.documents, f.folder),
                        "a document of the folder came back, so the folder is viewable".to_string(),
                    )
                } else if a.empty {
                    (
                        CheckStatus::Unknown,
                        "HTTP 200, no documents list".to_string(),
                        "HiBob answered without the documented list: the permission may be missing; check it in HiBob".to_string(),
                    )
                } else if a.documents == 0 {
                    (
                        CheckStatus::Unknown,
                        "0 documents".to_string(),
                        format!(
                            "no document came back: this employee may have none in {}, or the folder is not viewable (HiBob answers alike); check it in HiBob",
                            f.folder
                        ),
                    )
                } else if a.folders.is_empty() {
                    (
                        CheckStatus::Unknown,
                        format!("{} document(s), folders not named", a.documents),
                        format!(
                            "documents came back, so some folder is viewable, but HiBob's list does not say which; check {} in HiBob",
                            f.folder
                        ),
                    )
                } else {
                    (
                        CheckStatus::Unknown,
                        format!("{} document(s), none in {}", a.documents, f.folder),
                        format!(
                            "documents of other folders came back: this employee may have none in {}, or the folder is not viewable; check it in HiBob",
                            f.folder
                        ),
                    )
                };
                sink.check(check(f, status, evidence, reason));
            }
        }
    }
}
