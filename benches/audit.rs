//! The performance benchmark (issue 8): `cargo bench --bench audit`.
//!
//! For fake tenants of 1,000, 10,000 and 50,000 employees it prepares every answer in memory,
//! serves them from a plain Rust HTTP server on 127.0.0.1, and times, as whole processes with
//! `/usr/bin/time`:
//! - `hibob-audit check --profile activtrak --format json` (the release build);
//! - `curl` making exactly the same calls one after another (the transfer limit);
//! - `curl … | jq` counting the same fields by hand.
//!
//! It prints a table, then for 50,000 employees:
//! `ratio_vs_curl=<x> peak_rss_mb=<y> calls=<n>`.
//! Then the same tenant with 16 more categories audited with `check --profile activtrak
//! --excess` (issue 15): its answer sizes, the growth of the search answer per employee, time
//! and memory (`HIBOB_BENCH_EXCESS=0` skips it).
//! Set `HIBOB_BENCH_SIZES=1000,10000` to choose sizes, `HIBOB_BENCH_RUNS=N` for runs per tool.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use serde_json::{Map, Value, json};

const ID: &str = "SERVICE-BENCH";
const TOKEN: &str = "bench-token";

/// HiBob's out-of-the-box fields the activtrak profile reads, with their categories and paths.
const FIELDS: &[(&str, &str, &str, &str)] = &[
    ("root.id", "root", "Basic info", "id"),
    ("root.firstName", "root", "Basic info", "firstName"),
    ("root.surname", "root", "Basic info", "surname"),
    ("root.displayName", "root", "Basic info", "displayName"),
    ("root.email", "root", "Basic info", "email"),
    ("work.title", "work", "Work", "work.title"),
    ("work.department", "work", "Work", "work.department"),
    (
        "work.employeeIdInCompany",
        "work",
        "Work",
        "work.employeeIdInCompany",
    ),
    ("work.startDate", "work", "Work", "work.startDate"),
    (
        "work.workPhone",
        "workContact",
        "Work contact details",
        "work.workPhone",
    ),
    (
        "internal.lifecycleStatus",
        "lifecycle",
        "Lifecycle",
        "internal.lifecycleStatus",
    ),
    (
        "internal.status",
        "lifecycle",
        "Lifecycle",
        "internal.status",
    ),
    (
        "internal.terminationDate",
        "lifecycle",
        "Lifecycle",
        "internal.terminationDate",
    ),
];

/// For `check --excess`: the categories a tenant has beyond the ones above, as the fake HiBob of
/// the tests has them (About, Address, EEO, ...), two fields each, the first of which is the one
/// `--excess` asks for (not sensitive where the category has such a field), with a value of a
/// typical length. Work contact details (above) is extra for activtrak too.
const EXTRA: &[(&str, &str, [&str; 2], &str)] = &[
    (
        "about",
        "About",
        ["about.about", "about.hobbies"],
        "Likes hiking and",
    ),
    (
        "address",
        "Address",
        ["address.city", "address.country"],
        "Springfield",
    ),
    (
        "eeo",
        "EEO",
        ["eeo.jobCategory", "eeo.ethnicity"],
        "Professionals",
    ),
    (
        "emergency",
        "Emergency",
        ["emergency.contactName", "emergency.phone"],
        "Alex Example",
    ),
    (
        "employment",
        "Employment",
        ["payroll.employment.contract", "payroll.employment.type"],
        "Permanent",
    ),
    (
        "home",
        "Home",
        ["home.maritalStatus", "home.gender"],
        "Married",
    ),
    (
        "identification",
        "Identification",
        ["identification.ssn", "identification.passport"],
        "123-45-6789",
    ),
    (
        "jobsCatalog",
        "Jobs",
        ["employee.jobProfileId", "jobs.level"],
        "2711468283",
    ),
    (
        "payroll",
        "Payroll",
        ["payroll.salary.base", "payroll.salary.currency"],
        "68000",
    ),
    (
        "peopleAnalytics",
        "People analytics",
        [
            "peopleAnalytics.lowRiskCounter",
            "peopleAnalytics.atRiskCounter",
        ],
        "3",
    ),
    (
        "personal",
        "Personal",
        ["personal.nationality", "personal.birthDate"],
        "British",
    ),
    (
        "personalContact",
        "Personal contact details",
        ["home.privateEmail", "home.mobilePhone"],
        "alex@example.org",
    ),
    (
        "training",
        "Training",
        ["training.course", "training.completed"],
        "Onboarding",
    ),
    (
        "userData",
        "User data",
        ["userData.username", "userData.locale"],
        "alex.example",
    ),
    (
        "workEligibility",
        "Work eligibility",
        ["workEligibility.visa", "workEligibility.expiry"],
        "Tier 2",
    ),
];

/// The fields the activtrak profile's search asks for.
const REQUESTED: &[&str] = &[
    "root.id",
    "internal.lifecycleStatus",
    "internal.status",
    "root.firstName",
    "root.surname",
    "work.employeeIdInCompany",
    "root.email",
];

struct Tenant {
    metadata: Vec<u8>,
    search: Vec<u8>,
    policy_types: Vec<u8>,
    whosout: Vec<u8>,
    changes: Vec<u8>,
    balance: Vec<u8>,
}

fn insert(map: &mut Map<String, Value>, path: &str, value: Value) {
    match path.split_once('.') {
        None => {
            map.insert(path.into(), value);
        }
        Some((head, rest)) => {
            if let Value::Object(inner) = map.entry(head).or_insert_with(|| json!({})) {
                insert(inner, rest, value);
            }
        }
    }
}

fn tenant(n: usize) -> Tenant {
    tenant_with(n, false)
}

/// With `excess`, the metadata also lists the [`EXTRA`] categories, and the search answers the
/// activtrak fields plus what `check --excess` asks for: one field of every other category
/// (Work contact details' `work.workPhone` and each first field of [`EXTRA`]).
fn tenant_with(n: usize, excess: bool) -> Tenant {
    let mut fields: Vec<(String, String, String, String)> = FIELDS
        .iter()
        .map(|(id, cat, name, path)| {
            (
                id.to_string(),
                cat.to_string(),
                name.to_string(),
                path.to_string(),
            )
        })
        .collect();
    let mut requested: Vec<&str> = REQUESTED.to_vec();
    if excess {
        for (cat, name, ids, _) in EXTRA {
            for id in ids {
                fields.push((
                    id.to_string(),
                    cat.to_string(),
                    name.to_string(),
                    id.to_string(),
                ));
            }
        }
        requested.push("work.workPhone");
        requested.extend(EXTRA.iter().map(|(_, _, ids, _)| ids[0]));
    }
    let metadata: Vec<Value> = fields
        .iter()
        .map(|(id, cat, name, path)| {
            json!({"id": id, "category": cat, "categoryId": cat, "categoryDisplayName": name,
                   "name": id, "description": null, "jsonPath": path, "type": "text",
                   "typeData": {}, "historical": false})
        })
        .collect();
    let statuses = [
        "employed",
        "employed",
        "employed",
        "hired",
        "terminated",
        "leave",
    ];
    let employees: Vec<Value> = (0..n)
        .map(|i| {
            let lifecycle = statuses[i % statuses.len()];
            let mut rec = Map::new();
            let mut human = Map::new();
            for field in &requested {
                let path = fields
                    .iter()
                    .find(|f| f.0 == *field)
                    .map(|f| f.3.as_str())
                    .unwrap_or_default();
                let extra = EXTRA
                    .iter()
                    .find(|(_, _, ids, _)| ids[0] == *field)
                    .map(|(_, _, _, value)| *value);
                let value = match *field {
                    _ if extra.is_some() => json!(extra.unwrap_or_default()),
                    "work.workPhone" => json!(format!("+44 20 7946 {:04}", i % 10_000)),
                    "root.id" => json!(format!("3332883884{:09}", i)),
                    "internal.lifecycleStatus" => json!(lifecycle),
                    "internal.status" => json!(if matches!(lifecycle, "hired" | "terminated") {
                        "Inactive"
                    } else {
                        "Active"
                    }),
                    "work.employeeIdInCompany" if i % 10 == 0 => Value::Null,
                    "root.firstName" => json!(format!("First{i}")),
                    "root.surname" => json!(format!("Surname{i}")),
                    "root.email" => json!(format!("person{i}@example.com")),
                    _ => json!(format!("E{i:06}")),
                };
                if !value.is_null() {
                    rec.insert(
                        format!("/{}", field.replace('.', "/")),
                        json!({ "value": value }),
                    );
                    let label = if *field == "internal.lifecycleStatus" {
                        json!(format!(
                            "{}{}",
                            lifecycle[..1].to_uppercase(),
                            &lifecycle[1..]
                        ))
                    } else {
                        value.clone()
                    };
                    insert(&mut human, path, label);
                }
                insert(&mut rec, path, value);
            }
            rec.insert("humanReadable".into(), Value::Object(human));
            Value::Object(rec)
        })
        .collect();
    Tenant {
        metadata: Value::Array(metadata).to_string().into_bytes(),
        search: json!({ "employees": employees }).to_string().into_bytes(),
        policy_types: br#"{"policyTypes":["Holiday","Sick"]}"#.to_vec(),
        whosout: json!({"outs": (0..n / 100).map(|i| json!({"employeeId": format!("3332883884{:09}", i),
            "employeeDisplayName": format!("First{i}"), "policyTypeDisplayName": "Holiday", "type": "days",
            "startDate": "2026-11-27", "endDate": "2026-11-28", "status": "approved"})).collect::<Vec<_>>()})
        .to_string()
        .into_bytes(),
        changes: json!({"changes": (0..n / 50).map(|i| json!({"changeType": "Created", "requestId": i,
            "employeeId": format!("3332883884{:09}", i), "policyTypeDisplayName": "Holiday"})).collect::<Vec<_>>()})
        .to_string()
        .into_bytes(),
        balance: br#"{"employeeId":"1","policy":"Holiday","totalBalanceAsOfDate":12.5,"annualAllowance":25}"#.to_vec(),
    }
}

struct Server {
    port: u16,
    calls: Arc<AtomicU64>,
    bytes: Arc<AtomicU64>,
}

fn serve(tenant: Arc<Tenant>) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let calls = Arc::new(AtomicU64::new(0));
    let bytes = Arc::new(AtomicU64::new(0));
    let (c, b) = (calls.clone(), bytes.clone());
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let (t, c, b) = (tenant.clone(), c.clone(), b.clone());
            std::thread::spawn(move || handle(stream, &t, &c, &b));
        }
    });
    Server { port, calls, bytes }
}

/// Answers requests on one connection (keep-alive), with prepared bodies.
fn handle(stream: TcpStream, t: &Tenant, calls: &AtomicU64, bytes: &AtomicU64) {
    let _ = stream.set_nodelay(true);
    let Ok(mut out) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(stream);
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let target = line.split_whitespace().nth(1).unwrap_or("").to_string();
        let mut len = 0usize;
        loop {
            let mut h = String::new();
            if reader.read_line(&mut h).unwrap_or(0) == 0 {
                return;
            }
            let h = h.trim_end();
            if h.is_empty() {
                break;
            }
            if let Some((k, v)) = h.split_once(':')
                && k.eq_ignore_ascii_case("content-length")
            {
                len = v.trim().parse().unwrap_or(0);
            }
        }
        let mut body = vec![0; len];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        let path = target.split('?').next().unwrap_or("");
        let answer: &[u8] = match path {
            "/v1/company/people/fields" => &t.metadata,
            "/v1/people/search" => &t.search,
            "/v1/timeoff/policy-types" => &t.policy_types,
            "/v1/timeoff/whosout" => &t.whosout,
            "/v1/timeoff/requests/changes" => &t.changes,
            p if p.ends_with("/balance") => &t.balance,
            _ => b"{}",
        };
        calls.fetch_add(1, Ordering::Relaxed);
        bytes.fetch_add(answer.len() as u64, Ordering::Relaxed);
        let head = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
            answer.len()
        );
        if out
            .write_all(head.as_bytes())
            .and_then(|()| out.write_all(answer))
            .is_err()
        {
            return;
        }
    }
}

/// Wall seconds (measured around the process, finer than /usr/bin/time's 10 ms) and peak
/// RSS (KiB, by /usr/bin/time) of a whole process.
fn measure(program: &str, args: &[String], env: &[(&str, &str)]) -> (f64, u64) {
    let mut cmd = Command::new("/usr/bin/time");
    cmd.arg("-f").arg("BENCH %e %M").arg(program).args(args);
    cmd.envs(env.iter().copied());
    cmd.stdout(Stdio::null()).stderr(Stdio::piped());
    let started = Instant::now();
    let out = cmd.output().expect("run /usr/bin/time");
    let wall = started.elapsed().as_secs_f64();
    let err = String::from_utf8_lossy(&out.stderr);
    let line = err
        .lines()
        .rev()
        .find(|l| l.starts_with("BENCH "))
        .unwrap_or("BENCH 0 0");
    let rss = line
        .split_whitespace()
        .nth(2)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (wall, rss)
}

/// The calls and answer bytes the server counts during one run of `program`.
fn counted(server: &Server, program: &str, args: &[String], env: &[(&str, &str)]) -> (u64, u64) {
    let before = (
        server.calls.load(Ordering::Relaxed),
        server.bytes.load(Ordering::Relaxed),
    );
    measure(program, args, env);
    (
        server.calls.load(Ordering::Relaxed) - before.0,
        server.bytes.load(Ordering::Relaxed) - before.1,
    )
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

fn main() {
    let sizes: Vec<usize> = std::env::var("HIBOB_BENCH_SIZES")
        .ok()
        .map(|s| s.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![1_000, 10_000, 50_000]);
    let runs: usize = std::env::var("HIBOB_BENCH_RUNS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(5);
    let exe = env!("CARGO_BIN_EXE_hibob-audit");
    let dir = std::env::temp_dir().join(format!("hibob-audit-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");

    println!(
        "{:>8} {:>10} {:>6} | {:>9} {:>9} {:>8} | {:>9} {:>9} | {:>9} {:>9} | {:>6}",
        "people",
        "bytes",
        "calls",
        "audit s",
        "audit MB",
        "vs curl",
        "curl s",
        "curl MB",
        "jq s",
        "jq MB",
        "body MB"
    );
    // `HIBOB_BENCH_EXCESS=0` skips the `check --excess` runs.
    let excess_on = std::env::var("HIBOB_BENCH_EXCESS").map_or(true, |v| v != "0");
    let mut excess_rows: Vec<String> = Vec::new();
    let mut excess_last = String::new();
    let mut last = String::new();
    for n in sizes {
        let t = Arc::new(tenant(n));
        let largest = t.search.len();
        let server = serve(t.clone());
        let base = format!("http://127.0.0.1:{}/v1", server.port);

        // The calls the audit makes, for curl: one process, one after another.
        let search_body = dir.join(format!("search-{n}.json"));
        std::fs::write(
            &search_body,
            json!({"fields": REQUESTED, "showInactive": true, "humanReadable": "APPEND"})
                .to_string(),
        )
        .expect("write");
        let config = dir.join(format!("curl-{n}.cfg"));
        let auth = format!("user = \"{ID}:{TOKEN}\"\nsilent\noutput = /dev/null\n");
        let calls = [
            format!("url = \"{base}/company/people/fields\"\n"),
            format!(
                "url = \"{base}/people/search\"\nheader = \"Content-Type: application/json\"\ndata = \"@{}\"\n",
                search_body.display()
            ),
            format!("url = \"{base}/timeoff/policy-types\"\n"),
            format!("url = \"{base}/timeoff/whosout?from=2026-11-21&to=2026-12-05\"\n"),
            format!(
                "url = \"{base}/timeoff/requests/changes?since=2026-10-29T00%3A00%3A00.000Z\"\n"
            ),
            format!(
                "url = \"{base}/timeoff/employees/3332883884000000000/balance?policyType=Holiday&date=2026-11-28\"\n"
            ),
        ];
        let mut cfg = String::new();
        for (i, c) in calls.iter().enumerate() {
            if i > 0 {
                cfg.push_str("next\n");
            }
            cfg.push_str(&auth);
            cfg.push_str(c);
        }
        std::fs::write(&config, cfg).expect("write curl config");

        // The same counting by hand: curl the search, jq counts present keys per field.
        let jq = r#"[.employees[] | [has("id"), has("firstName"), has("surname"), has("email"), (.work // {} | has("employeeIdInCompany")), (.internal // {} | has("lifecycleStatus"))]] | transpose | map(map(select(.)) | length)"#;
        let by_hand = format!(
            "curl -s -u {ID}:{TOKEN} -H 'Content-Type: application/json' --data @{} {base}/people/search | jq -c '{jq}' > /dev/null",
            search_body.display()
        );

        let env = [
            ("HIBOB_SERVICE_USER_ID", ID),
            ("HIBOB_SERVICE_USER_TOKEN", TOKEN),
        ];
        let audit_args: Vec<String> = [
            "check",
            "--profile",
            "activtrak",
            "--format",
            "json",
            "--base-url",
            &base,
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let curl_args = vec!["-K".to_string(), config.display().to_string()];
        let sh_args = vec!["-c".to_string(), by_hand];

        // Warm up once each, then count the calls and bytes of one audit run.
        measure(exe, &audit_args, &env);
        measure("curl", &curl_args, &[]);
        let (calls_made, bytes_received) = counted(&server, exe, &audit_args, &env);

        let (mut aw, mut ar, mut cw, mut cr, mut jw, mut jr, mut ratios) =
            (vec![], vec![], vec![], vec![], vec![], vec![], vec![]);
        for _ in 0..runs {
            let (w, r) = measure(exe, &audit_args, &env);
            aw.push(w);
            ar.push(r as f64);
            let (c, cm) = measure("curl", &curl_args, &[]);
            cw.push(c);
            cr.push(cm as f64);
            ratios.push(if c > 0.0 { w / c } else { f64::NAN });
            let (j, jm) = measure("sh", &sh_args, &[]);
            jw.push(j);
            jr.push(jm as f64);
        }
        let mb = |kib: f64| kib / 1024.0;
        let (audit_s, audit_mb) = (median(aw), mb(median(ar)));
        let (curl_s, curl_mb) = (median(cw), mb(median(cr)));
        let ratio = median(ratios);
        println!(
            "{n:>8} {bytes_received:>10} {calls_made:>6} | {audit_s:>9.4} {audit_mb:>9.1} {ratio:>8.2} | {curl_s:>9.4} {curl_mb:>9.1} | {:>9.3} {:>9.1} | {:>6.1}",
            median(jw),
            mb(median(jr)),
            largest as f64 / 1_048_576.0
        );
        last = format!("ratio_vs_curl={ratio:.2} peak_rss_mb={audit_mb:.1} calls={calls_made}");

        if excess_on {
            // The same tenant with more categories, audited with --excess.
            let tx = Arc::new(tenant_with(n, true));
            let growth = (tx.search.len() as f64 - t.search.len() as f64) / n as f64;
            let search_mb = tx.search.len() as f64 / 1_048_576.0;
            let sx = serve(tx.clone());
            let base_x = format!("http://127.0.0.1:{}/v1", sx.port);
            let args: Vec<String> = [
                "check",
                "--profile",
                "activtrak",
                "--excess",
                "--format",
                "json",
                "--base-url",
                &base_x,
            ]
            .iter()
            .map(|s| s.to_string())
            .collect();
            measure(exe, &args, &env);
            let (calls_x, bytes_x) = counted(&sx, exe, &args, &env);
            let (mut xw, mut xr) = (vec![], vec![]);
            for _ in 0..runs {
                let (w, r) = measure(exe, &args, &env);
                xw.push(w);
                xr.push(r as f64);
            }
            let (xs, xmb) = (median(xw), mb(median(xr)));
            excess_rows.push(format!(
                "{n:>8} {bytes_x:>10} {calls_x:>6} | {xs:>9.4} {xmb:>9.1} {:>8.2} | {search_mb:>9.1} {growth:>12.0}",
                xs / audit_s
            ));
            excess_last = format!(
                "excess: bytes_per_employee={growth:.0} search_mb={search_mb:.1} audit_s={xs:.4} peak_rss_mb={xmb:.1} calls={calls_x}"
            );
        }
    }
    println!("{last}");
    if !excess_rows.is_empty() {
        println!(
            "\ncheck --excess ({} more categories in the metadata, one field each asked for):",
            EXTRA.len() + 1
        );
        println!(
            "{:>8} {:>10} {:>6} | {:>9} {:>9} {:>8} | {:>9} {:>12}",
            "people", "bytes", "calls", "audit s", "audit MB", "vs plain", "body MB", "+B/employee"
        );
        for row in &excess_rows {
            println!("{row}");
        }
        println!("{excess_last}");
    }
    let _ = std::fs::remove_dir_all(&dir);
    std::thread::sleep(Duration::from_millis(10));
}
