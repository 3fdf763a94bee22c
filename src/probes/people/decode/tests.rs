//! The decoder on hand-written answers.

use super::*;

fn tracked(pairs: &[(&str, &str)]) -> Vec<Tracked> {
    pairs
        .iter()
        .map(|(id, path)| Tracked {
            field_id: id.to_string(),
            json_path: path.to_string(),
        })
        .collect()
}

#[test]
fn counts_presence_null_and_absence() {
    let body = r#"{"employees":[
        {"id":"3987598587553907167","email":"a@x","work":{"title":"T","employeeIdInCompany":null},
         "/root/email":{"value":"a@x"},"/work/title":{"value":"T"}},
        {"id":"2","work":{"employeeIdInCompany":""}},
        {"id":"3","email":null,"work":{"title":null,"employeeIdInCompany":null}}
    ]}"#;
    let t = tracked(&[
        ("root.email", "email"),
        ("work.title", "work.title"),
        ("work.employeeIdInCompany", "work.employeeIdInCompany"),
        ("work.department", "work.department"),
    ]);
    let c = decode(&mut body.as_bytes(), &t).unwrap();
    assert_eq!(c.employees, 3);
    let f = |id: &str| c.fields[id];
    assert_eq!(
        f("root.email"),
        FieldCounts {
            present: 2,
            absent: 1,
            empty: 1
        }
    );
    assert_eq!(
        f("work.title"),
        FieldCounts {
            present: 2,
            absent: 1,
            empty: 1
        }
    );
    assert_eq!(
        f("work.employeeIdInCompany"),
        FieldCounts {
            present: 3,
            absent: 0,
            empty: 3
        }
    );
    assert_eq!(
        f("work.department"),
        FieldCounts {
            present: 0,
            absent: 3,
            empty: 0
        }
    );
}

#[test]
fn slash_key_alone_counts_as_present() {
    let body = r#"{"employees":[{"/work/title":{"value":"T"}}]}"#;
    let t = tracked(&[("work.title", "work.title")]);
    let c = decode(&mut body.as_bytes(), &t).unwrap();
    assert_eq!(
        c.fields["work.title"],
        FieldCounts {
            present: 1,
            absent: 0,
            empty: 0
        }
    );
}

#[test]
fn human_readable_copy_does_not_count_as_presence() {
    let body = r#"{"employees":[{"id":"1","humanReadable":{"work":{"title":"T"}}}]}"#;
    let t = tracked(&[("work.title", "work.title")]);
    let c = decode(&mut body.as_bytes(), &t).unwrap();
    assert_eq!(c.fields["work.title"].absent, 1);
}

#[test]
fn lifecycle_values_labels_and_an_active_sample_are_tallied() {
    let body = r#"{"employees":[
        {"id":"11","internal":{"lifecycleStatus":"hired","status":"Inactive"},
         "humanReadable":{"internal":{"lifecycleStatus":"Hired"}}},
        {"id":"22","internal":{"lifecycleStatus":"employed","status":"Active"},
         "humanReadable":{"internal":{"lifecycleStatus":"Employed"}}},
        {"id":"33","internal":{"lifecycleStatus":"employed","status":"Active"}},
        {"id":"44","work":{}}
    ]}"#;
    let t = tracked(&[
        ("root.id", "id"),
        ("internal.lifecycleStatus", "internal.lifecycleStatus"),
        ("internal.status", "internal.status"),
    ]);
    let c = decode(&mut body.as_bytes(), &t).unwrap();
    let seen: Vec<(Option<&str>, Option<&str>, u64)> = c
        .lifecycle
        .iter()
        .map(|l| (l.value.as_deref(), l.label.as_deref(), l.employees))
        .collect();
    assert_eq!(
        seen,
        [
            (Some("employed"), None, 1),
            (Some("employed"), Some("Employed"), 1),
            (Some("hired"), Some("Hired"), 1)
        ]
    );
    assert_eq!(c.statuses["Active"], 2);
    assert_eq!(c.statuses["Inactive"], 1);
    assert_eq!(c.sample_employee.as_deref(), Some("22"));
    assert_eq!(c.fields["internal.lifecycleStatus"].absent, 1);
}

/// A large answer, scanned while it is read, counts exactly as serde_json's visitors do, in
/// chunks of any size (a trap of brackets and quotes sits at the start, the middle and the end
/// of every record, so that chunks end inside strings, keys and nested arrays).
#[test]
fn chunks_count_as_the_whole_answer_does() {
    let t = tracked(&[
        ("root.id", "id"),
        ("root.email", "email"),
        ("work.title", "work.title"),
        ("internal.lifecycleStatus", "internal.lifecycleStatus"),
        ("internal.status", "internal.status"),
    ]);
    let trie = Trie::build(&t);
    let n = 5_000;
    for trap in ["", r#","a":"},{","#, r#","b":[{},{}],"#] {
        let records: Vec<String> = (0..n)
            .map(|i| {
                let email = if i % 3 == 0 { "null".to_string() } else { format!("\"p{i}@x.test\"") };
                let work = if i % 5 == 0 { String::new() } else { r#","work":{"title":"T"}"#.to_string() };
                let status = if i % 7 == 0 { "Inactive" } else { "Active" };
                let pad = if trap.is_empty() { "," } else { trap };
                format!(
                    r#"{{"x0":0{pad}"id":"{i}","email":{email}{work}{pad}"internal":{{"lifecycleStatus":"s{}","status":"{status}"}}{pad}"z":0}}"#,
                    i % 4
                )
            })
            .collect();
        let body = format!(r#"{{"employees":[{}]}}"#, records.join(","));
        let reference = visit::reference(body.as_bytes(), &trie, &t).unwrap();
        assert_eq!(reference.employees, n as u64);
        assert_eq!(
            decode(&mut body.as_bytes(), &t).unwrap(),
            reference,
            "trap `{trap}`"
        );
        // Three-byte chunks on the first records only: every boundary is met within a few
        // hundred records, and a chunk per three bytes is slow to hand over.
        let small = format!(r#"{{"employees":[{}]}}"#, records[..400].join(","));
        let small_reference = visit::reference(small.as_bytes(), &trie, &t).unwrap();
        assert_eq!(small_reference.employees, 400);
        for (chunk, body, reference) in [
            (3, small.as_str(), &small_reference),
            (4096, body.as_str(), &reference),
        ] {
            let threads = feed::scan_in(&mut body.as_bytes(), &trie, t.len(), chunk).unwrap();
            assert_eq!(
                &threads.finish(&t),
                reference,
                "trap `{trap}`, chunk {chunk}"
            );
            let here = feed::scan_here(&mut body.as_bytes(), &trie, t.len(), chunk).unwrap();
            assert_eq!(&here.finish(&t), reference, "trap `{trap}`, chunk {chunk}");
        }
    }
}

/// Another top-level array after the employees is not counted.
#[test]
fn another_top_level_array_is_not_counted() {
    let t = tracked(&[("root.id", "id")]);
    let employees: Vec<String> = (0..1000).map(|i| format!(r#"{{"id":"{i}"}}"#)).collect();
    let meta = vec![r#"{"x":1}"#; 1_000_000].join(",");
    let body = format!(
        r#"{{"employees":[{}],"meta":[{meta}]}}"#,
        employees.join(",")
    );
    assert_eq!(decode(&mut body.as_bytes(), &t).unwrap().employees, 1000);
}

#[test]
fn slash_key_labels_count_for_lifecycle() {
    let body = r#"{"employees":[{"id":"1",
        "/internal/lifecycleStatus":{"value":"ls_9","humanReadable":"Parental leave"}}]}"#;
    let t = tracked(&[("internal.lifecycleStatus", "internal.lifecycleStatus")]);
    let c = decode(&mut body.as_bytes(), &t).unwrap();
    assert_eq!(c.lifecycle[0].value.as_deref(), Some("ls_9"));
    assert_eq!(c.lifecycle[0].label.as_deref(), Some("Parental leave"));
    assert_eq!(c.fields["internal.lifecycleStatus"].present, 1);
}

#[test]
fn empty_answers_mean_no_employees() {
    let t = tracked(&[("work.title", "work.title")]);
    for body in [r#"{"employees":[]}"#, "{}", "[]"] {
        assert_eq!(
            decode(&mut body.as_bytes(), &t).unwrap().employees,
            0,
            "{body}"
        );
    }
}

#[test]
fn bad_bodies_are_errors_that_quote_nothing() {
    let t = tracked(&[("work.title", "work.title")]);
    for body in [
        r#"{"employees":[{"work":{"title":"SENTINEL"#,
        r#"{"employees":["SENTINEL"]}"#,
        r#"{"employees":"SENTINEL"}"#,
        "<html>SENTINEL</html>",
        r#"{"employees":[]} SENTINEL"#,
    ] {
        let err = decode(&mut body.as_bytes(), &t).unwrap_err();
        assert!(!err.message.contains("SENTINEL"), "{body}: {}", err.message);
    }
}

/// A reader that counts what is read from it, and may fail after some bytes.
struct Reader<'a> {
    body: &'a [u8],
    read: usize,
    fail_after: Option<usize>,
}

impl std::io::Read for Reader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.fail_after.is_some_and(|n| self.read >= n) {
            return Err(std::io::Error::other("connection reset"));
        }
        let n = buf.len().min(self.body.len() - self.read).min(10_000);
        buf[..n].copy_from_slice(&self.body[self.read..self.read + n]);
        self.read += n;
        Ok(n)
    }
}

/// An answer that is not JSON from its first byte is still read to its end, as when it was
/// read whole before parsing: the bytes read are reported, and an answer past its limit is
/// still found too large by the reader that counts them.
#[test]
fn an_early_error_still_reads_the_answer_to_its_end() {
    let t = tracked(&[("root.id", "id")]);
    let body = [&b"<html>"[..], &vec![b' '; 3_000_000]].concat();
    let mut reader = Reader {
        body: &body,
        read: 0,
        fail_after: None,
    };
    let err = decode(&mut reader, &t).unwrap_err();
    assert!(!err.io, "{}", err.message);
    assert!(
        err.message.contains("malformed at line 1 column 1"),
        "{}",
        err.message
    );
    assert_eq!(reader.read, body.len());
}

/// A connection that breaks is reported as broken (and retried), whatever the JSON read so
/// far, as when the answer was read whole first.
#[test]
fn a_broken_connection_wins_over_the_json() {
    let t = tracked(&[("root.id", "id")]);
    for body in [&b"{\"employees\":[{\"id\":\"1\"}"[..], b"<html>"] {
        let mut body = body.to_vec();
        body.extend(vec![b' '; 1_000_000]);
        let mut reader = Reader {
            body: &body,
            read: 0,
            fail_after: Some(500_000),
        };
        let err = decode(&mut reader, &t).unwrap_err();
        assert!(err.io, "{}", err.message);
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig {
        failure_persistence: None,
        ..proptest::prelude::ProptestConfig::default()
    })]

    /// The search for the end of a string's plain run (16 and 32 bytes at a time, then 8, then
    /// one) finds the first `"`, `\` or control character, wherever it is, and never calls a run
    /// ASCII that is not.
    #[test]
    fn the_end_of_a_plain_run_is_found_wherever_it_is(
        run in proptest::collection::vec(
            proptest::prop_oneof![20 => 0x20u8..0x7f, 1 => 0x7fu8..=0xff],
            0..100,
        ),
        tail in proptest::collection::vec(proptest::num::u8::ANY, 0..40),
    ) {
        let run: Vec<u8> = run.into_iter().filter(|&b| b != b'"' && b != b'\\').collect();
        let hay = [run, tail].concat();
        let end = hay
            .iter()
            .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
            .unwrap_or(hay.len());
        let ascii = hay.get(..end).unwrap_or_default().is_ascii();
        let (found, said_ascii) = run::find_special(&hay);
        proptest::prop_assert_eq!(found, end);
        proptest::prop_assert!(!said_ascii || ascii);
    }
}
