//! `rules show NAME`: the guide's lines in the guide's order, each with how the audit verifies
//! it, then every requirement the guide does not ask for, with why.

use std::fmt::Write as _;

use super::Rules;
use super::guide::{self, Requirement};

fn answer(out: &mut String, r: &Requirement) {
    if r.is_manual() {
        let _ = writeln!(out, "      by hand: {}", r.what);
        let _ = writeln!(
            out,
            "        why: {}",
            r.verified_by.trim_start_matches("by hand: ")
        );
    } else {
        let _ = writeln!(out, "      probed: {}", r.what);
        let _ = writeln!(out, "        call: {}", r.verified_by);
    }
}

/// The rules as a person reads them. `name` is how the user named them (a profile or a path).
pub fn render(rules: &Rules, name: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}: {}", rules.name, rules.title);
    if let Some(g) = &rules.guide {
        let _ = writeln!(out, "Guide:  {g}");
    }
    match (&rules.source, &rules.read) {
        (Some(s), Some(d)) => {
            let _ = writeln!(out, "Source: {s} (read {d})");
        }
        (Some(s), None) => {
            let _ = writeln!(out, "Source: {s}");
        }
        (None, _) => out.push_str("Source: not given\n"),
    }
    if let Some(n) = &rules.note {
        let _ = writeln!(out, "Note:   {n}");
    }

    let lines = guide::coverage(rules);
    if lines.is_empty() {
        out.push_str("\nThese rules quote no guide line (no `guide_text`).\n");
    } else {
        let _ = writeln!(
            out,
            "\nThe guide's lines, in its order, and how the audit verifies each:"
        );
        let mut section: Option<&str> = None;
        for (i, line) in lines.iter().enumerate() {
            if line.section.is_some() && line.section.as_deref() != section {
                section = line.section.as_deref();
                let _ = writeln!(out, "\n{}:", section.unwrap_or_default());
            }
            let _ = writeln!(out, "  {:>2}. \"{}\"", i + 1, line.text);
            if line.answers.is_empty() {
                out.push_str("      not answered by any requirement\n");
            }
            for r in &line.answers {
                answer(&mut out, r);
            }
        }
        let manual = lines
            .iter()
            .filter(|l| !l.answers.is_empty() && l.answers.iter().all(|r| r.is_manual()))
            .count();
        let unanswered = lines.iter().filter(|l| l.answers.is_empty()).count();
        let _ = writeln!(
            out,
            "\n{} line(s): {} probed, {} by hand, {} not answered.",
            lines.len(),
            lines.len() - manual - unanswered,
            manual,
            unanswered
        );
    }

    let inferred = guide::inferred(rules);
    if !inferred.is_empty() {
        out.push_str("\nNot in the guide (inferred), with why:\n");
        for r in &inferred {
            let _ = writeln!(
                out,
                "  - {}: {}",
                r.what,
                r.source.inferred.as_deref().unwrap_or_default()
            );
            let _ = writeln!(
                out,
                "      {}",
                if r.is_manual() {
                    r.verified_by.clone()
                } else {
                    format!("call: {}", r.verified_by)
                }
            );
        }
    }
    let unsourced = guide::requirements(rules)
        .into_iter()
        .filter(|r| r.source.guide_text.is_empty() && r.source.inferred.is_none())
        .count();
    if unsourced > 0 {
        let _ = writeln!(
            out,
            "\n{unsourced} requirement(s) say neither which guide line they answer (`guide_text`) nor why they are needed (`inferred`)."
        );
    }
    if !rules.allow_extra.is_empty() {
        out.push_str(
            "\nGranted on purpose beyond the needs ([[allow_extra]], judged with check --excess):\n",
        );
        for a in &rules.allow_extra {
            let _ = writeln!(out, "  - {}: {}", a.describe(), a.reason);
        }
    }
    let _ = writeln!(
        out,
        "\nThe rules file itself: hibob-audit rules show {name} --toml"
    );
    out
}
