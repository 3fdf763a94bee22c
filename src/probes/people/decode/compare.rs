//! The scanner against serde_json: on arbitrary answers, valid and not, in chunks of any size,
//! the scanner must count exactly what serde_json's visitors count, and refuse exactly what
//! they refuse.

use proptest::prelude::*;

use super::*;

fn tracked() -> Vec<Tracked> {
    [
        ("root.id", "id"),
        ("root.email", "email"),
        ("work.title", "work.title"),
        ("work", "work"),
        ("internal.lifecycleStatus", "internal.lifecycleStatus"),
        ("internal.status", "internal.status"),
        ("a.b.c", "a.b.c"),
    ]
    .iter()
    .map(|(id, path)| Tracked {
        field_id: id.to_string(),
        json_path: path.to_string(),
    })
    .collect()
}

/// Keys as they appear between quotes: tracked ones, slash keys, escaped spellings of both,
/// and others.
const KEYS: &[&str] = &[
    "employees",
    "id",
    "email",
    "work",
    "title",
    "internal",
    "lifecycleStatus",
    "status",
    "humanReadable",
    "value",
    "a",
    "b",
    "c",
    "/root/email",
    "/work/title",
    "/internal/lifecycleStatus",
    "/internal/status",
    "/root/id",
    "x",
    "",
    "em\\u0061il",
    "\\/internal\\/status",
    "v\\u0061lue",
    "\\ud800",
    "\\u00e9",
    "é",
];

/// Scalars, valid and not as serde_json reads them at a tracked path.
const SCALARS: &[&str] = &[
    "null",
    "true",
    "false",
    "0",
    "-0",
    "12",
    "-5",
    "1.5",
    "2e3",
    "1e400",
    "-1e400",
    "18446744073709551616",
    "-9223372036854775809",
    "\"\"",
    "\"a\"",
    "\"Active\"",
    "\"employed\"",
    "\"Employed\"",
    "\"é\"",
    "\"\\u00e9\"",
    "\"\\ud800\"",
    "\"\\ud83d\\ude00\"",
    "\"\\n\"",
    "[]",
    "{}",
];

fn value() -> impl Strategy<Value = String> {
    let leaf = prop::sample::select(SCALARS).prop_map(String::from);
    leaf.prop_recursive(4, 48, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(|v| format!("[{}]", v.join(","))),
            prop::collection::vec((prop::sample::select(KEYS), inner), 0..5).prop_map(|kv| {
                let members: Vec<String> = kv.iter().map(|(k, v)| format!("\"{k}\":{v}")).collect();
                format!("{{{}}}", members.join(","))
            }),
        ]
    })
}

fn record() -> impl Strategy<Value = String> {
    prop::collection::vec((prop::sample::select(KEYS), value()), 0..8).prop_map(|kv| {
        let members: Vec<String> = kv.iter().map(|(k, v)| format!("\"{k}\":{v}")).collect();
        format!("{{{}}}", members.join(","))
    })
}

fn document() -> impl Strategy<Value = String> {
    let records = || prop::collection::vec(record(), 0..6).prop_map(|r| r.join(","));
    prop_oneof![
        4 => (records(), value()).prop_map(|(r, v)| format!("{{\"employees\":[{r}],\"more\":{v}}}")),
        4 => records().prop_map(|r| format!(" {{ \"employees\" : [ {r} ] }}\n")),
        1 => records().prop_map(|r| format!("[{r}]")),
        1 => value(),
    ]
}

/// Bytes that break JSON in interesting ways.
const BYTES: &[u8] = b"\"\\{}[],: \n0-e.nt\x01\xff\xc3";

#[derive(Debug, Clone)]
enum Change {
    None,
    Cut(prop::sample::Index),
    Replace(prop::sample::Index, u8),
    Insert(prop::sample::Index, u8),
    Remove(prop::sample::Index),
}

fn change() -> impl Strategy<Value = Change> {
    let byte = || prop::sample::select(BYTES);
    let at = any::<prop::sample::Index>;
    prop_oneof![
        3 => Just(Change::None),
        1 => at().prop_map(Change::Cut),
        1 => (at(), byte()).prop_map(|(i, b)| Change::Replace(i, b)),
        1 => (at(), byte()).prop_map(|(i, b)| Change::Insert(i, b)),
        1 => at().prop_map(Change::Remove),
    ]
}

fn apply(doc: &str, change: &Change) -> Vec<u8> {
    let mut bytes = doc.as_bytes().to_vec();
    let n = bytes.len().max(1);
    match change {
        Change::None => {}
        Change::Cut(i) => bytes.truncate(i.index(n)),
        Change::Replace(i, b) => {
            if let Some(x) = bytes.get_mut(i.index(n)) {
                *x = *b;
            }
        }
        Change::Insert(i, b) => bytes.insert(i.index(n).min(bytes.len()), *b),
        Change::Remove(i) => {
            if !bytes.is_empty() {
                bytes.remove(i.index(n).min(bytes.len() - 1));
            }
        }
    }
    bytes
}

/// The scanner's result, on one thread and on two, equals serde_json's.
fn same_as_serde(bytes: &[u8], chunk: usize) -> Result<(), TestCaseError> {
    let t = tracked();
    let trie = Trie::build(&t);
    let reference = visit::reference(bytes, &trie, &t);
    for threads in [false, true] {
        let mut body = bytes;
        let scanned = if threads {
            feed::scan_in(&mut body, &trie, t.len(), chunk)
        } else {
            feed::scan_here(&mut body, &trie, t.len(), chunk)
        }
        .map(|tally| tally.finish(&t));
        match (&reference, &scanned) {
            (Ok(a), Ok(b)) => prop_assert_eq!(a, b),
            (Err(r), Err(e)) => {
                prop_assert!(!e.io);
                // On serde_json's line (the column may be one off: the scanner places some
                // errors after the byte serde_json places them at). serde_json places an error
                // at a newline at column 0 of the next line, the scanner at the end of its line.
                // Where a value has the wrong type, serde_json reads it whole before it says so
                // (an error inside it comes first), the scanner stops at its first byte: both
                // refuse the answer, not always on the same line.
                let at = format!("line {} ", r.line());
                let before = format!("line {} ", r.line().saturating_sub(1));
                let shape = e.message.contains("unexpected shape");
                prop_assert!(
                    shape
                        || e.message.contains(&at)
                        || r.column() == 0 && e.message.contains(&before),
                    "serde_json: {r}\nscanner (chunks of {chunk}): {}\nanswer: {}",
                    e.message,
                    String::from_utf8_lossy(bytes)
                );
            }
            _ => prop_assert!(
                false,
                "serde_json: {:?}\nscanner ({} thread(s), chunks of {chunk}): {:?}\nanswer: {}",
                reference,
                if threads { 2 } else { 1 },
                scanned.as_ref().map(|_| "counts").map_err(|e| &e.message),
                String::from_utf8_lossy(bytes)
            ),
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 600,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn the_scanner_counts_and_refuses_as_serde_json_does(
        doc in document(),
        change in change(),
        chunk in prop_oneof![Just(1usize), 2usize..9, Just(256 * 1024)],
    ) {
        same_as_serde(&apply(&doc, &change), chunk)?;
    }
}

/// A record's shape: its members' text with `@` where a value goes (HiBob writes every record
/// with the same keys in the same order, values apart).
fn shape() -> impl Strategy<Value = Vec<String>> {
    let leaf = prop_oneof![
        3 => Just("@".to_string()),
        1 => prop::sample::select(SCALARS).prop_map(String::from),
    ];
    let value = leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..3).prop_map(|v| format!("[{}]", v.join(","))),
            prop::collection::vec((prop::sample::select(KEYS), inner), 0..4).prop_map(|kv| {
                let members: Vec<String> = kv.iter().map(|(k, v)| format!("\"{k}\":{v}")).collect();
                format!("{{{}}}", members.join(","))
            }),
        ]
    });
    let slash = prop::sample::select(
        &[
            "/root/email",
            "/internal/status",
            "/internal/lifecycleStatus",
        ][..],
    )
    .prop_map(|k| format!("\"{k}\":{{\"value\":@,\"humanReadable\":@}}"));
    // Tracked paths as HiBob writes them, in the record and in its `humanReadable` copy.
    const TRACKED: &[&str] = &[
        "\"email\":@",
        "\"id\":@",
        "\"work\":{\"title\":@,\"x\":@}",
        "\"internal\":{\"status\":@,\"lifecycleStatus\":@}",
        "\"a\":{\"b\":{\"c\":@}}",
    ];
    let tracked = || prop::collection::vec(prop::sample::select(TRACKED), 1..4);
    let member = prop_oneof![
        3 => (prop::sample::select(KEYS), value).prop_map(|(k, v)| format!("\"{k}\":{v}")),
        1 => slash,
        1 => tracked().prop_map(|t| t.join(",")),
        1 => tracked().prop_map(|t| format!("\"humanReadable\":{{{}}}", t.join(","))),
    ];
    prop::collection::vec(member, 0..7)
}

/// Values HiBob writes where the tests' fields are tracked, and any value.
fn fill() -> impl Strategy<Value = String> {
    const PLAIN: &[&str] = &["\"employed\"", "\"Employed\"", "\"Active\"", "\"\"", "null"];
    prop_oneof![
        1 => prop::sample::select(PLAIN).prop_map(String::from),
        1 => value(),
    ]
}

/// An answer of records of two shapes, in any order, with their values drawn anew for each
/// record; pretty-printed or not.
fn shaped_document() -> impl Strategy<Value = String> {
    let fills = prop::collection::vec((any::<bool>(), prop::collection::vec(fill(), 1..6)), 0..9);
    // The second shape shares a beginning with the first: a record of one read as the other
    // gives up after some of its values.
    (
        shape(),
        shape(),
        any::<prop::sample::Index>(),
        fills,
        any::<bool>(),
    )
        .prop_map(|(a, other, cut, fills, pretty)| {
            let keep = cut.index(a.len() + 1);
            let b: Vec<String> = a.iter().take(keep).chain(&other).cloned().collect();
            let (a, b) = (
                format!("{{{}}}", a.join(",")),
                format!("{{{}}}", b.join(",")),
            );
            let (a, b) = if pretty {
                let p = |s: &str| s.replace(',', ",\n      ").replace('{', "{\n      ");
                (p(&a), p(&b))
            } else {
                (a, b)
            };
            let records: Vec<String> = fills
                .iter()
                .map(|(first, values)| {
                    let shape = if *first { &a } else { &b };
                    let mut out = String::new();
                    for (n, piece) in shape.split('@').enumerate() {
                        if n > 0 {
                            out.push_str(&values[(n - 1) % values.len()]);
                        }
                        out.push_str(piece);
                    }
                    out
                })
                .collect();
            let sep = if pretty { ",\n    " } else { "," };
            format!("{{\"employees\":[{}]}}", records.join(sep))
        })
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 600,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// Records read again from the shape of the ones before them (templates) count and refuse
    /// as serde_json does, whatever the values, and wherever the bytes change.
    #[test]
    fn records_of_a_repeated_shape_count_and_refuse_as_serde_json_does(
        doc in shaped_document(),
        change in change(),
        chunk in prop_oneof![Just(1usize), 2usize..9, 64usize..700, Just(256 * 1024)],
    ) {
        same_as_serde(&apply(&doc, &change), chunk)?;
    }
}

/// Thousands of records whose shapes repeat (templates match), then whose keys vary (templates
/// rest), then repeat again (templates are tried again), read as serde_json reads them.
#[test]
fn long_answers_of_varying_and_repeating_shapes_count_as_serde_json_does() {
    let mut seed = 7u64;
    let mut next = move || {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        seed >> 33
    };
    let records: Vec<String> = (0..7000)
        .map(|i| {
            // A thousand records repeat two shapes; then keys come and go at random (the
            // templates rest for 4096 records); then the two shapes again.
            let varying = (1000..5500).contains(&i);
            let mut members = vec![];
            for (key, value) in [
                ("/internal/status", r#"{"value":"Active"}"#.to_string()),
                ("/root/email", r#"{"value":"e"}"#.to_string()),
                ("email", format!("\"person{i}@example.com\"")),
                ("id", format!("\"{i}\"")),
                (
                    "internal",
                    r#"{"status":"Inactive","lifecycleStatus":"employed"}"#.to_string(),
                ),
                (
                    "work",
                    if i % 7 == 0 {
                        "null".to_string()
                    } else {
                        r#"{"title":"t"}"#.to_string()
                    },
                ),
            ] {
                let dropped = if varying {
                    next() % 3 == 0
                } else {
                    i % 2 == 0 && key == "email"
                };
                if !dropped {
                    members.push(format!("\"{key}\":{value}"));
                }
            }
            format!("{{{}}}", members.join(","))
        })
        .collect();
    let answer = format!("{{\"employees\":[{}]}}", records.join(","));
    for chunk in [256 * 1024, 4096] {
        same_as_serde(answer.as_bytes(), chunk).unwrap();
        let cut = &answer.as_bytes()[..answer.len() - 1000];
        same_as_serde(cut, chunk).unwrap();
    }
}

/// serde_json's nesting limit holds where a visitor reads the value, not where it is skipped.
#[test]
fn the_nesting_limit_is_serde_json_s() {
    for depth in 118..132 {
        let nested = format!("{}1{}", "[".repeat(depth), "]".repeat(depth));
        for record in [
            format!(r#"{{"/internal/status":{{"value":{nested}}}}}"#),
            format!(r#"{{"a":{{"b":{{"c":{nested}}}}}}}"#),
            format!(r#"{{"x":{nested}}}"#),
            format!(r#"{{"humanReadable":{{"a":{{"b":{nested}}}}}}}"#),
        ] {
            for doc in [
                format!(r#"{{"employees":[{record}]}}"#),
                format!("[{record}]"),
            ] {
                same_as_serde(doc.as_bytes(), 5).unwrap();
                same_as_serde(doc.as_bytes(), 1 << 20).unwrap();
            }
        }
    }
}

/// Invalid UTF-8 counts where serde_json checked it (tracked strings, slash values' keys and
/// strings), and not where it skipped the string.
#[test]
fn utf8_is_checked_where_serde_json_checked_it() {
    for value in [&b"\"\xff\""[..], b"\"a\xc3\"", b"\"\xc3\xa9\""] {
        for (before, after) in [
            (&br#"{"employees":[{"email":"#[..], &b"}]}"[..]),
            (br#"{"employees":[{"x":"#, b"}]}"),
            (br#"{"employees":[{"/internal/status":{"value":"#, b"}}]}"),
            (br#"{"employees":[{"/internal/status":{"other":"#, b"}}]}"),
            (br#"{"employees":[{"humanReadable":{"email":"#, b"}}]}"),
            (br#"{"employees":[{"work":{"x":"#, b"}}]}"),
        ] {
            let doc = [before, value, after].concat();
            same_as_serde(&doc, 3).unwrap();
            same_as_serde(&doc, 1 << 20).unwrap();
        }
    }
}

/// A key that a visitor reads as bytes may hold control characters (serde_json allows them
/// there, and only there); found by the property test above.
#[test]
fn control_characters_are_allowed_only_where_serde_json_allows_them() {
    for doc in [
        "{\"employees\":[{\"human\x01Readable\":null}]}",
        "{\"employ\x01ees\":[]}",
        "{\"employees\":[{\"work\":{\"ti\x01tle\":1}}]}",
        "{\"employees\":[{\"x\":{\"a\x01\":1}}]}",
        "{\"employees\":[{\"/internal/status\":{\"val\x01ue\":1}}]}",
        "{\"employees\":[{\"email\":\"a\x01\"}]}",
    ] {
        same_as_serde(doc.as_bytes(), 2).unwrap();
        same_as_serde(doc.as_bytes(), 1 << 20).unwrap();
    }
}

/// A newline where serde_json has read it before it reports an error (in a key read as bytes,
/// among the four digits of a `\u` escape) counts a line, as it does for serde_json.
#[test]
fn newlines_serde_json_reads_before_an_error_count() {
    for doc in [
        "{\"employees\n:[]}",
        "{\"employees\":[{\"x\n\" 1}]}",
        "{\"employees\":[{\"email\":\"\\u12\n4\"}]}",
        "{\"employees\":[{\"em\\u\n0061il\":1}]}",
        "{\"employees\":[{\"x\":\"\\u0\n\n1\"}]}",
    ] {
        same_as_serde(doc.as_bytes(), 1).unwrap();
        same_as_serde(doc.as_bytes(), 1 << 20).unwrap();
    }
}

/// An error in a pretty-printed answer is placed on serde_json's line, however many records
/// the fast path read before it.
#[test]
fn errors_in_pretty_printed_answers_are_on_serde_json_s_line() {
    let t = tracked();
    let trie = Trie::build(&t);
    let records: Vec<String> = (0..40)
        .map(|i| format!("    {{\n      \"id\": \"{i}\",\n      \"email\": null,\n      \"work\": {{\n        \"title\": \"t\"\n      }}\n    }}"))
        .collect();
    let answer = format!("{{\n  \"employees\": [\n{}\n  ]\n}}\n", records.join(",\n"));
    // Records read from the shape of the one before (templates) are followed by breaks at
    // each kind of place: a value, a string, a closing brace, a key, between two records.
    let mut broken = vec![
        answer.replacen("\"t\"", "tt", 31),
        answer.replacen("\"33\"", "\"3\u{1}3\"", 1),
        answer.replacen("\n    }", "\n    ]", 37),
    ];
    for n in [2, 9, 25] {
        let nth = |from: &str, to: &str| {
            let mut out = answer.replacen(from, "\u{0}", n);
            out = out.replacen("\u{0}", from, n - 1);
            out.replacen("\u{0}", to, 1)
        };
        broken.push(nth("null", "nul"));
        broken.push(nth("\"email\"", "\"em\\qail\""));
        broken.push(nth("\"email\":", "\"email\"\n"));
        broken.push(nth("\n      }", "\n      ,}"));
        broken.push(nth("},\n", "}\n,,"));
    }
    for broken in broken {
        let reference = visit::reference(broken.as_bytes(), &trie, &t).expect_err("broken");
        for chunk in [1 << 20, 97, 5] {
            for threads in [false, true] {
                let mut body = broken.as_bytes();
                let scanned = if threads {
                    feed::scan_in(&mut body, &trie, t.len(), chunk)
                } else {
                    feed::scan_here(&mut body, &trie, t.len(), chunk)
                };
                let message = scanned.err().map(|e| e.message).unwrap_or_default();
                let line = format!("line {} ", reference.line());
                assert!(
                    message.contains(&line),
                    "serde_json: {reference}; scanner (chunks of {chunk}): {message}"
                );
            }
        }
    }
}
