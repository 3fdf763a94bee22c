//! Calendar dates for time-off queries, without a date library. The clock is read at the
//! edge (`cli`) and passed in, so probes and evaluation stay deterministic.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    /// Days since 1970-01-01.
    days: i64,
}

impl Date {
    pub fn from_unix_seconds(secs: i64) -> Self {
        Date {
            days: secs.div_euclid(86_400),
        }
    }

    pub fn from_ymd(y: i64, m: u32, d: u32) -> Self {
        // Howard Hinnant's days_from_civil.
        let y = if m <= 2 { y - 1 } else { y };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let mp = (i64::from(m) + 9) % 12;
        let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        Date {
            days: era * 146_097 + doe - 719_468,
        }
    }

    pub(crate) fn ymd(self) -> (i64, u32, u32) {
        // Howard Hinnant's civil_from_days.
        let z = self.days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let y = yoe + era * 400 + i64::from(m <= 2);
        (y, m, d)
    }

    /// Days since 1970-01-01.
    pub(crate) fn unix_days(self) -> i64 {
        self.days
    }

    pub(crate) fn add_days(self, n: i64) -> Self {
        Date {
            days: self.days + n,
        }
    }

    /// A calendar date written `YYYY-MM-DD`; `None` for anything else or a day that does
    /// not exist (`2026-02-30`).
    pub fn parse(text: &str) -> Option<Self> {
        let b = text.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let num = |r: std::ops::Range<usize>| -> Option<u32> {
            let s = text.get(r)?;
            s.bytes()
                .all(|c| c.is_ascii_digit())
                .then(|| s.parse().ok())?
        };
        let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
        if !(1..=12).contains(&m) || d == 0 {
            return None;
        }
        let date = Date::from_ymd(i64::from(y), m, d);
        (date.ymd() == (i64::from(y), m, d)).then_some(date)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_formats() {
        assert_eq!(Date::from_unix_seconds(0).to_string(), "1970-01-01");
        assert_eq!(
            Date::from_unix_seconds(1_795_826_476).to_string(),
            "2026-11-28"
        );
        let d = Date::from_ymd(2024, 2, 28);
        assert_eq!(d.add_days(1).to_string(), "2024-02-29");
        assert_eq!(d.add_days(2).to_string(), "2024-03-01");
        assert_eq!(
            Date::from_ymd(2026, 1, 3).add_days(-7).to_string(),
            "2025-12-27"
        );
        assert_eq!(
            Date::parse("2026-11-28"),
            Some(Date::from_ymd(2026, 11, 28))
        );
        for bad in [
            "2026-02-30",
            "2026-13-01",
            "26-11-28",
            "2026-11-2x",
            "2026/11/28",
            "",
        ] {
            assert_eq!(Date::parse(bad), None, "{bad}");
        }
        for days in -1000..1000 {
            let d = Date { days };
            let (y, m, dd) = d.ymd();
            assert_eq!(Date::from_ymd(y, m, dd), d);
        }
    }
}
