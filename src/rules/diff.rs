//! `rules diff A B`: where two rules files (vendor guides) disagree. Identical rules say so,
//! and the command exits 0 for the same rules and 1 for different ones, like `diff`.

use std::fmt::Write as _;

use super::{FieldRule, Rules};

fn names<T: Clone + PartialEq>(a: &[T], b: &[T]) -> (Vec<T>, Vec<T>) {
    let only_a = a.iter().filter(|x| !b.contains(x)).cloned().collect();
    let only_b = b.iter().filter(|x| !a.contains(x)).cloned().collect();
    (only_a, only_b)
}

fn field(f: &FieldRule) -> String {
    format!("{} ({})", f.id, f.purpose)
}

fn list(items: &[String]) -> String {
    if items.is_empty() {
        "(none)".into()
    } else {
        items.join(", ")
    }
}

const NOT_CHECKED: &str = "(not checked)";

/// One section of names and a level: what only one side has. True when both agree.
fn section(
    out: &mut String,
    title: &str,
    (an, (a, level_a)): (&str, (Vec<String>, &str)),
    (bn, (b, level_b)): (&str, (Vec<String>, &str)),
) -> bool {
    let (only_a, only_b) = names(&a, &b);
    let _ = writeln!(out, "\n{title}:");
    let _ = writeln!(out, "  only in {an}: {}", list(&only_a));
    let _ = writeln!(out, "  only in {bn}: {}", list(&only_b));
    if level_a != level_b {
        let _ = writeln!(out, "  level: {level_a} vs {level_b}");
    }
    only_a.is_empty() && only_b.is_empty() && level_a == level_b
}

/// Two rules compared: whether they require the same, and the text that says where not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comparison {
    /// Both rules require the same in every section (names, titles and sources aside).
    pub identical: bool,
    pub text: String,
}

/// A readable comparison. Empty sections say "(none)"; identical rules say only that.
pub fn compare(a: &Rules, b: &Rules) -> Comparison {
    let (same, sections) = sections(a, b);
    let (an, bn) = (&a.name, &b.name);
    let text = if same {
        format!("Rules `{an}` (A) and `{bn}` (B) are identical: they require the same.\n")
    } else {
        format!("Rules `{an}` (A) against `{bn}` (B)\n\n{sections}")
    };
    Comparison {
        identical: same,
        text,
    }
}

/// Every section, and whether all of them agree. Sides are named by their rules' names, or
/// A and B when both have the same name.
fn sections(a: &Rules, b: &Rules) -> (bool, String) {
    let mut out = String::new();
    let (an, bn) = if a.name == b.name {
        ("A", "B")
    } else {
        (a.name.as_str(), b.name.as_str())
    };
    let mut same = true;

    let ids = |r: &Rules| r.fields.iter().map(|f| f.id.clone()).collect::<Vec<_>>();
    let (only_a, only_b) = names(&ids(a), &ids(b));
    let pick = |r: &Rules, ids: &[String]| -> Vec<String> {
        r.fields
            .iter()
            .filter(|f| ids.contains(&f.id))
            .map(field)
            .collect()
    };
    let mut changed = Vec::new();
    for fa in &a.fields {
        if let Some(fb) = b.fields.iter().find(|f| f.id == fa.id) {
            let mut d = Vec::new();
            if fa.purpose != fb.purpose {
                d.push(format!("purpose \"{}\" vs \"{}\"", fa.purpose, fb.purpose));
            }
            if fa.guide_categories != fb.guide_categories {
                let g = |f: &FieldRule| {
                    if f.guide_categories.is_empty() {
                        "(none)".to_string()
                    } else {
                        f.guide_categories.join(" / ")
                    }
                };
                d.push(format!("guide category {} vs {}", g(fa), g(fb)));
            }
            let origin = |f: &FieldRule| {
                if f.source.inferred.is_some() {
                    "inferred"
                } else if f.source.guide_text.is_empty() {
                    "unsourced"
                } else {
                    "from the guide"
                }
            };
            if origin(fa) != origin(fb) {
                d.push(format!("{} vs {}", origin(fa), origin(fb)));
            }
            if fa.level != fb.level {
                d.push(format!(
                    "level {} vs {}",
                    fa.level.as_str(),
                    fb.level.as_str()
                ));
            }
            if !d.is_empty() {
                changed.push(format!("{}: {}", fa.id, d.join("; ")));
            }
        }
    }
    same &= only_a.is_empty() && only_b.is_empty() && changed.is_empty();
    let _ = writeln!(out, "Fields:");
    let _ = writeln!(out, "  only in {an}: {}", list(&pick(a, &only_a)));
    let _ = writeln!(out, "  only in {bn}: {}", list(&pick(b, &only_b)));
    let _ = writeln!(
        out,
        "  in both, different:{}",
        if changed.is_empty() { " (none)" } else { "" }
    );
    for c in &changed {
        let _ = writeln!(out, "    {c}");
    }

    let statuses = |r: &Rules| -> (Vec<String>, &'static str) {
        r.lifecycle.as_ref().map_or((Vec::new(), NOT_CHECKED), |l| {
            (
                l.statuses.iter().map(|s| s.label().to_string()).collect(),
                l.level.as_str(),
            )
        })
    };
    same &= section(
        &mut out,
        "Lifecycle statuses",
        (an, statuses(a)),
        (bn, statuses(b)),
    );
    let caps = |r: &Rules| -> (Vec<String>, &'static str) {
        r.timeoff.as_ref().map_or((Vec::new(), NOT_CHECKED), |t| {
            (
                t.capabilities().map(|c| c.as_str().to_string()).collect(),
                t.level.as_str(),
            )
        })
    };
    same &= section(&mut out, "Time off", (an, caps(a)), (bn, caps(b)));
    let categories = |r: &Rules| -> (Vec<String>, &'static str) {
        (r.categories.iter().map(|c| c.name.clone()).collect(), "")
    };
    same &= section(
        &mut out,
        "Whole categories",
        (an, categories(a)),
        (bn, categories(b)),
    );
    let histories = |r: &Rules| -> (Vec<String>, &'static str) {
        (
            r.histories
                .iter()
                .map(|h| h.table.category().to_string())
                .collect(),
            "",
        )
    };
    same &= section(
        &mut out,
        "Section histories",
        (an, histories(a)),
        (bn, histories(b)),
    );
    let docs = |r: &Rules| -> (Vec<String>, &'static str) {
        r.docs.as_ref().map_or((Vec::new(), NOT_CHECKED), |d| {
            (
                d.folders.iter().map(|f| f.folder.clone()).collect(),
                d.level.as_str(),
            )
        })
    };
    same &= section(&mut out, "Docs folders", (an, docs(a)), (bn, docs(b)));
    let manual = |r: &Rules| -> (Vec<String>, &'static str) {
        (
            r.manual.iter().map(|m| m.permission.clone()).collect(),
            "manual",
        )
    };
    same &= section(
        &mut out,
        "To confirm by hand",
        (an, manual(a)),
        (bn, manual(b)),
    );
    let extra = |r: &Rules| -> (Vec<String>, &'static str) {
        (r.allow_extra.iter().map(|a| a.describe()).collect(), "")
    };
    same &= section(
        &mut out,
        "Granted on purpose ([[allow_extra]])",
        (an, extra(a)),
        (bn, extra(b)),
    );
    (same, out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::profiles;

    fn profile(name: &str) -> Rules {
        let p = profiles::find(name).expect("a shipped profile");
        profiles::load(p).expect("valid")
    }

    #[test]
    fn identical_rules_say_so_once() {
        let c = compare(&profile("activtrak"), &profile("activtrak"));
        assert!(c.identical);
        assert!(c.text.contains("identical"), "{}", c.text);
        assert!(!c.text.contains("only in"), "{}", c.text);
    }

    #[test]
    fn different_rules_keep_every_section() {
        let c = compare(&profile("activtrak"), &profile("truto"));
        assert!(!c.identical);
        for title in [
            "Fields:",
            "Lifecycle statuses:",
            "Time off:",
            "Whole categories:",
            "Section histories:",
            "Docs folders:",
            "To confirm by hand:",
        ] {
            assert!(c.text.contains(title), "{title}:\n{}", c.text);
        }
        assert!(c.text.contains("only in truto"), "{}", c.text);
    }

    #[test]
    fn same_names_are_told_apart_as_a_and_b() {
        let a = profile("activtrak");
        let mut b = a.clone();
        b.fields.pop();
        let c = compare(&a, &b);
        assert!(!c.identical);
        assert!(c.text.contains("only in A: "), "{}", c.text);
        assert!(c.text.contains("only in B: (none)"), "{}", c.text);
        assert!(!c.text.contains("only in activtrak"), "{}", c.text);
    }
}
