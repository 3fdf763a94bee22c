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
