//! Limits on the size of HiBob's answers, counted after decompression, and the sizes users
//! write on the command line (`64MiB`, `2GiB`, `500MB`, `1048576`).

use std::fmt;

/// One mebibyte.
pub(crate) const MIB: u64 = 1 << 20;
/// One gibibyte.
pub(crate) const GIB: u64 = 1 << 30;

/// The endpoints whose answers have their own limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnswerKind {
    /// `POST /people/search`: every visible employee at once (HiBob has no pagination).
    People,
    /// `GET /company/people/fields`.
    Metadata,
    /// The time-off endpoints.
    Timeoff,
}

impl AnswerKind {
    pub const ALL: [AnswerKind; 3] = [
        AnswerKind::People,
        AnswerKind::Metadata,
        AnswerKind::Timeoff,
    ];

    /// The name `--max-answer-size ENDPOINT=SIZE` takes.
    pub fn as_str(self) -> &'static str {
        match self {
            AnswerKind::People => "people",
            AnswerKind::Metadata => "metadata",
            AnswerKind::Timeoff => "timeoff",
        }
    }

    /// Which limit applies to a request path (relative to the base URL).
    pub(crate) fn of_path(path: &str) -> Self {
        if path == super::people::PATH {
            AnswerKind::People
        } else if path == super::metadata::PATH {
            AnswerKind::Metadata
        } else {
            AnswerKind::Timeoff
        }
    }
}

/// The largest answer read from each endpoint, in decompressed bytes. An answer past its limit
/// ends the call (exit 3), and memory stays within about twice the limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AnswerLimits {
    pub people: u64,
    pub metadata: u64,
    pub timeoff: u64,
}

impl AnswerLimits {
    /// Large enough for the largest real tenants: about 2 KiB per employee and field set, so
    /// 2 GiB holds a million employees with dozens of fields.
    pub(crate) const PEOPLE: u64 = 2 * GIB;
    /// A tenant's field metadata is a few hundred KiB; time-off answers are smaller still.
    pub(crate) const SMALL: u64 = 32 * MIB;

    pub fn get(&self, kind: AnswerKind) -> u64 {
        match kind {
            AnswerKind::People => self.people,
            AnswerKind::Metadata => self.metadata,
            AnswerKind::Timeoff => self.timeoff,
        }
    }

    /// Applies `--max-answer-size` settings in order: one without an endpoint sets all three.
    pub fn with(mut self, setting: AnswerLimit) -> Self {
        for kind in AnswerKind::ALL {
            if setting.kind.is_none_or(|k| k == kind) {
                match kind {
                    AnswerKind::People => self.people = setting.bytes,
                    AnswerKind::Metadata => self.metadata = setting.bytes,
                    AnswerKind::Timeoff => self.timeoff = setting.bytes,
                }
            }
        }
        self
    }
}

impl Default for AnswerLimits {
    fn default() -> Self {
        AnswerLimits {
            people: Self::PEOPLE,
            metadata: Self::SMALL,
            timeoff: Self::SMALL,
        }
    }
}

/// One `--max-answer-size [ENDPOINT=]SIZE`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AnswerLimit {
    /// `None`: every endpoint.
    pub kind: Option<AnswerKind>,
    pub bytes: u64,
}

impl std::str::FromStr for AnswerLimit {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let (kind, size) = match text.split_once('=') {
            Some((name, size)) => {
                let kind = AnswerKind::ALL
                    .into_iter()
                    .find(|k| k.as_str().eq_ignore_ascii_case(name.trim()))
                    .ok_or_else(|| {
                        format!(
                            "unknown endpoint `{}`: expected people, metadata or timeoff (or no ENDPOINT= for all)",
                            crate::sanitize::terminal(name)
                        )
                    })?;
                (Some(kind), size)
            }
            None => (None, text),
        };
        Ok(AnswerLimit {
            kind,
            bytes: parse_size(size)?,
        })
    }
}

/// A size: a whole number of bytes with an optional unit, B, KB, MB, GB, TB (powers of 1000)
/// or KiB, MiB, GiB, TiB (powers of 1024), case-insensitive, e.g. `64MiB`, `2GiB`, `500MB`.
/// At least one KiB.
pub(crate) fn parse_size(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let digits = t.chars().take_while(char::is_ascii_digit).count();
    let (number, unit) = t.split_at(digits);
    let shown = crate::sanitize::terminal(text);
    let number: u64 = number
        .parse()
        .map_err(|_| format!("`{shown}` is not a size: expected e.g. 64MiB, 2GiB or 500MB"))?;
    let factor: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "kb" | "k" => 1000,
        "kib" => 1 << 10,
        "mb" | "m" => 1000 * 1000,
        "mib" => MIB,
        "gb" | "g" => 1000 * 1000 * 1000,
        "gib" => GIB,
        "tb" | "t" => 1000 * 1000 * 1000 * 1000,
        "tib" => 1 << 40,
        _ => {
            return Err(format!(
                "`{shown}` has an unknown unit: use B, KB, MB, GB, TB, KiB, MiB, GiB or TiB"
            ));
        }
    };
    let bytes = number
        .checked_mul(factor)
        .ok_or_else(|| format!("`{shown}` is too large"))?;
    if bytes < 1024 {
        return Err(format!("`{shown}` is too small: at least 1KiB"));
    }
    Ok(bytes)
}

/// A size as people read it: `64 MiB`, `2 GiB`, `1500 bytes`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Size(pub u64);

impl fmt::Display for Size {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.0;
        for (unit, name) in [
            (1u64 << 40, "TiB"),
            (GIB, "GiB"),
            (MIB, "MiB"),
            (1 << 10, "KiB"),
        ] {
            if n >= unit && n.is_multiple_of(unit) {
                return write!(f, "{} {name}", n / unit);
            }
        }
        for (unit, name) in [(1_000_000_000u64, "GB"), (1_000_000, "MB"), (1000, "KB")] {
            if n >= unit && n.is_multiple_of(unit) {
                return write!(f, "{} {name}", n / unit);
            }
        }
        write!(f, "{n} bytes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse_in_both_unit_systems() {
        assert_eq!(parse_size("64MiB"), Ok(64 * MIB));
        assert_eq!(parse_size("2 gib"), Ok(2 * GIB));
        assert_eq!(parse_size("500MB"), Ok(500_000_000));
        assert_eq!(parse_size("4096"), Ok(4096));
        for bad in [
            "",
            "MiB",
            "-1",
            "12 parsecs",
            "99999999999999999999",
            "99999999TiB",
            "10",
        ] {
            assert!(parse_size(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn sizes_show_in_their_unit() {
        assert_eq!(Size(64 * MIB).to_string(), "64 MiB");
        assert_eq!(Size(2 * GIB).to_string(), "2 GiB");
        assert_eq!(Size(500_000_000).to_string(), "500 MB");
        assert_eq!(Size(1500).to_string(), "1500 bytes");
    }

    #[test]
    fn a_limit_without_endpoint_sets_all() {
        let all: AnswerLimit = "1GiB".parse().unwrap();
        let people: AnswerLimit = "people=4GiB".parse().unwrap();
        let l = AnswerLimits::default().with(all).with(people);
        assert_eq!((l.people, l.metadata, l.timeoff), (4 * GIB, GIB, GIB));
        assert!("payroll=1GiB".parse::<AnswerLimit>().is_err());
    }
}
