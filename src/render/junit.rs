//! `--format junit`: JUnit XML, as GitLab, Jenkins and GitHub test reporters read it. One
//! testsuite per profile, one testcase per check: a failing check is a `failure` with its fix,
//! an unknown one is `skipped` with its reason, a warning passes with a note in `system-out`,
//! and a line to confirm by hand is `skipped` with a message that begins "confirm by hand:".

use std::fmt::Write as _;

use super::{Context, TOOL};
use crate::report::{CheckStatus, Report};

/// Escapes text for XML 1.0, in element text and attribute values alike: markup characters
/// become entities; every character XML 1.0 forbids (C0 controls but tab, newline and carriage
/// return; U+FFFE and U+FFFF; surrogates cannot occur in Rust strings) and the discouraged
/// controls (DEL, C1) are replaced by their `\u{..}` spelling, so the document stays well-formed
/// whatever HiBob's strings hold. A carriage return is written as a character reference, which
/// parsers keep (a literal one would be folded into a newline).
fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\r' => out.push_str("&#13;"),
            '\t' | '\n' => out.push(c),
            c if !xml_allows(c) || c == '\u{7f}' || ('\u{80}'..='\u{9f}').contains(&c) => {
                out.push_str(&format!("\\u{{{:x}}}", c as u32));
            }
            c => out.push(c),
        }
    }
    out
}

/// XML 1.0's `Char` production: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] |
/// [#x10000-#x10FFFF].
fn xml_allows(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
}

pub(crate) fn render(report: &Report, ctx: &Context) -> String {
    let count = |s: CheckStatus| report.checks.iter().filter(|c| c.status == s).count();
    let (tests, failures, skipped) = (
        report.checks.len(),
        count(CheckStatus::Fail),
        count(CheckStatus::Unknown) + count(CheckStatus::Manual),
    );
    // An audit that could not finish is an error of the suite, so no reporter calls it green.
    let errors = usize::from(!report.complete);
    let suite = format!("{TOOL}.{}", ctx.profile);
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"{TOOL}\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\" skipped=\"{skipped}\">"
    );
    let _ = writeln!(
        out,
        "  <testsuite name=\"{}\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\" skipped=\"{skipped}\">",
        xml(&suite)
    );
    let _ = writeln!(out, "    <properties>");
    for (name, value) in [
        ("profile", ctx.profile.as_str()),
        ("title", ctx.title.as_str()),
        ("target", ctx.target.as_str()),
        ("outcome", report.outcome().as_str()),
    ] {
        let _ = writeln!(
            out,
            "      <property name=\"{name}\" value=\"{}\"/>",
            xml(value)
        );
    }
    let _ = writeln!(out, "    </properties>");
    for c in &report.checks {
        let classname = format!("{suite}.{}", c.category.as_deref().unwrap_or("audit"));
        let name = format!("{}: {}", c.id, c.what);
        let _ = write!(
            out,
            "    <testcase name=\"{}\" classname=\"{}\"",
            xml(&name),
            xml(&classname)
        );
        let codes: Vec<&str> = c.findings.iter().map(|f| f.as_str()).collect();
        match c.status {
            CheckStatus::Pass if codes.is_empty() => out.push_str("/>\n"),
            CheckStatus::Pass | CheckStatus::Warn => {
                let _ = writeln!(
                    out,
                    ">\n      <system-out>{}: {} ({}){}</system-out>\n    </testcase>",
                    c.status.as_str(),
                    xml(&c.reason),
                    xml(&c.evidence),
                    if codes.is_empty() {
                        String::new()
                    } else {
                        format!(" [{}]", codes.join(", "))
                    }
                );
            }
            CheckStatus::Fail => {
                let _ = writeln!(
                    out,
                    ">\n      <failure message=\"{}\" type=\"{}\">{}\nEvidence: {}\nFix: {}</failure>\n    </testcase>",
                    xml(&c.reason),
                    xml(&codes.join(",")),
                    xml(&c.reason),
                    xml(&c.evidence),
                    xml(c.fix.as_deref().unwrap_or("see the findings of the audit"))
                );
            }
            CheckStatus::Manual => {
                let _ = writeln!(
                    out,
                    ">\n      <skipped message=\"confirm by hand: {}: {}\"/>\n    </testcase>",
                    xml(c.permission.as_deref().unwrap_or(&c.what)),
                    xml(&c.reason)
                );
            }
            CheckStatus::Unknown => {
                let _ = writeln!(
                    out,
                    ">\n      <skipped message=\"{}\"/>\n    </testcase>",
                    xml(&c.reason)
                );
            }
        }
    }
    if !report.suppressed.is_empty() {
        let lines: Vec<String> = report
            .suppressed
            .iter()
            .map(|s| {
                format!(
                    "suppressed {}: {} Reason: {}",
                    s.finding.code, s.finding.message, s.reason
                )
            })
            .collect();
        let _ = writeln!(
            out,
            "    <system-out>{}</system-out>",
            xml(&lines.join("\n"))
        );
    }
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::report::{Check, Code, Finding, Level, SuppressedFinding};
    use proptest::prelude::*;

    #[test]
    fn xml_escapes_markup_and_controls() {
        assert_eq!(xml("a<b>&\"'"), "a&lt;b&gt;&amp;&quot;&apos;");
        assert_eq!(xml("x\u{1b}[31m"), "x\\u{1b}[31m");
        assert_eq!(xml("a\u{fffe}b\u{ffff}"), "a\\u{fffe}b\\u{ffff}");
        assert_eq!(xml("\u{0}\r"), "\\u{0}&#13;");
        assert!(xml_allows('\u{10ffff}') && !xml_allows('\u{8}'));
    }

    /// Text with the characters XML forbids and the ones it must escape, mixed with any other.
    fn hostile() -> impl Strategy<Value = String> {
        prop::collection::vec(
            prop_oneof![
                any::<char>(),
                prop::sample::select(vec![
                    '\u{0}',
                    '\u{1}',
                    '\u{8}',
                    '\u{b}',
                    '\u{c}',
                    '\u{1b}',
                    '\u{7f}',
                    '\u{85}',
                    '\u{fffe}',
                    '\u{ffff}',
                    '\u{fffd}',
                    '\r',
                    '\n',
                    '\t',
                    '<',
                    '>',
                    '&',
                    '"',
                    '\'',
                    ']',
                    '\u{d7ff}',
                    '\u{e000}',
                    '\u{10ffff}',
                ]),
            ],
            0..40,
        )
        .prop_map(|chars| chars.into_iter().collect())
    }

    fn check(status: CheckStatus, text: &str) -> Check {
        Check {
            id: format!("field:{text}"),
            status,
            category: Some(text.to_string()),
            what: text.to_string(),
            evidence: text.to_string(),
            reason: text.to_string(),
            fix: Some(text.to_string()),
            findings: vec![Code::CategoryNotReadable],
            permission: Some(text.to_string()),
            guide_text: vec![text.to_string()],
            inferred: Some(text.to_string()),
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

        /// Whatever the strings hold, in every place the renderer writes one, the document
        /// parses as XML 1.0 (issue 13).
        #[test]
        fn junit_is_well_formed_for_any_string(text in hostile(), complete in any::<bool>()) {
            let finding = Finding::new(Code::CategoryNotReadable, Level::Error, text.clone());
            let report = Report {
                headline: None,
                checks: [CheckStatus::Pass, CheckStatus::Warn, CheckStatus::Fail, CheckStatus::Unknown, CheckStatus::Manual]
                    .into_iter()
                    .map(|s| check(s, &text))
                    .collect(),
                findings: vec![finding.clone()],
                suppressed: vec![SuppressedFinding { finding, reason: text.clone() }],
                allowed: 0,
                complete,
                employees_visible: None,
            };
            let ctx = Context {
                profile: text.clone(),
                title: text.clone(),
                target: text.clone(),
                color: false,
                width: 100,
                rerun: text.clone(),
                verbose: false,
            };
            let out = render(&report, &ctx);
            let doc = roxmltree::Document::parse(&out);
            prop_assert!(doc.is_ok(), "{:?}\n{}", doc.err(), out);
        }

        /// Escaped text reads back as the original wherever XML can hold the original.
        #[test]
        fn escaped_text_reads_back(text in hostile()) {
            let out = format!("<a b=\"{}\">{}</a>", xml(&text), xml(&text));
            let doc = roxmltree::Document::parse(&out).map_err(|e| TestCaseError::fail(e.to_string()))?;
            let root = doc.root_element();
            let expected: String = text
                .chars()
                .map(|c| if xml_allows(c) && !matches!(c, '\u{7f}' | '\u{80}'..='\u{9f}') { c.to_string() } else { format!("\\u{{{:x}}}", c as u32) })
                .collect();
            prop_assert_eq!(root.text().unwrap_or(""), expected.as_str());
            // Attribute values fold tab and newline into spaces, as XML says.
            let folded: String = expected.chars().map(|c| if matches!(c, '\t' | '\n') { ' ' } else { c }).collect();
            prop_assert_eq!(root.attribute("b").unwrap_or(""), folded.as_str());
        }
    }
}
