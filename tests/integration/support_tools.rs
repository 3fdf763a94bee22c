//! Offline support tools: explain, rules validate / init / diff (issue 6).

use crate::support::run;

#[test]
fn explain_answers_codes_fields_and_symptoms() {
    let out = run(&["explain", "category-not-readable"], &[], "");
    assert_eq!(out.code, 0);
    assert!(
        out.stdout.contains("View selected employees'"),
        "{}",
        out.stdout
    );

    let out = run(&["explain", "work.employeeIdInCompany"], &[], "");
    assert_eq!(out.code, 0);
    for needle in [
        "Work category",
        "People's data > People > Work > View selected employees' Work sections",
        "activtrak",
        "truto",
    ] {
        assert!(out.stdout.contains(needle), "{needle}: {}", out.stdout);
    }

    for (topic, needle) in [
        ("employee number is empty", "work.employeeIdInCompany"),
        (
            "terminated employees are missing",
            "Lifecycle status > add Terminated",
        ),
        (
            "no time off",
            "See selected people's time off and sick leave balances",
        ),
        ("Missing permission", "permission group"),
    ] {
        let words: Vec<&str> = topic.split(' ').collect();
        let mut args = vec!["explain"];
        args.extend(words);
        let out = run(&args, &[], "");
        assert_eq!(out.code, 0, "{topic}");
        assert!(out.stdout.contains(needle), "{topic}: {}", out.stdout);
    }
}

#[test]
fn explain_lists_what_it_knows_for_an_unknown_topic() {
    let out = run(&["explain", "quantum", "flux"], &[], "");
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("unknown topic `quantum flux`"));
    assert!(out.stderr.contains("explain --list"), "{}", out.stderr);
    assert!(out.stderr.len() < 200, "short, no list: {}", out.stderr);
    // A near miss gets "did you mean".
    let out = run(&["explain", "root.firstname"], &[], "");
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("Did you mean `root.firstName`?"),
        "{}",
        out.stderr
    );
    // `explain` alone, and `--list`, list the topics by kind.
    for args in [&["explain"][..], &["explain", "--list"]] {
        let out = run(args, &[], "");
        assert_eq!(out.code, 0, "{args:?}");
        for heading in ["Finding codes:", "Categories:", "Field IDs:", "Symptoms:"] {
            assert!(out.stdout.contains(heading), "{heading}: {}", out.stdout);
        }
        assert!(out.stdout.contains("  category-not-readable\n"));
    }
}

#[test]
fn rules_validate_pinpoints_every_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("broken.toml");
    std::fs::write(
        &path,
        "[integration]\nname = \"x\"\ncolour = 1\n[[fields]]\nid = \"work title\"\npurpose = \"\"\n[[fields]]\nid = \"root.email\"\npurpose = \"E\"\nlevel = \"loud\"\n[lifecycle]\nstatuses = [\"Retired\"]\n",
    )
    .expect("write");
    let shown = path.display().to_string();
    let out = run(&["rules", "validate", &shown], &[], "");
    assert_eq!(out.code, 2);
    for at in ["3:1", "5:6", "6:11", "10:9", "12:13"] {
        assert!(
            out.stderr.contains(&format!("{shown}:{at}:")),
            "{at}: {}",
            out.stderr
        );
    }
    assert!(out.stderr.contains("(5 problems)"), "{}", out.stderr);

    // A syntax error stops at the first.
    std::fs::write(&path, "[integration\nname = \"x\"\n").expect("write");
    let out = run(&["rules", "validate", &shown], &[], "");
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains(&format!("{shown}:1:")),
        "{}",
        out.stderr
    );
}

#[test]
fn rules_init_writes_a_template_that_validates() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("mine.toml");
    let shown = path.display().to_string();
    let out = run(&["rules", "init", &shown], &[], "");
    assert_eq!(out.code, 0, "{}", out.stderr);
    let out = run(&["rules", "validate", &shown], &[], "");
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("valid rules `my-integration`"));
    let out = run(&["rules", "init", &shown], &[], "");
    assert_eq!(out.code, 2, "no overwrite without --force");
    assert_eq!(run(&["rules", "init", &shown, "--force"], &[], "").code, 0);
    let out = run(&["rules", "init"], &[], "");
    assert!(out.stdout.starts_with("# hibob-audit rules"));
}

#[test]
fn rules_diff_shows_where_guides_disagree() {
    let out = run(&["rules", "diff", "activtrak", "truto"], &[], "");
    assert_eq!(out.code, 1, "different rules exit 1, like diff");
    for needle in [
        "only in truto: root.displayName",
        "work.employeeIdInCompany: purpose \"Employee Number\" vs \"Employee number\"; guide category Employment / Work vs (none); from the guide vs inferred",
        "Features > People: every box",
        "only in truto: policy-types, out-today, pending-requests, private-requests",
    ] {
        assert!(out.stdout.contains(needle), "{needle}:\n{}", out.stdout);
    }
    assert_eq!(run(&["rules", "diff", "truto", "nope"], &[], "").code, 2);
    let out = run(
        &["rules", "diff", "truto", "/nonexistent/rules.toml"],
        &[],
        "",
    );
    assert_eq!(
        out.code, 2,
        "an unknown profile or missing file is a usage error"
    );
}

/// Issue 14: identical rules say "identical" once (not "only in activtrak" twice per
/// section) and exit 0; the same rules from a profile and from its file too.
#[test]
fn rules_diff_of_identical_rules_says_identical_and_exits_0() {
    let out = run(&["rules", "diff", "activtrak", "activtrak"], &[], "");
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("identical"), "{}", out.stdout);
    assert!(!out.stdout.contains("only in"), "{}", out.stdout);
    assert_eq!(out.stdout.lines().count(), 1, "{}", out.stdout);

    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("activtrak.toml");
    let toml = run(&["rules", "show", "activtrak", "--toml"], &[], "");
    std::fs::write(&path, toml.stdout).expect("write the rules");
    let shown = path.display().to_string();
    let out = run(&["rules", "diff", "activtrak", &shown], &[], "");
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("identical"), "{}", out.stdout);

    // The same name on both sides, different requirements: the sides are A and B, exit 1.
    let text = std::fs::read_to_string(&path).expect("read the rules");
    let other = text.replacen(
        "statuses = [\"Hired\", \"Employed\", \"Terminated\", \"Leave (all types)\"]",
        "statuses = [\"Hired\", \"Employed\", \"Leave (all types)\"]",
        1,
    );
    assert_ne!(other, text, "the profile's lifecycle statuses");
    std::fs::write(&path, other).expect("write the rules");
    let out = run(&["rules", "diff", "activtrak", &shown], &[], "");
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout.contains("only in A: Terminated"),
        "{}",
        out.stdout
    );
    assert!(!out.stdout.contains("identical"), "{}", out.stdout);
}
