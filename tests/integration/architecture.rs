//! The source's shape, as docs/architecture.md draws it: dependencies between the top-level
//! modules point one way (no cycle), and the pure core never reaches the outside world.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Top-level module → the top-level modules its code (not its tests or comments) names.
fn imports() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let modules: BTreeSet<String> = std::fs::read_dir(&src)
        .expect("src")
        .filter_map(|e| {
            let path = e.ok()?.path();
            Some(path.file_stem()?.to_str()?.to_string())
        })
        .filter(|m| m != "lib" && m != "main")
        .collect();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut stack = vec![src.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().and_then(|e| e.to_str()) != Some("rs") {
                continue;
            }
            let rel = path.strip_prefix(&src).expect("under src");
            let first = rel.components().next().expect("component");
            let module = Path::new(first.as_os_str())
                .file_stem()
                .and_then(|s| s.to_str())
                .expect("name")
                .to_string();
            if !modules.contains(&module) {
                continue;
            }
            let text = std::fs::read_to_string(&path).expect("read");
            let code = text.split("#[cfg(test)]").next().unwrap_or_default();
            let names = graph.entry(module.clone()).or_default();
            for line in code.lines().filter(|l| !l.trim_start().starts_with("//")) {
                // `crate::x` and `use crate::{x, y::z}`.
                let mut rest = line;
                while let Some(at) = rest.find("crate::") {
                    rest = &rest[at + "crate::".len()..];
                    let group = rest
                        .strip_prefix('{')
                        .map(|g| g.split('}').next().unwrap_or(""));
                    let words: Vec<&str> = match group {
                        Some(g) => g
                            .split(',')
                            .map(|w| w.trim().split("::").next().unwrap_or(""))
                            .collect(),
                        None => vec![
                            rest.split(|c: char| !c.is_alphanumeric() && c != '_')
                                .next()
                                .unwrap_or(""),
                        ],
                    };
                    for w in words {
                        if w != module && modules.contains(w) {
                            names.insert(w.to_string());
                        }
                    }
                }
            }
        }
    }
    graph
}

/// A path from `from` back to itself, if there is one.
fn cycle_through(graph: &BTreeMap<String, BTreeSet<String>>, from: &str) -> Option<Vec<String>> {
    let mut stack = vec![(from.to_string(), vec![from.to_string()])];
    let mut seen = BTreeSet::new();
    while let Some((node, path)) = stack.pop() {
        for next in graph.get(&node).into_iter().flatten() {
            if next == from {
                let mut cycle = path.clone();
                cycle.push(next.clone());
                return Some(cycle);
            }
            if seen.insert(next.clone()) {
                let mut longer = path.clone();
                longer.push(next.clone());
                stack.push((next.clone(), longer));
            }
        }
    }
    None
}

#[test]
fn the_top_level_modules_import_one_way() {
    let graph = imports();
    assert!(
        graph.contains_key("evaluate") && graph.contains_key("cli"),
        "{graph:?}"
    );
    for module in graph.keys() {
        assert_eq!(cycle_through(&graph, module), None, "an import cycle");
    }
}

#[test]
fn the_pure_core_never_reaches_the_outside_world() {
    let graph = imports();
    let outside = ["cli", "credentials", "render", "record", "demo", "audit"];
    for core in [
        "evaluate",
        "report",
        "rules",
        "policy",
        "observations",
        "sensitive",
        "permissions",
    ] {
        let reached: Vec<&String> = graph
            .get(core)
            .into_iter()
            .flatten()
            .filter(|m| outside.contains(&m.as_str()))
            .collect();
        assert!(reached.is_empty(), "{core} imports {reached:?}");
    }
}
