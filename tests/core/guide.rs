//! What the vendor's guide asks for, and what it leaves out: inferred requirements the guide
//! never asks for (Truto's profile), a guide that words a box otherwise, and lines only a
//! person can confirm.

use hibob_audit::observations::{CallOutcome, TimeoffAnswer, TimeoffProbe as P};
use hibob_audit::report::{CheckStatus, Code, Level, Outcome};

use crate::build::{Tenant, absent, outs, refused};
use crate::scenario::{
    Scenario, check, codes, finding, findings, fix_of, no_findings, run, says, status,
};

const EMPLOYMENT: &[&str] = &["payroll.employment.type", "payroll.employment.contract"];

fn answered<T>(answer: T) -> CallOutcome<T> {
    CallOutcome::Answered(answer)
}

pub fn scenarios() -> Vec<Scenario> {
    vec![
        truto_granted(),
        truto_gaps(),
        truto_field_hidden(),
        wording_differs(),
        manual(),
    ]
}

/// Truto's tenant with every lifecycle status, and every time-off call answered.
fn truto_tenant() -> Tenant {
    Tenant::new()
        .lifecycle(&[
            ("employed", 5),
            ("hired", 1),
            ("terminated", 1),
            ("leave", 1),
            ("garden leave", 1),
            ("parental leave", 1),
        ])
        .timeoff(
            P::PolicyTypes,
            answered(TimeoffAnswer::PolicyTypes(vec!["Holiday".into()])),
        )
        .timeoff(P::WhosOut, answered(outs(3)))
        .timeoff(P::WhosOutPrivate, answered(outs(4)))
        .timeoff(P::WhosOutPending, answered(outs(5)))
        .timeoff(P::OutToday, answered(outs(1)))
        .timeoff(
            P::RequestChanges,
            answered(TimeoffAnswer::Changes { count: 2 }),
        )
        .timeoff(P::Balance, answered(TimeoffAnswer::Balance))
}

/// The group grants what Truto reads, beyond the guide: every omission is an info.
fn truto_granted() -> Scenario {
    Scenario::profile("guide-omits-truto-granted", "truto", truto_tenant())
}

/// The group follows Truto's guide for Work and Employment (not ticked) and for the pending
/// and balance boxes (not granted): the omissions are warnings.
fn truto_gaps() -> Scenario {
    Scenario::profile(
        "guide-omits-truto-gaps",
        "truto",
        truto_tenant()
            .fields(
                &[
                    "work.title",
                    "work.department",
                    "work.startDate",
                    "work.reportsTo",
                    "work.employeeIdInCompany",
                ],
                absent(),
            )
            .fields(EMPLOYMENT, absent())
            .timeoff(P::WhosOutPending, refused(403, false))
            .timeoff(P::Balance, refused(403, false)),
    )
}

/// Work granted, but Job title hidden by a field-level permission.
fn truto_field_hidden() -> Scenario {
    Scenario::profile(
        "guide-omits-truto-field-hidden",
        "truto",
        truto_tenant().field("work.title", absent()),
    )
}

/// The guide names two time-off boxes in its own words: granted, a wording info; refused, the
/// finding quotes both. A line that names HiBob's box says nothing more.
fn wording_differs() -> Scenario {
    Scenario::new(
        "guide-wording-differs",
        r#"
[[guide]]
text = "Allow access to employees' leave allowance"
[[guide]]
text = "Absence calendar"
[[guide]]
text = "Time off > See who's out"
[timeoff]
require = [
  { capability = "balance", guide_text = "Allow access to employees' leave allowance" },
  { capability = "out-today", guide_text = "Absence calendar" },
  { capability = "whos-out", guide_text = "Time off > See who's out" },
]
"#,
        Tenant::new()
            .timeoff(P::WhosOut, answered(outs(2)))
            .timeoff(P::OutToday, refused(403, false))
            .timeoff(P::Balance, answered(TimeoffAnswer::Balance)),
    )
}

/// Lines of the guide a read-only audit cannot prove: confirmed by hand, never a verdict.
fn manual() -> Scenario {
    Scenario::new(
        "manual",
        r#"
[[guide]]
text = "Add only the service user to the group"
[[guide]]
text = "Tick Features > Time off: every box"
[[guide]]
text = "People > Work"
[[fields]]
id = "work.title"
purpose = "Job title"
guide_text = "People > Work"
[[manual]]
id = "members"
category = "Group members"
permission = "Settings > Permission groups > (the group) > Group members: the service user only"
reason = "group membership is invisible to the API"
guide_text = "Add only the service user to the group"
[[manual]]
id = "features-timeoff"
category = "Features"
permission = "Features > Time off: every box"
reason = "those boxes manage time off; proving them would need a write"
guide_text = "Tick Features > Time off: every box"
"#,
        Tenant::new(),
    )
}

#[test]
fn truto_reads_beyond_its_guide_and_the_report_says_so() {
    let report = run(&truto_granted());
    let omitted = findings(&report, Code::GuideOmitsPermission);
    assert!(!omitted.is_empty());
    for f in &omitted {
        assert_eq!(f.level, Level::Info, "{}", f.message);
        says(&f.message, "Truto's guide does not ask for");
        says(&f.message, "grants it anyway");
    }
    let categories: Vec<_> = omitted
        .iter()
        .filter_map(|f| f.category.as_deref())
        .collect();
    for c in [
        "Basic info",
        "Employment",
        "Lifecycle",
        "Work",
        "Work contact details",
    ] {
        assert!(categories.contains(&c), "{c} in {categories:?}");
    }
    let work = check(&report, "field:work.title");
    assert_eq!(work.status, CheckStatus::Pass);
    assert_eq!(work.findings, [Code::GuideOmitsPermission]);
    assert!(work.inferred.is_some());
    assert_eq!(report.outcome(), Outcome::Pass);
}

#[test]
fn what_truto_leaves_out_is_a_warning_where_the_group_follows_the_guide() {
    let report = run(&truto_gaps());
    let omitted = findings(&report, Code::GuideOmitsPermission);
    let level_of = |category: &str| {
        omitted
            .iter()
            .find(|f| f.category.as_deref() == Some(category))
            .map(|f| f.level)
    };
    assert_eq!(level_of("Work"), Some(Level::Warning));
    assert_eq!(level_of("Employment"), Some(Level::Warning));
    assert_eq!(level_of("Basic info"), Some(Level::Info));
    let timeoff: Vec<_> = omitted.iter().filter(|f| f.category.is_none()).collect();
    let balance = timeoff
        .iter()
        .find(|f| f.message.contains("balance"))
        .expect("the balance box's omission");
    assert_eq!(balance.level, Level::Warning);
    let whos_out = timeoff
        .iter()
        .find(|f| f.message.contains("whos-out"))
        .expect("the who's-out box's omission");
    assert_eq!(whos_out.level, Level::Info);
    assert_eq!(status(&report, "field:work.title"), CheckStatus::Fail);
    assert_eq!(status(&report, "timeoff:balance"), CheckStatus::Fail);
    assert_eq!(report.outcome(), Outcome::Fail);
}

/// Work is ticked (four of its fields come back) but a field-level permission hides Job title:
/// the guide's omission of Work is no longer the cause, so it is an info that keeps Work ticked,
/// not a warning whose fix says to tick what is ticked. The hidden field fails on its own.
#[test]
fn a_category_granted_with_one_field_hidden_is_granted_anyway() {
    let report = run(&truto_field_hidden());
    let omitted = findings(&report, Code::GuideOmitsPermission);
    let work = omitted
        .iter()
        .find(|f| f.category.as_deref() == Some("Work"))
        .expect("Work's omission");
    assert_eq!(work.level, Level::Info, "{}", work.message);
    says(&work.message, "grants it anyway");
    assert!(
        !work.message.contains("readable for all"),
        "{}",
        work.message
    );
    says(fix_of(work), "keep Work ticked");
    let hidden = finding(&report, Code::CategoryNotReadable);
    says(&hidden.message, "Work is ticked");
    assert_eq!(status(&report, "field:work.title"), CheckStatus::Fail);
}

#[test]
fn a_guide_in_its_own_words_is_quoted_beside_hibobs() {
    let report = run(&wording_differs());
    let wording = finding(&report, Code::GuideWordingDiffers);
    assert_eq!(wording.level, Level::Info);
    says(
        &wording.message,
        "Your guide says \"Allow access to employees' leave allowance\"; in HiBob this is",
    );
    let refused = finding(&report, Code::TimeoffPermissionMissing);
    says(&refused.message, "Your guide says \"Absence calendar\"");
    assert_eq!(
        check(&report, "timeoff:balance").findings,
        [Code::GuideWordingDiffers]
    );
    assert!(check(&report, "timeoff:whos-out").findings.is_empty());
    assert_eq!(codes(&report).len(), 2);
}

#[test]
fn manual_lines_are_confirmed_by_hand_and_never_decide() {
    let report = run(&manual());
    no_findings(&report);
    let manual = report.manual_checks();
    let ids: Vec<_> = manual.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["manual:members", "manual:features-timeoff"]);
    let members = check(&report, "manual:members");
    assert_eq!(members.category.as_deref(), Some("Group members"));
    assert_eq!(
        members.guide_text,
        ["Add only the service user to the group"]
    );
    assert_eq!(report.summary().manual, 2);
    assert_eq!(report.outcome(), Outcome::Pass);
}
