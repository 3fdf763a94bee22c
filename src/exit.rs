//! Exit codes, in one place. The same table is in docs/exit-codes.md and the README.

/// What the process's exit status means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// The audit ran and found no error-level finding (also: help, version, rules list, demo).
    Ok = 0,
    /// The audit ran and found at least one error-level finding. Also: `rules diff` of rules
    /// that differ, `diff` of reports where something got worse (like diff(1)).
    Findings = 1,
    /// Usage, rules or credential-input error: nothing was probed. Also: `diff` of files that
    /// cannot be compared.
    Usage = 2,
    /// The audit could not be completed: credentials rejected, network, timeout, an answer
    /// that is not JSON, a server error.
    Incomplete = 3,
}

impl Exit {
    pub const ALL: [Exit; 4] = [Exit::Ok, Exit::Findings, Exit::Usage, Exit::Incomplete];

    pub fn code(self) -> u8 {
        self as u8
    }

    /// One line on what the code means: the man pages print it, README's table holds it word
    /// for word (a test checks), and docs/exit-codes.md has a row for it with examples.
    pub fn summary(self) -> &'static str {
        match self {
            Exit::Ok => {
                "no error-level finding (also `demo`, `rules`, `--help`; `rules diff`: the same rules; `diff`: nothing got worse)"
            }
            Exit::Findings => {
                "at least one error-level finding (`rules diff`: the rules differ; `diff`: something got worse)"
            }
            Exit::Usage => {
                "usage, rules or credential-input error: nothing was probed (`diff`: the files cannot be compared)"
            }
            Exit::Incomplete => {
                "the audit could not be completed: credentials rejected, network, timeout, non-JSON answer, server error"
            }
        }
    }

    pub(crate) fn from_outcome(outcome: crate::report::Outcome) -> Self {
        match outcome {
            crate::report::Outcome::Pass => Exit::Ok,
            crate::report::Outcome::Fail => Exit::Findings,
            crate::report::Outcome::Incomplete => Exit::Incomplete,
        }
    }
}

/// The EXIT STATUS section of the man pages, from the same table.
pub fn man_section() -> String {
    let mut out = String::from(".SH \"EXIT STATUS\"\n");
    for e in Exit::ALL {
        out.push_str(&format!(
            ".TP\n{}\n{}.\n",
            e.code(),
            e.summary().replace('`', "")
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Outcome;

    #[test]
    fn codes_are_stable() {
        assert_eq!(
            [Exit::Ok, Exit::Findings, Exit::Usage, Exit::Incomplete].map(Exit::code),
            [0, 1, 2, 3]
        );
        assert_eq!(Exit::from_outcome(Outcome::Pass), Exit::Ok);
        assert_eq!(Exit::from_outcome(Outcome::Fail), Exit::Findings);
        assert_eq!(Exit::from_outcome(Outcome::Incomplete), Exit::Incomplete);
    }
}
