//! Rules-file validation speed (issue 13): `cargo bench --bench rules`.
//!
//! Validates files of 20,000 and 100,000 `[[fields]]` entries, every one a duplicate (so every
//! entry is a problem that needs its line and column), and prints the time each took. The goal
//! is under a second for 100,000 entries in a release build; the bench exits 1 when it misses it.
#![allow(clippy::disallowed_macros)] // a test or bench may say what it measures

use std::time::Instant;

fn file(entries: usize) -> String {
    let mut text = String::from("[integration]\nname = \"bench\"\n");
    for _ in 0..entries {
        text.push_str("[[fields]]\nid = \"work.title\"\npurpose = \"Title\"\n");
    }
    text
}

fn main() {
    let mut missed = false;
    println!("| entries | problems | seconds |");
    println!("|---|---|---|");
    for entries in [20_000, 100_000] {
        let text = file(entries);
        let started = Instant::now();
        let problems = match hibob_audit::rules::parse(&text, "bench.toml") {
            Ok(_) => 0,
            Err(e) => e.problems.len(),
        };
        let seconds = started.elapsed().as_secs_f64();
        println!("| {entries} | {problems} | {seconds:.3} |");
        if entries == 100_000 && seconds >= 1.0 {
            missed = true;
        }
    }
    if missed {
        eprintln!("rules bench: 100,000 entries took a second or more (goal: under 1 s)");
        std::process::exit(1);
    }
}
