//! `--format junit`: JUnit XML, as GitLab, Jenkins and GitHub test reporters read it. One
//! testsuite per profile, one testcase per check: a failing check is a `failure` with its fix,
//! an unknown one is `skipped` with its reason, a warning passes with a note in `system-out`,
//! and a line to confirm by hand is `skipped` with a message that begins "confirm by hand:".

use std::fmt::Write as _;

use super::{Context, TOOL};
use crate::report::{CheckStatus, Report};

/// Escapes text for XML 1.0: markup characters, and control characters XML cannot hold.
fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{7f}' || ('\u{80}'..='\u{9f}').contains(&c) => {
                out.push_str(&format!("\\u{{{:x}}}", c as u32));
            }
            c => out.push(c),
        }
    }
    out
}

pub fn render(report: &Report, ctx: &Context) -> String {
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

    #[test]
    fn xml_escapes_markup_and_controls() {
        assert_eq!(xml("a<b>&\"'"), "a&lt;b&gt;&amp;&quot;&apos;");
        assert_eq!(xml("x\u{1b}[31m"), "x\\u{1b}[31m");
    }
}
