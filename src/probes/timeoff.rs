//! Time-off probes: one read-only call each, only for what the rules require.

use std::collections::BTreeSet;
use std::io::Read;

use serde_json::Value;

use super::DecodeError;
use crate::client::ApiRequest;
use crate::client::url::encode_component;
use crate::date::Date;
use crate::observations::{TimeoffAnswer, TimeoffProbe};
use crate::rules::{Rules, TimeoffCapability as Cap};

/// Which probes the rules need, in the order they run. The balance probe comes last: it
/// needs a policy type name, which the earlier answers may give.
pub fn planned(rules: &Rules) -> Vec<TimeoffProbe> {
    let Some(t) = &rules.timeoff else {
        return Vec::new();
    };
    let wants = |c: Cap| t.requires(c);
    let mut out = Vec::new();
    if wants(Cap::PolicyTypes) || wants(Cap::Balance) {
        out.push(TimeoffProbe::PolicyTypes);
    }
    if wants(Cap::WhosOut)
        || wants(Cap::PrivateRequests)
        || wants(Cap::PendingRequests)
        || wants(Cap::Balance)
    {
        out.push(TimeoffProbe::WhosOut);
    }
    if wants(Cap::PrivateRequests) {
        out.push(TimeoffProbe::WhosOutPrivate);
    }
    if wants(Cap::PendingRequests) {
        out.push(TimeoffProbe::WhosOutPending);
    }
    if wants(Cap::OutToday) {
        out.push(TimeoffProbe::OutToday);
    }
    if wants(Cap::Requests) {
        out.push(TimeoffProbe::RequestChanges);
    }
    if wants(Cap::Balance) {
        out.push(TimeoffProbe::Balance);
    }
    out
}

/// The balance endpoint as reports name it: the employee ID never leaves the request.
pub const BALANCE_ROUTE: &str = "/timeoff/employees/{id}/balance";

/// The who's-out window: a week either side of today.
fn window(today: Date) -> Vec<(String, String)> {
    vec![
        ("from".into(), today.add_days(-7).to_string()),
        ("to".into(), today.add_days(7).to_string()),
    ]
}

/// The request for a probe. The balance request needs an employee and a policy type; with
/// `None` they are shown as placeholders (for `--plan`).
pub fn request(
    probe: TimeoffProbe,
    today: Date,
    employee: Option<&str>,
    policy_type: Option<&str>,
) -> ApiRequest {
    let mut r = match probe {
        TimeoffProbe::PolicyTypes => ApiRequest::get("/timeoff/policy-types"),
        TimeoffProbe::WhosOut | TimeoffProbe::WhosOutPrivate | TimeoffProbe::WhosOutPending => {
            ApiRequest::get("/timeoff/whosout")
        }
        TimeoffProbe::OutToday => ApiRequest::get("/timeoff/outtoday"),
        TimeoffProbe::RequestChanges => ApiRequest::get("/timeoff/requests/changes"),
        TimeoffProbe::Balance => {
            let mut r = ApiRequest::get(&format!(
                "/timeoff/employees/{}/balance",
                employee.map_or_else(|| "{id}".to_string(), encode_component)
            ));
            r.route = Some(BALANCE_ROUTE.to_string());
            r
        }
    };
    r.query = match probe {
        TimeoffProbe::WhosOut => window(today),
        TimeoffProbe::WhosOutPrivate => {
            let mut q = window(today);
            q.push(("includePrivate".into(), "true".into()));
            q
        }
        TimeoffProbe::WhosOutPending => {
            let mut q = window(today);
            q.push(("includePending".into(), "true".into()));
            q
        }
        TimeoffProbe::RequestChanges => vec![(
            "since".into(),
            format!("{}T00:00:00.000Z", today.add_days(-30)),
        )],
        TimeoffProbe::Balance => vec![
            (
                "policyType".into(),
                policy_type.unwrap_or("{policy type}").to_string(),
            ),
            ("date".into(), today.to_string()),
        ],
        TimeoffProbe::PolicyTypes | TimeoffProbe::OutToday => Vec::new(),
    };
    r
}

/// What a probe is for, in a few words (for `--plan` and `--verbose`).
pub fn purpose(probe: TimeoffProbe) -> &'static str {
    match probe {
        TimeoffProbe::PolicyTypes => {
            "policy types (Features > Time off > Settings; also names a policy for the balance probe)"
        }
        TimeoffProbe::WhosOut => "who's out this fortnight (\"See who's out\")",
        TimeoffProbe::WhosOutPrivate => {
            "who's out, private policies included (compared with the default)"
        }
        TimeoffProbe::WhosOutPending => {
            "who's out, pending requests included (compared with the default)"
        }
        TimeoffProbe::OutToday => "who's out today (\"See who's out\")",
        TimeoffProbe::RequestChanges => {
            "time-off request changes of the last 30 days (\"See who's out\")"
        }
        TimeoffProbe::Balance => {
            "one visible employee's balance (\"See selected people's time off and sick leave balances\")"
        }
    }
}

/// Decodes a time-off answer. A 200 with an empty body or without the documented list is
/// `Empty`, not an error: HiBob has been seen to answer so where a permission is missing.
pub fn decode(probe: TimeoffProbe, body: &mut dyn Read) -> Result<TimeoffAnswer, DecodeError> {
    let mut bytes = Vec::new();
    body.read_to_end(&mut bytes)
        .map_err(|_| DecodeError::new("the connection broke while reading the answer"))?;
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(TimeoffAnswer::Empty);
    }
    let value: Value = serde_json::from_slice(&bytes).map_err(|e| DecodeError::from_json(&e))?;
    Ok(match probe {
        TimeoffProbe::PolicyTypes => {
            let list = value
                .get("policyTypes")
                .or(Some(&value))
                .and_then(Value::as_array);
            match list {
                None => TimeoffAnswer::Empty,
                Some(items) => TimeoffAnswer::PolicyTypes(
                    items
                        .iter()
                        .filter_map(|i| {
                            i.as_str()
                                .or_else(|| i.get("name").and_then(Value::as_str))
                                .map(str::to_string)
                        })
                        .collect(),
                ),
            }
        }
        TimeoffProbe::WhosOut
        | TimeoffProbe::WhosOutPrivate
        | TimeoffProbe::WhosOutPending
        | TimeoffProbe::OutToday => match value.get("outs").and_then(Value::as_array) {
            None => TimeoffAnswer::Empty,
            Some(outs) => {
                let names: BTreeSet<String> = outs
                    .iter()
                    .filter_map(|o| o.get("policyTypeDisplayName").and_then(Value::as_str))
                    .map(str::to_string)
                    .collect();
                TimeoffAnswer::Outs {
                    count: outs.len() as u64,
                    policy_types: names.into_iter().collect(),
                }
            }
        },
        TimeoffProbe::RequestChanges => match value.get("changes").and_then(Value::as_array) {
            None => TimeoffAnswer::Empty,
            Some(changes) => TimeoffAnswer::Changes {
                count: changes.len() as u64,
            },
        },
        TimeoffProbe::Balance => match value.as_object() {
            Some(o) if !o.is_empty() => TimeoffAnswer::Balance,
            _ => TimeoffAnswer::Empty,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_carry_the_documented_parameters() {
        let today = Date::from_ymd(2026, 11, 28);
        assert_eq!(
            request(TimeoffProbe::WhosOutPrivate, today, None, None).path_and_query(),
            "/timeoff/whosout?from=2026-11-21&to=2026-12-05&includePrivate=true"
        );
        assert_eq!(
            request(TimeoffProbe::RequestChanges, today, None, None).path_and_query(),
            "/timeoff/requests/changes?since=2026-10-29T00%3A00%3A00.000Z"
        );
        assert_eq!(
            request(
                TimeoffProbe::Balance,
                today,
                Some("3332883884017713238"),
                Some("Sick leave")
            )
            .path_and_query(),
            "/timeoff/employees/3332883884017713238/balance?policyType=Sick%20leave&date=2026-11-28"
        );
        assert_eq!(
            request(
                TimeoffProbe::Balance,
                today,
                Some("3332883884017713238"),
                None
            )
            .endpoint(),
            "GET /timeoff/employees/{id}/balance"
        );
    }

    #[test]
    fn empty_and_odd_answers_are_empty_not_errors() {
        for body in ["", "  \n", "{}"] {
            assert_eq!(
                decode(TimeoffProbe::WhosOut, &mut body.as_bytes()).unwrap(),
                TimeoffAnswer::Empty
            );
        }
        assert_eq!(
            decode(
                TimeoffProbe::PolicyTypes,
                &mut r#"{"policyTypes":["Holiday","Sick"]}"#.as_bytes()
            )
            .unwrap(),
            TimeoffAnswer::PolicyTypes(vec!["Holiday".into(), "Sick".into()])
        );
        assert_eq!(
            decode(
                TimeoffProbe::OutToday,
                &mut r#"{"outs":[{"employeeDisplayName":"SENTINEL","policyTypeDisplayName":"Holiday"}]}"#.as_bytes()
            )
            .unwrap(),
            TimeoffAnswer::Outs {
                count: 1,
                policy_types: vec!["Holiday".into()]
            }
        );
        assert!(decode(TimeoffProbe::Balance, &mut "{\"employeeId\":".as_bytes()).is_err());
    }
}
