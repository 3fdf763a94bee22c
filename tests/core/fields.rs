//! People's data: required fields and whole categories, readable or not.

use hibob_audit::report::{CheckStatus, Code, Level, Outcome};

use crate::build::{Tenant, absent, empty, partly, some_empty};
use crate::scenario::{
    Scenario, check, codes, finding, findings, fix_of, no_findings, run, says, status,
};

const WORK: &[&str] = &[
    "work.title",
    "work.department",
    "work.startDate",
    "work.reportsTo",
    "work.employeeIdInCompany",
];

const PAYROLL: &[&str] = &[
    "payroll.salary.base",
    "payroll.salary.payFrequency",
    "payroll.salary.currency",
    "payroll.salary.bank",
];

pub fn scenarios() -> Vec<Scenario> {
    vec![
        fields_readable(),
        category_not_readable(),
        category_partly_readable(),
        field_empty(),
        field_unknown(),
        field_in_other_category(),
        field_hidden(),
        whole_categories(),
        category_and_field_together(),
    ]
}

fn fields_readable() -> Scenario {
    Scenario::new(
        "fields-readable",
        r#"
[[fields]]
id = "root.email"
purpose = "Work email"
[[fields]]
id = "work.title"
purpose = "Job title"
[[fields]]
id = "work.department"
purpose = "Department"
"#,
        Tenant::new().field("work.department", some_empty(3)),
    )
}

fn category_not_readable() -> Scenario {
    Scenario::new(
        "category-not-readable",
        r#"
[[fields]]
id = "root.firstName"
purpose = "First name"
[[fields]]
id = "work.title"
purpose = "Job title"
[[fields]]
id = "work.department"
purpose = "Department"
"#,
        Tenant::new().fields(WORK, absent()),
    )
}

fn category_partly_readable() -> Scenario {
    Scenario::new(
        "category-partly-readable",
        r#"
[[fields]]
id = "work.title"
purpose = "Job title"
[[fields]]
id = "work.department"
purpose = "Department"
level = "warning"
"#,
        Tenant::new()
            .field("work.title", partly(6))
            .field("work.department", partly(4)),
    )
}

fn field_empty() -> Scenario {
    Scenario::new(
        "field-empty",
        r#"
[[fields]]
id = "work.startDate"
purpose = "Start date"
"#,
        Tenant::new().field("work.startDate", empty()),
    )
}

fn field_unknown() -> Scenario {
    Scenario::new(
        "field-unknown",
        r#"
[[fields]]
id = "work.title"
purpose = "Job title"
[[fields]]
id = "work.costCenter"
purpose = "Cost center"
"#,
        Tenant::new(),
    )
}

/// Two fields the guide puts elsewhere: one readable (an info), one not (the category's fix
/// quotes the guide and names the tenant's category).
fn field_in_other_category() -> Scenario {
    Scenario::new(
        "field-in-other-category",
        r#"
[[guide]]
text = "People > Work contact details | Work Email"
[[guide]]
text = "People > Work | Employment Type"
[[fields]]
id = "root.email"
purpose = "Work Email"
guide_categories = ["Work contact details"]
guide_text = "People > Work contact details | Work Email"
[[fields]]
id = "payroll.employment.type"
purpose = "Employment Type"
guide_categories = ["Work"]
guide_text = "People > Work | Employment Type"
"#,
        Tenant::new().fields(
            &["payroll.employment.type", "payroll.employment.contract"],
            absent(),
        ),
    )
}

/// The category is ticked (its other field came back), yet one field is absent for all:
/// field-level permissions or a sensitive field hide it.
fn field_hidden() -> Scenario {
    Scenario::new(
        "field-hidden",
        r#"
[[fields]]
id = "work.title"
purpose = "Job title"
[[fields]]
id = "work.employeeIdInCompany"
purpose = "Employee number"
"#,
        Tenant::new().field("work.employeeIdInCompany", absent()),
    )
}

/// `[[categories]]`: readable, not readable (named by ID), partly readable, not in the tenant,
/// and one whose fields the search was not asked for.
fn whole_categories() -> Scenario {
    Scenario::new(
        "categories",
        r#"
[[categories]]
name = "Address"
[[categories]]
name = "payroll"
[[categories]]
name = "Employment"
level = "warning"
[[categories]]
name = "EEO"
[[categories]]
name = "Work contact details"
"#,
        Tenant::new()
            .fields(PAYROLL, absent())
            .field("payroll.employment.type", partly(7))
            .field("payroll.employment.contract", partly(5))
            .unasked("work.workPhone")
            .unasked("work.workMobile"),
    )
}

/// A field of Payroll and Payroll as a whole, both unreadable: one finding names both.
fn category_and_field_together() -> Scenario {
    Scenario::new(
        "category-and-field-not-readable",
        r#"
[[fields]]
id = "payroll.salary.base"
purpose = "Base salary"
[[categories]]
name = "Payroll"
"#,
        Tenant::new().fields(PAYROLL, absent()),
    )
}

#[test]
fn readable_fields_pass_and_count_their_empty_values() {
    let report = run(&fields_readable());
    no_findings(&report);
    for id in [
        "field:root.email",
        "field:work.title",
        "field:work.department",
    ] {
        assert_eq!(status(&report, id), CheckStatus::Pass, "{id}");
    }
    let c = check(&report, "field:work.department");
    says(&c.evidence, "3 empty");
    assert_eq!(c.category.as_deref(), Some("Work"));
    assert_eq!(report.outcome(), Outcome::Pass);
}

#[test]
fn unreadable_fields_of_one_category_make_one_finding() {
    let report = run(&category_not_readable());
    let f = finding(&report, Code::CategoryNotReadable);
    assert_eq!(f.category.as_deref(), Some("Work"));
    assert_eq!(f.fields, ["work.title", "work.department"]);
    assert_eq!(f.evidence.fields.len(), 2);
    assert!(
        f.message
            .starts_with("The permission group cannot read the Work category"),
        "{}",
        f.message
    );
    assert_eq!(status(&report, "field:work.title"), CheckStatus::Fail);
    assert_eq!(status(&report, "field:work.department"), CheckStatus::Fail);
    assert_eq!(status(&report, "field:root.firstName"), CheckStatus::Pass);
    assert_eq!(report.outcome(), Outcome::Fail);
}

#[test]
fn partly_readable_fields_make_one_finding_at_the_highest_level() {
    let report = run(&category_partly_readable());
    let f = finding(&report, Code::CategoryPartlyReadable);
    assert_eq!(f.fields, ["work.title", "work.department"]);
    assert_eq!(f.level, Level::Error, "the strictest of the fields' levels");
    says(&f.message, "present for 6 of 10, absent for 4");
    assert_eq!(status(&report, "field:work.department"), CheckStatus::Fail);
}

#[test]
fn a_field_null_for_everyone_is_empty_not_unreadable() {
    let report = run(&field_empty());
    let f = finding(&report, Code::FieldEmpty);
    assert_eq!(f.level, Level::Warning);
    assert_eq!(f.evidence.fields[0].empty, 10);
    assert_eq!(status(&report, "field:work.startDate"), CheckStatus::Warn);
    assert_eq!(report.outcome(), Outcome::Pass);
}

#[test]
fn a_field_the_tenant_does_not_have_is_unknown() {
    let report = run(&field_unknown());
    assert_eq!(codes(&report), [Code::FieldUnknown]);
    assert_eq!(status(&report, "field:work.costCenter"), CheckStatus::Fail);
    assert_eq!(status(&report, "field:work.title"), CheckStatus::Pass);
}

#[test]
fn a_field_in_another_category_names_the_tenants_category() {
    let report = run(&field_in_other_category());
    let others: Vec<_> = findings(&report, Code::FieldInOtherCategory);
    assert_eq!(others.len(), 2, "{others:#?}");
    assert!(others.iter().all(|f| f.level == Level::Info));
    let email = others
        .iter()
        .find(|f| f.fields == ["root.email"])
        .expect("the email's finding");
    assert_eq!(email.category.as_deref(), Some("Basic info"));
    let gap = finding(&report, Code::CategoryNotReadable);
    says(
        fix_of(gap),
        "your guide says \"People > Work | Employment Type\"; in this tenant it is in Employment",
    );
    assert_eq!(status(&report, "field:root.email"), CheckStatus::Pass);
}

#[test]
fn a_field_hidden_in_a_readable_category_points_at_field_level_permissions() {
    let report = run(&field_hidden());
    let f = finding(&report, Code::CategoryNotReadable);
    assert_eq!(f.fields, ["work.employeeIdInCompany"]);
    says(
        &f.message,
        "although Job title (work.title) of the same category is readable",
    );
    says(fix_of(f), "People's fields");
    assert_eq!(status(&report, "field:work.title"), CheckStatus::Pass);
}

#[test]
fn whole_categories_are_judged_by_their_sample_fields() {
    let report = run(&whole_categories());
    assert_eq!(status(&report, "category:address"), CheckStatus::Pass);
    assert_eq!(status(&report, "category:payroll"), CheckStatus::Fail);
    assert_eq!(status(&report, "category:employment"), CheckStatus::Warn);
    assert_eq!(status(&report, "category:eeo"), CheckStatus::Warn);
    assert_eq!(
        status(&report, "category:work-contact-details"),
        CheckStatus::Unknown
    );
    let payroll = finding(&report, Code::CategoryNotReadable);
    assert_eq!(payroll.category.as_deref(), Some("Payroll"));
    assert_eq!(
        payroll.fields.len(),
        3,
        "the first three fields are samples"
    );
    let employment = finding(&report, Code::CategoryPartlyReadable);
    assert_eq!(employment.level, Level::Warning);
    assert_eq!(employment.evidence.fields.len(), 2);
    let eeo = finding(&report, Code::CategoryUnknown);
    // The tenant's categories are listed.
    says(fix_of(eeo), "Address, Basic info");
}

#[test]
fn a_category_asked_for_as_a_whole_and_by_field_is_named_once() {
    let report = run(&category_and_field_together());
    let f = finding(&report, Code::CategoryNotReadable);
    assert!(f.fields.contains(&"payroll.salary.base".to_string()));
    says(&f.message, "Payroll as a whole");
    assert_eq!(
        status(&report, "field:payroll.salary.base"),
        CheckStatus::Fail
    );
    assert_eq!(status(&report, "category:payroll"), CheckStatus::Fail);
}
