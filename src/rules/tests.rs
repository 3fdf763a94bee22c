//! The rules format: parsing, validation and what a rules file may say.

use super::*;

#[test]
fn the_template_is_valid_rules() {
    let rules = parse(TEMPLATE, "template").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(rules.name, "my-integration");
}

/// 100,000 duplicate entries give 100,000 problems, each placed through the index: the
/// file is scanned once for its lines, not once per problem (issue 13). The time it takes
/// is measured by `cargo bench --bench rules`.
#[test]
fn a_hundred_thousand_problems_are_placed_by_one_index() {
    let mut text = String::from("[integration]\nname = \"x\"\n");
    for _ in 0..100_000 {
        text.push_str("[[fields]]\nid = \"work.title\"\npurpose = \"T\"\n");
    }
    let err = parse(&text, "big.toml").unwrap_err();
    // Every duplicate, and the one past the field limit.
    assert_eq!(err.problems.len(), 100_000);
    let last = err.problems.last().unwrap();
    assert_eq!((last.line, last.column), (3 + 99_999 * 3 + 1, 6));
}

#[test]
fn unknown_key_gives_line_and_column() {
    let text = "[integration]\nname = \"x\"\n\n[[fields]]\nid = \"root.email\"\npurpose = \"Email\"\ncolour = \"red\"\n";
    let err = parse(text, "x.toml").unwrap_err();
    assert_eq!(err.problems.len(), 1);
    assert_eq!(err.problems[0].line, 7);
    assert!(err.problems[0].message.contains("colour"), "{err}");
}

#[test]
fn bad_level_value_is_an_error() {
    let text = "[integration]\nname = \"x\"\n[[fields]]\nid = \"root.email\"\npurpose = \"E\"\nlevel = \"fatal\"\n";
    let err = parse(text, "x.toml").unwrap_err();
    assert_eq!(err.problems[0].line, 6);
}

#[test]
fn semantic_problems_are_all_reported() {
    let text = r#"[integration]
name = "x"
[[fields]]
id = "root email"
purpose = ""
[[fields]]
id = "work.title"
purpose = "Title"
[[fields]]
id = "work.title"
purpose = "Title again"
[lifecycle]
statuses = ["Hired", "Retired"]
"#;
    let err = parse(text, "x.toml").unwrap_err();
    let lines: Vec<usize> = err.problems.iter().map(|p| p.line).collect();
    assert_eq!(lines, vec![4, 5, 10, 13], "{err}");
}

#[test]
fn unknown_keys_bad_values_and_meaning_come_all_at_once() {
    let text = r#"[integration]
name = "x"
colour = "red"
[[fields]]
id = "root.email"
purpose = 3
level = "fatal"
[[fields]]
purpose = "No id"
[timeoff]
require = ["balance", "teleport"]
level = "warning"
extra = 1
"#;
    let err = parse(text, "x.toml").unwrap_err();
    let got: Vec<(usize, usize)> = err.problems.iter().map(|p| (p.line, p.column)).collect();
    assert_eq!(
        got,
        vec![(3, 1), (6, 11), (7, 9), (8, 1), (11, 23), (13, 1)],
        "{err}"
    );
}

#[test]
fn allow_extra_names_a_category_or_a_time_off_box_with_a_reason() {
    let text = r#"[integration]
name = "x"
[[fields]]
id = "root.email"
purpose = "Email"
[[allow_extra]]
category = "Personal"
reason = "birthdays"
[[allow_extra]]
timeoff = "private-requests"
reason = "away status"
"#;
    let rules = parse(text, "x.toml").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        rules.allow_extra,
        vec![
            AllowExtra {
                target: ExtraTarget::Category("Personal".into()),
                reason: "birthdays".into(),
                line: 6,
            },
            AllowExtra {
                target: ExtraTarget::Timeoff(TimeoffCapability::PrivateRequests),
                reason: "away status".into(),
                line: 9,
            },
        ]
    );
}

#[test]
fn allow_extra_problems_come_with_their_lines() {
    let text = r#"[integration]
name = "x"
[[categories]]
name = "Payroll"
[timeoff]
require = ["pending-requests"]
[[allow_extra]]
category = "Personal"
[[allow_extra]]
timeoff = "balance"
reason = "r"
[[allow_extra]]
category = "Home"
timeoff = "private-requests"
reason = "r"
[[allow_extra]]
category = "personal"
reason = ""
[[allow_extra]]
category = "payroll"
reason = "r"
[[allow_extra]]
timeoff = "pending-requests"
reason = "r"
[[allow_extra]]
reason = "nothing named"
colour = "red"
"#;
    let err = parse(text, "x.toml").unwrap_err();
    let got: Vec<(usize, &str)> = err
        .problems
        .iter()
        .map(|p| (p.line, p.message.as_str()))
        .collect();
    let expect = |line: usize, words: &str| {
        assert!(
            got.iter().any(|(l, m)| *l == line && m.contains(words)),
            "line {line}: `{words}` in {got:#?}"
        );
    };
    expect(7, "needs a `reason`");
    expect(10, "not a Time off box");
    expect(14, "not both");
    expect(18, "must not be empty");
    expect(19, "which the rules require");
    expect(22, "which the rules require");
    expect(25, "needs a `category`");
    expect(27, "unknown key `colour`");
}

#[test]
fn lifecycle_statuses_match_labels_case_insensitively() {
    assert_eq!(
        LifecycleStatus::parse("garden LEAVE"),
        Some(LifecycleStatus::GardenLeave)
    );
    assert_eq!(
        LifecycleStatus::parse("leave (all types)"),
        Some(LifecycleStatus::LeaveAllTypes)
    );
    assert_eq!(
        LifecycleStatus::parse("parental-leave"),
        Some(LifecycleStatus::ParentalLeave)
    );
    assert_eq!(LifecycleStatus::parse("retired"), None);
}
