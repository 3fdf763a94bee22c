//! How long HiBob asks a caller to wait after a 429: `Retry-After` or `X-RateLimit-Reset`.

use std::time::Duration;

use super::RATE_LIMIT_CAP;
use crate::client::ApiResponse;

/// Unix seconds of an HTTP date (`Wed, 21 Oct 2015 07:28:00 GMT`).
fn http_date(text: &str) -> Option<i64> {
    let parts: Vec<&str> = text.split_whitespace().collect();
    let [_, day, month, year, time, "GMT"] = parts.as_slice() else {
        return None;
    };
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let month = MONTHS.iter().position(|m| m == month)? as u32 + 1;
    let mut hms = time.split(':').map(|n| n.parse::<i64>().ok());
    let (h, m, s) = (hms.next()??, hms.next()??, hms.next()??);
    let date = crate::date::Date::from_ymd(year.parse().ok()?, month, day.parse().ok()?);
    Some(date.unix_days() * 86_400 + h * 3600 + m * 60 + s)
}

/// How long HiBob asks us to wait: `Retry-After` (seconds or an HTTP date), else
/// `X-RateLimit-Reset` (Unix seconds, or seconds from now when small).
pub(super) fn rate_limit_wait(response: &ApiResponse, now: f64) -> Option<Duration> {
    if let Some(value) = response.header("retry-after").map(str::trim) {
        if let Ok(secs) = value.parse::<u64>() {
            return Some(Duration::from_secs(secs.max(1)));
        }
        if let Some(at) = http_date(value) {
            let secs = (at as f64 - now).clamp(1.0, RATE_LIMIT_CAP.as_secs_f64());
            return Some(Duration::from_secs_f64(secs));
        }
    }
    let reset = response
        .header("x-ratelimit-reset")
        .and_then(|v| v.trim().parse::<f64>().ok())?;
    if !reset.is_finite() || reset < 0.0 {
        return None;
    }
    let secs = if reset > 1_000_000_000.0 {
        reset - now
    } else {
        reset
    };
    Some(Duration::from_secs_f64(
        secs.clamp(1.0, RATE_LIMIT_CAP.as_secs_f64()),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io;
    use std::time::{SystemTime, UNIX_EPOCH};

    fn wait(r: &ApiResponse) -> Option<Duration> {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs_f64();
        rate_limit_wait(r, now)
    }

    fn response(headers: &[(&str, &str)]) -> ApiResponse {
        ApiResponse {
            status: 429,
            content_type: None,
            headers: headers
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            body: Box::new(io::empty()),
        }
    }

    #[test]
    fn rate_limit_waits_follow_the_headers_and_are_capped() {
        assert_eq!(
            wait(&response(&[("retry-after", "3")])),
            Some(Duration::from_secs(3))
        );
        assert_eq!(
            wait(&response(&[("x-ratelimit-reset", "2")])),
            Some(Duration::from_secs(2))
        );
        assert_eq!(
            wait(&response(&[("x-ratelimit-reset", "99999")])),
            Some(RATE_LIMIT_CAP)
        );
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs();
        let w = wait(&response(&[("x-ratelimit-reset", &(now + 5).to_string())])).unwrap();
        assert!(
            w <= Duration::from_secs(5) && w >= Duration::from_secs(3),
            "{w:?}"
        );
        assert_eq!(wait(&response(&[])), None);
        assert_eq!(
            wait(&response(&[(
                "retry-after",
                "Wed, 21 Oct 2015 07:28:00 GMT"
            )])),
            Some(Duration::from_secs(1)),
            "a date in the past waits the minimum"
        );
        assert_eq!(
            http_date("Wed, 21 Oct 2015 07:28:00 GMT"),
            Some(1_445_412_480)
        );
        assert_eq!(http_date("tomorrow"), None);
        assert_eq!(wait(&response(&[("x-ratelimit-reset", "NaN")])), None);
    }
}
