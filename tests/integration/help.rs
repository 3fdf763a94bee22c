//! `--help` of every command, snapshotted, so a flag change is a visible decision (issue 7).

use clap::CommandFactory;
use hibob_audit::cli::Cli;

fn walk(cmd: &mut clap::Command, path: &str, out: &mut Vec<(String, String)>) {
    let help = cmd.render_long_help().to_string();
    out.push((path.to_string(), help));
    for sub in cmd.get_subcommands_mut() {
        if sub.get_name() == "help" {
            continue;
        }
        let name = format!("{path}.{}", sub.get_name());
        walk(sub, &name, out);
    }
}

#[test]
fn every_commands_help_is_snapshotted() {
    let mut cmd = Cli::command().term_width(100);
    cmd.build();
    let mut helps = Vec::new();
    walk(&mut cmd, "help", &mut helps);
    assert!(helps.len() >= 12, "{} commands", helps.len());
    crate::support::snapshot_settings().bind(|| {
        for (name, text) in helps {
            insta::assert_snapshot!(name, text);
        }
    });
}

#[test]
fn help_and_version_exit_0() {
    for args in [
        &["--help"][..],
        &["--version"],
        &["check", "--help"],
        &["rules", "--help"],
    ] {
        let out = crate::support::run(args, &[], "");
        assert_eq!(out.code, 0, "{args:?}");
        assert!(!out.stdout.is_empty());
    }
}

#[test]
fn completions_and_man_page_are_generated() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = crate::support::run(&["completions", shell], &[], "");
        assert_eq!(out.code, 0, "{shell}");
        assert!(
            out.stdout.contains("hibob-audit") || out.stdout.contains("hibob_audit"),
            "{shell}"
        );
    }
    let out = crate::support::run(&["man"], &[], "");
    assert_eq!(out.code, 0);
    assert!(
        out.stdout.starts_with(".ie") || out.stdout.contains(".TH"),
        "{}",
        &out.stdout[..80.min(out.stdout.len())]
    );
    assert!(out.stdout.contains("EXIT STATUS"));
}

/// `man --dir` writes a page per command, each with its flags, and the check page with the
/// environment the tool reads.
#[test]
fn man_pages_for_every_command() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = crate::support::run(
        &["man", "--dir", dir.path().to_str().expect("utf-8")],
        &[],
        "",
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    for page in [
        "hibob-audit.1",
        "hibob-audit-check.1",
        "hibob-audit-demo.1",
        "hibob-audit-rules.1",
        "hibob-audit-rules-diff.1",
        "hibob-audit-explain.1",
    ] {
        let text = std::fs::read_to_string(dir.path().join(page))
            .unwrap_or_else(|e| panic!("{page}: {e}"));
        assert!(text.contains("EXIT STATUS"), "{page}");
    }
    let check =
        std::fs::read_to_string(dir.path().join("hibob-audit-check.1")).expect("check page");
    for flag in [
        "token\\-file",
        "max\\-answer\\-size",
        "HIBOB_SERVICE_USER_TOKEN",
        "NO_COLOR",
        "COLUMNS",
    ] {
        assert!(
            check.contains(flag),
            "{flag} missing from hibob-audit-check.1"
        );
    }
    // The main page names the others, which now exist.
    let main = std::fs::read_to_string(dir.path().join("hibob-audit.1")).expect("main page");
    assert!(main.contains("hibob\\-audit\\-check(1)"), "{main}");
}

/// Completions offer the shipped profiles after --profile, the finding codes after --deny,
/// and the formats after --format.
#[test]
fn completions_know_profiles_codes_and_formats() {
    let out = crate::support::run(&["completions", "bash"], &[], "");
    assert_eq!(out.code, 0);
    for word in [
        "activtrak",
        "stackone",
        "workos",
        "category-not-readable",
        "markdown",
        "junit",
    ] {
        assert!(out.stdout.contains(word), "{word} is not offered");
    }
    let fish = crate::support::run(&["completions", "fish"], &[], "");
    let profile_line = fish
        .stdout
        .lines()
        .find(|l| l.contains("-l profile"))
        .expect("a --profile completion");
    assert!(
        profile_line.contains("activtrak") && !profile_line.contains("-F"),
        "profile names, not file names: {profile_line}"
    );
}

/// A typo in a profile name or a finding code gets "did you mean".
#[test]
fn typos_get_did_you_mean() {
    let out = crate::support::run(&["check", "--profile", "activtrack", "--plan"], &[], "");
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("a similar value exists: 'activtrak'"),
        "{}",
        out.stderr
    );
    let out = crate::support::run(
        &[
            "check",
            "--profile",
            "activtrak",
            "--plan",
            "--deny",
            "field-emtpy",
        ],
        &[],
        "",
    );
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("'field-empty'"), "{}", out.stderr);
}

/// Every `--flag` that README and docs/ mention exists in the command line.
#[test]
fn every_documented_flag_exists() {
    let mut cmd = Cli::command();
    cmd.build();
    let mut known = std::collections::BTreeSet::new();
    fn flags(cmd: &clap::Command, known: &mut std::collections::BTreeSet<String>) {
        for a in cmd.get_arguments() {
            if let Some(l) = a.get_long() {
                known.insert(l.to_string());
            }
        }
        for sub in cmd.get_subcommands() {
            flags(sub, known);
        }
    }
    flags(&cmd, &mut known);
    known.insert("help".into());
    known.insert("version".into());
    let root = env!("CARGO_MANIFEST_DIR");
    let mut files = vec![format!("{root}/README.md")];
    for entry in std::fs::read_dir(format!("{root}/docs")).expect("docs") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "md") {
            files.push(path.display().to_string());
        }
    }
    let mut unknown = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("read");
        for (i, _) in text.match_indices("--") {
            let before = text[..i].chars().last();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '-') {
                continue;
            }
            let name: String = text[i + 2..]
                .chars()
                .take_while(|c| c.is_ascii_lowercase() || *c == '-')
                .collect();
            let name = name.trim_end_matches('-');
            if name.len() < 2 || known.contains(name) {
                continue;
            }
            // Other programs' flags that the docs quote.
            if [
                "no-verify",
                "test-threads",
                "check",
                "git",
                "unreferenced",
                "all-targets",
                "release",
                "bench",
                "path",
                "force",
                "locked",
                "fail-fast",
                "nocapture",
                "show-output",
                "lib",
                "version",
            ]
            .contains(&name)
            {
                continue;
            }
            unknown.push(format!("{file}: --{name}"));
        }
    }
    unknown.sort();
    unknown.dedup();
    assert!(
        unknown.is_empty(),
        "documented flags the CLI lacks:\n{}",
        unknown.join("\n")
    );
}
