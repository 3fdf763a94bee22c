//! Contracts kept in docs: every finding code documented, the code set pinned.

use hibob_audit::report::Code;

fn read(path: &str) -> String {
    std::fs::read_to_string(format!("{}/{path}", env!("CARGO_MANIFEST_DIR"))).expect("read doc")
}

#[test]
fn every_finding_code_has_a_heading_in_findings_md() {
    let doc = read("docs/findings.md");
    for code in Code::all() {
        assert!(
            doc.contains(&format!("## `{code}`")),
            "docs/findings.md lacks `{code}`"
        );
        let json = serde_json::to_value(code).expect("serialize");
        assert_eq!(json, code.as_str(), "serde and as_str disagree for {code}");
    }
}

#[test]
fn the_set_of_finding_codes_is_a_visible_decision() {
    let listing: Vec<String> = Code::all()
        .map(|c| format!("{c}: {}", c.description()))
        .collect();
    crate::support::snapshot_settings().bind(|| {
        insta::assert_snapshot!("finding-codes", listing.join("\n"));
    });
}

/// One exit-code table: the enum's words are README's rows, word for word, and every code has
/// its row in docs/exit-codes.md; the man page is generated from the enum.
#[test]
fn exit_codes_are_documented_alike() {
    use hibob_audit::exit::Exit;
    let readme = read("README.md");
    let doc = read("docs/exit-codes.md");
    let man = hibob_audit::exit::man_section();
    for e in Exit::ALL {
        let row = format!("| {} | {} |", e.code(), e.summary());
        assert!(readme.contains(&row), "README lacks `{row}`");
        assert!(
            doc.lines()
                .any(|l| l.starts_with(&format!("| {} |", e.code()))),
            "docs/exit-codes.md lacks a row for {}",
            e.code()
        );
        assert!(man.contains(&format!(".TP\n{}\n", e.code())), "{man}");
    }
    // No other code in README's table.
    let rows = readme
        .lines()
        .filter(|l| {
            l.starts_with("| ")
                && l[2..].starts_with(|c: char| c.is_ascii_digit())
                && l.contains(" | ")
        })
        .filter(|l| l[2..3].parse::<u8>().is_ok() && l[3..].starts_with(" |"))
        .count();
    assert_eq!(rows, Exit::ALL.len(), "README's exit-code table");
}
