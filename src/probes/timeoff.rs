//! Time-off probes: one read-only call each, only for what the rules require.

use std::collections::BTreeSet;
use std::fmt;
use std::io::Read;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::Needs;
use crate::client::ApiRequest;
use crate::client::body::DecodeError;
use crate::client::url::encode_component;
use crate::date::Date;
use crate::observations::{TimeoffAnswer, TimeoffProbe};
use crate::rules::TimeoffCapability as Cap;

/// Which probes the rules need, in the order they run. The balance probe comes last: it
/// needs a policy type name, which the earlier answers may give.
pub fn planned(needs: &Needs) -> Vec<TimeoffProbe> {
    let wants = |c: Cap| needs.wants(c);
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
    // With --excess, the boxes the rules do not need are compared with the plain who's-out
    // call too, where that call runs anyway: two more calls at most, to an endpoint called
    // already, and nothing for rules that read no time off.
    let base = out.contains(&TimeoffProbe::WhosOut);
    if wants(Cap::PrivateRequests) || (needs.excess.on() && base) {
        out.push(TimeoffProbe::WhosOutPrivate);
    }
    if wants(Cap::PendingRequests) || (needs.excess.on() && base) {
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

/// Whether `probe` is planned only for `--excess`: a box the rules do not need.
pub(crate) fn for_excess(needs: &Needs, probe: TimeoffProbe) -> bool {
    match probe {
        TimeoffProbe::WhosOutPrivate => !needs.wants(Cap::PrivateRequests),
        TimeoffProbe::WhosOutPending => !needs.wants(Cap::PendingRequests),
        _ => false,
    }
}

/// The balance endpoint as reports name it: the employee ID never leaves the request.
pub(crate) const BALANCE_ROUTE: &str = "/timeoff/employees/{id}/balance";

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

/// At most this many policy type names are kept of one answer (a tenant has a handful).
pub(crate) const MAX_NAMES: usize = 1000;

/// Decodes a time-off answer: counts and policy type names, no JSON tree, and a large answer
/// streamed, so memory does not grow with the answer. A 200 with an empty body or without the documented
/// list is `Empty`, not an error: HiBob has been seen to answer so where a permission is missing.
pub fn decode(probe: TimeoffProbe, body: &mut dyn Read) -> Result<TimeoffAnswer, DecodeError> {
    // An empty (or blank) body is an answer of its own.
    let Some(mut reader) = crate::client::body::non_blank(body)? else {
        return Ok(TimeoffAnswer::Empty);
    };
    crate::client::body::decode_with(&mut reader, Top(probe))
}

/// The answer's top level, read for one probe.
struct Top(TimeoffProbe);

impl Top {
    fn empty<E: de::Error>(self) -> Result<TimeoffAnswer, E> {
        Ok(TimeoffAnswer::Empty)
    }
}

impl<'de> DeserializeSeed<'de> for Top {
    type Value = TimeoffAnswer;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<TimeoffAnswer, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Top {
    type Value = TimeoffAnswer;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a time-off answer")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<TimeoffAnswer, A::Error> {
        let list_key = match self.0 {
            TimeoffProbe::PolicyTypes => "policyTypes",
            TimeoffProbe::RequestChanges => "changes",
            TimeoffProbe::Balance => "",
            _ => "outs",
        };
        let mut answer = TimeoffAnswer::Empty;
        while let Some(key) = map.next_key::<String>()? {
            if self.0 == TimeoffProbe::Balance {
                answer = TimeoffAnswer::Balance;
                map.next_value::<IgnoredAny>()?;
            } else if key == list_key {
                // As a JSON object would: the last of a repeated key wins.
                answer = match map.next_value::<List>()?.0 {
                    None => TimeoffAnswer::Empty,
                    Some(list) => list.answer(self.0),
                };
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(answer)
    }

    /// Only the policy types may come as a bare array.
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<TimeoffAnswer, A::Error> {
        let list = ListVisitor.visit_seq(seq)?;
        Ok(match (self.0, list.0) {
            (TimeoffProbe::PolicyTypes, Some(list)) => list.answer(self.0),
            _ => TimeoffAnswer::Empty,
        })
    }

    scalars!(empty, str);
}

/// A list's length and the names its entries carry: a string entry, or an object's
/// `policyTypeDisplayName` or `name`.
#[derive(Default)]
struct Listed {
    count: u64,
    names: Vec<String>,
    object_names: BTreeSet<String>,
}

impl Listed {
    fn answer(self, probe: TimeoffProbe) -> TimeoffAnswer {
        match probe {
            TimeoffProbe::PolicyTypes => TimeoffAnswer::PolicyTypes(self.names),
            TimeoffProbe::RequestChanges => TimeoffAnswer::Changes { count: self.count },
            TimeoffProbe::Balance => TimeoffAnswer::Balance,
            _ => TimeoffAnswer::Outs {
                count: self.count,
                policy_types: self.object_names.into_iter().collect(),
            },
        }
    }
}

/// An array, or `None` for any other value.
struct List(Option<Listed>);

impl<'de> de::Deserialize<'de> for List {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ListVisitor)
    }
}

struct ListVisitor;

impl ListVisitor {
    fn none<E: de::Error>(self) -> Result<List, E> {
        Ok(List(None))
    }
}

impl<'de> Visitor<'de> for ListVisitor {
    type Value = List;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<List, A::Error> {
        let mut listed = Listed::default();
        while let Some(item) = seq.next_element::<Item>()? {
            listed.count += 1;
            match item {
                Item::Text(name) if listed.names.len() < MAX_NAMES => listed.names.push(name),
                Item::Object { display, name } => {
                    if let Some(n) = name.filter(|_| listed.names.len() < MAX_NAMES) {
                        listed.names.push(n);
                    }
                    if let Some(d) = display.filter(|_| listed.object_names.len() < MAX_NAMES) {
                        listed.object_names.insert(d);
                    }
                }
                _ => {}
            }
        }
        Ok(List(Some(listed)))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<List, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(List(None))
    }
    scalars!(none, str);
}

/// One entry of a list: a string, an object (with the names it carries), or anything else.
enum Item {
    Text(String),
    Object {
        display: Option<String>,
        name: Option<String>,
    },
    Other,
}

impl<'de> de::Deserialize<'de> for Item {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ItemVisitor)
    }
}

struct ItemVisitor;

impl ItemVisitor {
    fn other<E: de::Error>(self) -> Result<Item, E> {
        Ok(Item::Other)
    }
}

impl<'de> Visitor<'de> for ItemVisitor {
    type Value = Item;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list entry")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Item, E> {
        Ok(Item::Text(v.to_string()))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Item, A::Error> {
        let (mut display, mut name) = (None, None);
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "policyTypeDisplayName" => display = map.next_value::<Text>()?.0,
                "name" => name = map.next_value::<Text>()?.0,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(Item::Object { display, name })
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Item, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Item::Other)
    }
    scalars!(other);
}

/// A string value as it is, or `None` for anything else.
struct Text(Option<String>);

impl<'de> de::Deserialize<'de> for Text {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Text(match Item::deserialize(d)? {
            Item::Text(s) => Some(s),
            _ => None,
        }))
    }
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
