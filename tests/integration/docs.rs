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

#[test]
fn exit_codes_are_documented_alike() {
    let readme = read("README.md");
    let doc = read("docs/exit-codes.md");
    for code in ["| 0 |", "| 1 |", "| 2 |", "| 3 |"] {
        assert!(readme.contains(code) && doc.contains(code), "{code}");
    }
}
