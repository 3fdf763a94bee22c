//! Redaction: what of an answer may leave the machine.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

/// Employee IDs and their pseudonyms, stable across one recording.
#[derive(Debug, Default)]
pub struct Pseudonyms {
    map: BTreeMap<String, String>,
}

impl Pseudonyms {
    pub fn of(&mut self, id: &str) -> String {
        let next = self.map.len() + 1;
        self.map
            .entry(id.to_string())
            .or_insert_with(|| format!("employee-{next:04}"))
            .clone()
    }

    /// Replaces every known employee ID in a path segment.
    pub fn path(&mut self, path: &str, employee_segment_after: &str) -> String {
        let parts: Vec<&str> = path.split('/').collect();
        let mut out = Vec::with_capacity(parts.len());
        let mut next_is_id = false;
        for part in parts {
            if next_is_id && !part.is_empty() {
                out.push(self.of(part));
            } else {
                out.push(part.to_string());
            }
            next_is_id = part == employee_segment_after;
        }
        out.join("/")
    }
}

/// Any value as a type marker; objects keep their keys, arrays their length, null and empty
/// strings stay what they are (they carry "readable, no data").
pub fn marker(value: &Value) -> Value {
    match value {
        Value::Null => Value::Null,
        Value::Bool(_) => Value::String("<bool>".into()),
        Value::Number(_) => Value::String("<number>".into()),
        Value::String(s) if s.is_empty() => Value::String(String::new()),
        Value::String(_) => Value::String("<text>".into()),
        Value::Array(items) => Value::Array(items.iter().map(marker).collect()),
        Value::Object(map) => {
            Value::Object(map.iter().map(|(k, v)| (k.clone(), marker(v))).collect())
        }
    }
}

fn id_value(value: &Value, ids: &mut Pseudonyms) -> Value {
    match value {
        Value::String(s) if !s.is_empty() => Value::String(ids.of(s)),
        Value::Number(n) => Value::String(ids.of(&n.to_string())),
        other => marker(other),
    }
}

/// One people record: the ID pseudonymized, lifecycle labels kept, everything else marked.
fn record(value: &Value, ids: &mut Pseudonyms) -> Value {
    let Value::Object(map) = value else {
        return marker(value);
    };
    let mut out = Map::new();
    for (k, v) in map {
        let redacted = match (k.as_str(), v) {
            ("id", _) => id_value(v, ids),
            ("/root/id", Value::Object(inner)) => Value::Object(
                inner
                    .iter()
                    .map(|(ik, iv)| {
                        (
                            ik.clone(),
                            if ik == "value" {
                                id_value(iv, ids)
                            } else {
                                marker(iv)
                            },
                        )
                    })
                    .collect(),
            ),
            ("/internal/lifecycleStatus" | "/internal/status", _) => v.clone(),
            ("internal", Value::Object(inner)) => Value::Object(
                inner
                    .iter()
                    .map(|(ik, iv)| {
                        let keep =
                            matches!(ik.as_str(), "lifecycleStatus" | "status") && iv.is_string();
                        (ik.clone(), if keep { iv.clone() } else { marker(iv) })
                    })
                    .collect(),
            ),
            ("humanReadable", Value::Object(_)) => record(v, ids),
            _ => marker(v),
        };
        out.insert(k.clone(), redacted);
    }
    Value::Object(out)
}

/// An object whose listed keys are kept, `employeeId` pseudonymized, the rest marked.
fn entry(value: &Value, keep: &[&str], ids: &mut Pseudonyms) -> Value {
    let Value::Object(map) = value else {
        return marker(value);
    };
    Value::Object(
        map.iter()
            .map(|(k, v)| {
                let redacted = if k == "employeeId" {
                    id_value(v, ids)
                } else if keep.contains(&k.as_str()) && !v.is_object() && !v.is_array() {
                    v.clone()
                } else {
                    marker(v)
                };
                (k.clone(), redacted)
            })
            .collect(),
    )
}

/// A list under `key` whose entries are redacted with `each`; other top-level keys marked.
fn listed(
    value: &Value,
    key: &str,
    ids: &mut Pseudonyms,
    each: &dyn Fn(&Value, &mut Pseudonyms) -> Value,
) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| {
                    let redacted = match v {
                        Value::Array(items) if k == key => {
                            Value::Array(items.iter().map(|i| each(i, ids)).collect())
                        }
                        _ => marker(v),
                    };
                    (k.clone(), redacted)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(|i| each(i, ids)).collect()),
        other => marker(other),
    }
}

/// Redacts an answer's JSON by the endpoint it came from.
pub fn answer(path: &str, value: &Value, ids: &mut Pseudonyms) -> Value {
    match path {
        // Company settings, no employee data.
        "/company/people/fields" | "/timeoff/policy-types" => value.clone(),
        "/people/search" => listed(value, "employees", ids, &record),
        "/timeoff/whosout" | "/timeoff/outtoday" => listed(value, "outs", ids, &|v, ids| {
            entry(
                v,
                &["policyTypeDisplayName", "type", "status", "visibility"],
                ids,
            )
        }),
        "/timeoff/requests/changes" => listed(value, "changes", ids, &|v, ids| {
            entry(v, &["changeType", "policyTypeDisplayName"], ids)
        }),
        _ => marker(value),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn people_keep_presence_nulls_and_labels_only() {
        let mut ids = Pseudonyms::default();
        let body = json!({"employees": [{
            "id": "3332883884017713238", "email": "jane@example.com", "firstName": "",
            "work": {"title": "Engineer", "employeeIdInCompany": null, "fte": 0.8, "remote": true},
            "internal": {"lifecycleStatus": "employed", "status": "Active", "terminationDate": "2026-01-01"},
            "/root/id": {"value": "3332883884017713238"}, "/work/title": {"value": "Engineer"},
            "humanReadable": {"internal": {"lifecycleStatus": "Employed"}, "work": {"title": "Engineer"}}
        }]});
        let r = answer("/people/search", &body, &mut ids);
        assert_eq!(
            r,
            json!({"employees": [{
                "id": "employee-0001", "email": "<text>", "firstName": "",
                "work": {"title": "<text>", "employeeIdInCompany": null, "fte": "<number>", "remote": "<bool>"},
                "internal": {"lifecycleStatus": "employed", "status": "Active", "terminationDate": "<text>"},
                "/root/id": {"value": "employee-0001"}, "/work/title": {"value": "<text>"},
                "humanReadable": {"internal": {"lifecycleStatus": "Employed"}, "work": {"title": "<text>"}}
            }]})
        );
    }

    #[test]
    fn ids_are_stable_across_calls_and_paths() {
        let mut ids = Pseudonyms::default();
        let outs = json!({"outs": [{"employeeId": "42", "employeeDisplayName": "Jane", "policyTypeDisplayName": "Holiday", "startDate": "2026-11-27"}]});
        let r = answer("/timeoff/whosout", &outs, &mut ids);
        assert_eq!(
            r,
            json!({"outs": [{"employeeId": "employee-0001", "employeeDisplayName": "<text>", "policyTypeDisplayName": "Holiday", "startDate": "<text>"}]})
        );
        assert_eq!(
            ids.path("/timeoff/employees/42/balance", "employees"),
            "/timeoff/employees/employee-0001/balance"
        );
        assert_eq!(
            ids.path("/timeoff/employees/7/balance", "employees"),
            "/timeoff/employees/employee-0002/balance"
        );
    }

    #[test]
    fn balances_and_unknown_answers_are_all_markers() {
        let mut ids = Pseudonyms::default();
        let r = answer(
            "/timeoff/employees/{id}/balance",
            &json!({"employeeId": "1", "totalBalanceAsOfDate": 12.5}),
            &mut ids,
        );
        assert_eq!(
            r,
            json!({"employeeId": "<text>", "totalBalanceAsOfDate": "<number>"})
        );
    }
}
