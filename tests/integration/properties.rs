//! Property tests: no answer HiBob can send and no rules file makes the decoders panic, and
//! no decode error quotes the body (issue 5). They run briefly inside `cargo test`.

use hibob_audit::observations::TimeoffProbe;
use hibob_audit::probes::{metadata, people, timeoff};
use proptest::prelude::*;

fn tracked() -> Vec<people::Tracked> {
    [
        ("root.id", "id"),
        ("root.email", "email"),
        ("work.title", "work.title"),
        ("internal.lifecycleStatus", "internal.lifecycleStatus"),
        ("internal.status", "internal.status"),
    ]
    .iter()
    .map(|(id, path)| people::Tracked {
        field_id: id.to_string(),
        json_path: path.to_string(),
    })
    .collect()
}

/// JSON-ish text: real JSON values, cut and spliced, with odd bytes mixed in.
fn json_value() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::Bool),
        any::<i64>().prop_map(|n| serde_json::json!(n)),
        "SENTINEL[a-z]{0,6}".prop_map(serde_json::Value::String),
    ];
    leaf.prop_recursive(4, 64, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(serde_json::Value::Array),
            prop::collection::btree_map(
                prop_oneof![
                    Just("employees".to_string()),
                    Just("id".to_string()),
                    Just("email".to_string()),
                    Just("work".to_string()),
                    Just("title".to_string()),
                    Just("internal".to_string()),
                    Just("lifecycleStatus".to_string()),
                    Just("humanReadable".to_string()),
                    Just("/work/title".to_string()),
                    Just("outs".to_string()),
                    Just("fields".to_string()),
                    "[a-z/]{1,8}",
                ],
                inner,
                0..6
            )
            .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}

fn body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        json_value().prop_map(|v| v.to_string().into_bytes()),
        (json_value(), any::<prop::sample::Index>()).prop_map(|(v, cut)| {
            let text = v.to_string().into_bytes();
            let n = cut.index(text.len() + 1);
            text[..n].to_vec()
        }),
        prop::collection::vec(any::<u8>(), 0..200),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn people_decoding_never_panics_nor_quotes(bytes in body()) {
        if let Err(e) = people::decode(&mut bytes.as_slice(), &tracked()) {
            prop_assert!(!e.message.contains("SENTINEL"), "{}", e.message);
        }
    }

    #[test]
    fn metadata_decoding_never_panics_nor_quotes(bytes in body()) {
        let wanted = ["root.email".to_string(), "work.title".to_string()].into();
        if let Err(e) = metadata::decode(&mut bytes.as_slice(), &wanted) {
            prop_assert!(!e.message.contains("SENTINEL"), "{}", e.message);
        }
    }

    #[test]
    fn timeoff_decoding_never_panics_nor_quotes(bytes in body()) {
        for probe in [TimeoffProbe::WhosOut, TimeoffProbe::PolicyTypes, TimeoffProbe::RequestChanges, TimeoffProbe::Balance] {
            if let Err(e) = timeoff::decode(probe, &mut bytes.as_slice()) {
                prop_assert!(!e.message.contains("SENTINEL"), "{}", e.message);
            }
        }
    }

    #[test]
    fn people_counts_add_up(n in 0usize..40, present in prop::collection::vec(any::<bool>(), 40)) {
        let employees: Vec<serde_json::Value> = (0..n)
            .map(|i| if present[i] { serde_json::json!({"id": i.to_string(), "work": {"title": null}}) }
                     else { serde_json::json!({"id": i.to_string()}) })
            .collect();
        let body = serde_json::json!({ "employees": employees }).to_string();
        let counts = people::decode(&mut body.as_bytes(), &tracked()).expect("valid answer");
        let title = counts.fields["work.title"];
        prop_assert_eq!(counts.employees, n as u64);
        prop_assert_eq!(title.present + title.absent, n as u64);
        prop_assert_eq!(title.present, present[..n].iter().filter(|p| **p).count() as u64);
        prop_assert_eq!(title.empty, title.present);
    }

    #[test]
    fn rules_parsing_never_panics(text in "(\\[\\[?[a-z]{0,12}\\]\\]?\n|[a-z_]{1,16} = (\"[^\"\n]{0,20}\"|\\[[^\n]{0,30}\\]|[0-9]{1,3}|true)\n|#[^\n]{0,20}\n|\n){0,24}") {
        let _ = hibob_audit::rules::parse(&text, "fuzz.toml");
    }

    #[test]
    fn rules_parsing_never_panics_on_any_text(text in "\\PC{0,200}", bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        let _ = hibob_audit::rules::parse(&text, "fuzz.toml");
        let _ = hibob_audit::rules::parse(&String::from_utf8_lossy(&bytes), "fuzz.toml");
    }

    /// The line index gives the same line and column as a rescan, for any text and offset.
    #[test]
    fn the_line_index_agrees_with_a_rescan(text in "\\PC{0,60}(\n\\PC{0,20}){0,6}", offset in 0usize..200) {
        let index = hibob_audit::rules::LineIndex::new(&text);
        prop_assert_eq!(index.line_col(&text, offset), hibob_audit::rules::line_col(&text, offset));
    }

    #[test]
    fn rules_errors_point_inside_the_file(text in "\\[integration\\]\nname = \"x\"\n(\\[\\[fields\\]\\]\nid = \"[a-z. ]{0,12}\"\npurpose = \"[a-z]{0,5}\"\n(level = \"[a-z]{0,8}\"\n)?){0,4}") {
        if let Err(e) = hibob_audit::rules::parse(&text, "fuzz.toml") {
            let lines = text.lines().count().max(1);
            for p in &e.problems {
                prop_assert!(p.line >= 1 && p.line <= lines + 1, "{} of {}", p.line, lines);
                prop_assert!(p.column >= 1);
            }
        }
    }
}

/// A small valid recording: metadata, a people search, one time-off call.
fn recording() -> serde_json::Value {
    serde_json::json!({
        "format": "hibob-audit-recording", "version": 1,
        "tool": {"name": "hibob-audit", "version": "0.1.0"},
        "recorded_on": "2026-11-28", "base_url": "https://api.hibob.com/v1", "rules": "activtrak",
        "notice": "Redacted",
        "calls": [
            {"method": "GET", "path": "/company/people/fields", "query": [],
             "answer": {"kind": "http", "status": 200, "headers": [["content-type", "application/json"]],
                        "body_bytes": 120, "body_kind": "json",
                        "body": [{"id": "root.email", "categoryId": "root", "jsonPath": "email"}]}},
            {"method": "POST", "path": "/people/search", "query": [],
             "request_body": {"fields": ["root.id", "root.email"]},
             "answer": {"kind": "http", "status": 200, "headers": [["content-type", "application/json"]],
                        "body_bytes": 64, "body_kind": "malformed", "json_error": "the JSON ends early (truncated at line 1 column 9)"}},
            {"method": "GET", "path": "/timeoff/whosout", "query": [["from", "2026-11-21"]],
             "answer": {"kind": "transport-error", "error": "timeout", "detail": "timed out"}}
        ]
    })
}

/// Values a hostile recording may put anywhere.
fn hostile_value() -> impl Strategy<Value = serde_json::Value> {
    prop_oneof![
        Just(serde_json::json!(u64::MAX)),
        Just(serde_json::json!(1_000_000_000_000u64)),
        Just(serde_json::json!(-1)),
        Just(serde_json::json!(1e300)),
        Just(serde_json::Value::Null),
        Just(serde_json::json!("\u{1b}[31m\u{202e}")),
        Just(serde_json::json!("x".repeat(100_000))),
        Just(serde_json::json!(vec![["a", "b"]; 300])),
        Just(serde_json::json!({"kind": "http"})),
        Just(serde_json::json!(["only one"])),
        json_value(),
    ]
}

/// Where in a recording to put it.
const POINTERS: &[&str] = &[
    "/version",
    "/format",
    "/recorded_on",
    "/base_url",
    "/rules",
    "/tool",
    "/calls",
    "/calls/0/query",
    "/calls/0/answer/status",
    "/calls/0/answer/body_bytes",
    "/calls/0/answer/body",
    "/calls/0/answer/headers",
    "/calls/0/answer/body_kind",
    "/calls/1/answer/body_bytes",
    "/calls/1/answer/json_error",
    "/calls/1/request_body",
    "/calls/1/path",
    "/calls/2/answer/error",
    "/calls/2/answer/detail",
    "/calls/2/query/0",
];

fn hostile_recording() -> impl Strategy<Value = Vec<u8>> {
    let mutated = prop::collection::vec((prop::sample::select(POINTERS), hostile_value()), 1..4)
        .prop_map(|edits| {
            let mut doc = recording();
            for (pointer, value) in edits {
                if let Some(slot) = doc.pointer_mut(pointer) {
                    *slot = value;
                }
            }
            doc.to_string().into_bytes()
        });
    prop_oneof![
        4 => mutated,
        1 => any::<prop::sample::Index>().prop_map(|cut| {
            let text = recording().to_string().into_bytes();
            let n = cut.index(text.len() + 1);
            text[..n].to_vec()
        }),
        1 => prop::collection::vec(any::<u8>(), 0..200),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// A recording from elsewhere never panics the parser or the replay, and a refusal names a
    /// line and column (issue 13).
    #[test]
    fn hostile_recordings_never_panic(bytes in hostile_recording()) {
        match hibob_audit::record::parse(bytes.as_slice(), "fuzz.json") {
            Err(e) => {
                let text = e.to_string();
                prop_assert!(text.contains("line") || text.contains("format"), "{text}");
            }
            Ok(recording) => {
                let replay = hibob_audit::record::Replay::new(recording);
                let rules = hibob_audit::cli::load_profile("activtrak").expect("profile");
                let limits = hibob_audit::probes::Limits {
                    waits: false,
                    answers: hibob_audit::probes::AnswerLimits { people: 1 << 20, metadata: 1 << 20, timeoff: 1 << 20 },
                    ..hibob_audit::probes::Limits::default()
                };
                let today = hibob_audit::date::Date::from_ymd(2026, 11, 28);
                let _ = hibob_audit::probes::run(&replay, &hibob_audit::probes::Needs::of(&rules), today, limits, &|_| {});
            }
        }
    }
}
