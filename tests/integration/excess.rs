//! `check --excess`: what the permission group grants beyond the rules' needs (issue 15).

use crate::support::fake_hibob::granted;
use crate::support::{FakeHiBob, check};

#[test]
fn peek() {
    let fake = FakeHiBob::start(granted(12).with_all_categories());
    let run = check(&fake, &["--profile", "activtrak", "--excess"]);
    eprintln!("{}\n{}", run.stdout, run.stderr);
    let run = check(
        &fake,
        &["--profile", "activtrak", "--excess", "--format", "json"],
    );
    std::fs::write("/tmp/x/peek.json", &run.stdout).unwrap();
    for r in fake.requests() {
        if r.path.ends_with("search") {
            eprintln!("{}", r.body.unwrap());
        } else {
            eprintln!("{} {:?}", r.path, r.query);
        }
    }
}
