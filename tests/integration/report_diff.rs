//! `hibob-audit diff OLD NEW` (issue 14): two real reports from the fake HiBob, compared both
//! ways, with exit codes, content and snapshots; files that cannot be compared exit 2 with
//! their cause; strings from a report are escaped.

use std::path::{Path, PathBuf};

use crate::support::fake_hibob::{Config, granted};
use crate::support::{FakeHiBob, Run, check, check_of, run, snapshot_settings, stable};

/// A report of `config` under `profile`, written to `dir/name`.
struct Written {
    path: PathBuf,
    fake: FakeHiBob,
}

fn report(dir: &Path, name: &str, config: Config, profile: &str) -> Written {
    let fake = FakeHiBob::start(config);
    let out = check(&fake, &["--profile", profile, "--format", "json"]);
    assert!(matches!(out.code, 0 | 1), "{}\n{}", out.stdout, out.stderr);
    let path = dir.join(name);
    std::fs::write(&path, &out.stdout).expect("write the report");
    Written { path, fake }
}

fn arg(path: &Path) -> &str {
    path.to_str().expect("a UTF-8 path")
}

fn diff(old: &Path, new: &Path, extra: &[&str]) -> Run {
    let mut args = vec!["diff", arg(old), arg(new)];
    args.extend_from_slice(extra);
    run(&args, &[], "")
}

/// Output made stable: the fakes' ports, the version and the temporary folder replaced.
fn stabilized(text: &str, dir: &Path, reports: &[&Written]) -> String {
    let mut text = text.replace(arg(dir), "[DIR]");
    for r in reports {
        text = stable(&r.fake, &text);
    }
    text
}

fn json(out: &Run) -> serde_json::Value {
    serde_json::from_str(&out.stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", out.stdout))
}

/// Two reports of `activtrak`: every category readable, and Basic info (`root`) taken away.
fn granted_and_without_root(dir: &Path) -> (Written, Written) {
    let all = report(dir, "granted.json", granted(12), "activtrak");
    let without = report(
        dir,
        "without-root.json",
        granted(12).without("root"),
        "activtrak",
    );
    (all, without)
}

#[test]
fn a_category_taken_away_is_worse_and_given_back_is_better() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (all, without) = granted_and_without_root(dir.path());
    let both = [&all, &without];

    // Taken away: Basic info's fields now fail, and an error-level finding appeared: exit 1.
    let table = diff(&all.path, &without.path, &[]);
    assert_eq!(table.code, 1, "{}\n{}", table.stdout, table.stderr);
    assert!(table.stderr.is_empty(), "{}", table.stderr);
    let worse = diff(&all.path, &without.path, &["--format", "json"]);
    assert_eq!(worse.code, 1, "{}", worse.stderr);
    let doc = json(&worse);
    assert_eq!(doc["kind"], "diff");
    assert_eq!(doc["format_version"], "1");
    assert_eq!(doc["verdict"], "worse");
    assert_eq!(doc["worse"], true);
    let first = check_of(&doc, "field:root.firstName");
    assert_eq!(
        (&first["change"], &first["old"], &first["new"]),
        (&"new".into(), &"pass".into(), &"fail".into())
    );
    assert!(
        doc["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .any(|f| {
                f["change"] == "appeared"
                    && f["code"] == "category-not-readable"
                    && f["level"] == "error"
                    && f["worse"] == true
            }),
        "{doc:#}"
    );
    assert!(doc["summary"]["new"].as_u64() >= Some(2), "{doc:#}");
    assert_eq!(doc["summary"]["fixed"], 0);
    assert!(table.stdout.contains("NEW"), "{}", table.stdout);
    assert!(table.stdout.contains("PASS → FAIL"), "{}", table.stdout);
    assert!(
        table
            .stdout
            .lines()
            .last()
            .is_some_and(|l| l.starts_with("WORSE: 0 fixed, ")),
        "{}",
        table.stdout
    );

    // Given back: the same checks are fixed, the finding went away: exit 0.
    let better_table = diff(&without.path, &all.path, &[]);
    assert_eq!(better_table.code, 0, "{}", better_table.stderr);
    let better = diff(&without.path, &all.path, &["--format", "json"]);
    assert_eq!(better.code, 0, "{}", better.stderr);
    let back = json(&better);
    let schema = crate::schema::diff_validator();
    crate::schema::assert_valid(&schema, &doc, "the worse comparison");
    crate::schema::assert_valid(&schema, &back, "the better comparison");
    assert_eq!(back["verdict"], "better");
    assert_eq!(back["worse"], false);
    assert_eq!(check_of(&back, "field:root.firstName")["change"], "fixed");
    assert_eq!(back["summary"]["fixed"], doc["summary"]["new"]);
    assert_eq!(
        back["summary"]["findings_gone"],
        doc["summary"]["findings_appeared"]
    );
    let markdown = diff(&without.path, &all.path, &["--format", "markdown"]);
    assert_eq!(markdown.code, 0, "{}", markdown.stderr);
    assert!(
        markdown.stdout.contains("## Fixed ("),
        "{}",
        markdown.stdout
    );

    // -q: nothing on stdout, the exit code says it.
    let quiet = diff(&all.path, &without.path, &["-q"]);
    assert_eq!((quiet.code, quiet.stdout.as_str()), (1, ""));

    snapshot_settings().bind(|| {
        let s = |out: &Run| stabilized(&out.stdout, dir.path(), &both);
        insta::assert_snapshot!("diff-worse.table", s(&table));
        insta::assert_snapshot!("diff-worse.json", s(&worse));
        insta::assert_snapshot!("diff-better.table", s(&better_table));
        insta::assert_snapshot!("diff-better.markdown", s(&markdown));
    });
}

#[test]
fn a_report_against_itself_is_unchanged() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (_, without) = granted_and_without_root(dir.path());
    let out = diff(&without.path, &without.path, &[]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains("UNCHANGED: 0 fixed, 0 new, "),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("STILL FAILING"), "{}", out.stdout);

    // The new report from standard input, as a pipe from `check` gives it.
    let text = std::fs::read_to_string(&without.path).expect("read");
    let piped = run(
        &["diff", arg(&without.path), "-", "--format", "json"],
        &[],
        &text,
    );
    assert_eq!(piped.code, 0, "{}", piped.stderr);
    let doc = json(&piped);
    assert_eq!(doc["verdict"], "unchanged");
    assert_eq!(doc["new"]["file"], "standard input");
}

/// A usage error: exit 2, nothing on stdout, one message naming the cause, no panic.
fn refused(out: &Run, needles: &[&str]) {
    assert_eq!(out.code, 2, "{}\n{}", out.stdout, out.stderr);
    assert!(out.stdout.is_empty(), "{}", out.stdout);
    assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
    assert!(
        out.stderr.starts_with("hibob-audit: error: "),
        "{}",
        out.stderr
    );
    for needle in needles {
        assert!(out.stderr.contains(needle), "{needle}:\n{}", out.stderr);
    }
}

#[test]
fn files_that_cannot_be_compared_exit_2_with_their_cause() {
    let dir = tempfile::tempdir().expect("temp dir");
    let activtrak = report(dir.path(), "activtrak.json", granted(12), "activtrak");
    let truto = report(dir.path(), "truto.json", granted(12), "truto");
    let good = &activtrak.path;

    refused(
        &diff(good, &truto.path, &[]),
        &["rules `activtrak`", "rules `truto`", "same rules"],
    );

    let missing = dir.path().join("missing.json");
    refused(
        &diff(good, &missing, &[]),
        &["cannot read", "missing.json", "check --format json"],
    );
    refused(&diff(dir.path(), good, &[]), &["it is a directory"]);

    let toml = dir.path().join("rules.toml");
    std::fs::write(&toml, "[integration]\nname = \"x\"\n").expect("write");
    refused(
        &diff(good, &toml, &[]),
        &["rules.toml is not JSON", "line 1"],
    );

    let object = dir.path().join("object.json");
    std::fs::write(&object, "{\"hello\": 1}").expect("write");
    refused(
        &diff(&object, good, &[]),
        &["object.json is not a hibob-audit report", "format_version"],
    );

    let plan = dir.path().join("plan.json");
    let out = run(
        &[
            "check",
            "--profile",
            "activtrak",
            "--plan",
            "--format",
            "json",
        ],
        &[],
        "",
    );
    std::fs::write(&plan, out.stdout).expect("write");
    refused(&diff(good, &plan, &[]), &["is a plan", "without --plan"]);

    let comparison = dir.path().join("comparison.json");
    std::fs::write(&comparison, diff(good, good, &["--format", "json"]).stdout).expect("write");
    refused(
        &diff(&comparison, good, &[]),
        &["comparison of two reports"],
    );

    let text = std::fs::read_to_string(good).expect("read");
    let v2 = dir.path().join("v2.json");
    std::fs::write(
        &v2,
        text.replacen("\"format_version\": \"1\"", "\"format_version\": \"2\"", 1),
    )
    .expect("write");
    refused(
        &diff(good, &v2, &[]),
        &["format_version \"1\"", "\"2\"", "different format versions"],
    );
    refused(&diff(&v2, &v2, &[]), &["reads format \"1\""]);

    // Over the bound: refused before it is read (a sparse file costs no disk).
    let big = dir.path().join("big.json");
    std::fs::File::create(&big)
        .and_then(|f| f.set_len(65 << 20))
        .expect("a sparse file");
    refused(&diff(good, &big, &[]), &["65.0 MiB", "at most 64 MiB"]);

    refused(&run(&["diff", "-", "-"], &[], ""), &["both `-`"]);
}

#[test]
fn strings_from_a_report_are_escaped_and_unknown_keys_ignored() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (all, without) = granted_and_without_root(dir.path());
    let mut doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&without.path).expect("read")).expect("JSON");
    let evil = "Basic\u{1b}]0;pwned\u{7}\u{9b}31m\u{202e}info";
    for f in doc["findings"].as_array_mut().expect("findings") {
        f["category"] = evil.into();
        f["code"] = "a-code-from-the-future\u{1b}[2J".into();
        f["something_new"] = serde_json::json!({"nested": [1, 2]});
    }
    for c in doc["checks"].as_array_mut().expect("checks") {
        c["what"] = format!("{}\u{1b}[31m", c["what"].as_str().unwrap_or("")).into();
    }
    doc["added_later"] = "ignored".into();
    let hostile = dir.path().join("hostile.json");
    std::fs::write(&hostile, doc.to_string()).expect("write");

    for format in ["table", "markdown", "json"] {
        let out = diff(
            &all.path,
            &hostile,
            &["--format", format, "--color", "always"],
        );
        assert_eq!(out.code, 1, "{format}: {}", out.stderr);
        let raw = out
            .stdout
            .chars()
            .filter(|c| matches!(c, '\u{7}' | '\u{9b}' | '\u{202e}'))
            .count();
        assert_eq!(raw, 0, "{format}:\n{}", out.stdout);
        if format != "table" {
            // The table may colour; nothing else prints an escape.
            assert!(!out.stdout.contains('\u{1b}'), "{format}:\n{}", out.stdout);
        }
        assert!(
            !out.stdout.contains("\u{1b}]0;"),
            "{format}:\n{}",
            out.stdout
        );
        assert!(
            !out.stdout.contains("\u{1b}[2J"),
            "{format}:\n{}",
            out.stdout
        );
    }
    // JSON keeps the strings: escaped, they decode to what the report held.
    let out = diff(&all.path, &hostile, &["--format", "json"]);
    let back = json(&out);
    crate::schema::assert_valid(
        &crate::schema::diff_validator(),
        &back,
        "a comparison with a new code",
    );
    assert!(
        back["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .any(|f| f["category"] == evil),
        "{back:#}"
    );
}
