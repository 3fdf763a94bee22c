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
//! Then the same calls over a shaped link (issue 16): the server waits a latency before each
//! answer and sends all answers through one token bucket, a bandwidth shared by every
//! connection at once. It prints the audit's time, `curl` making the same calls one after
//! another, and the link's limit: all bytes over the bandwidth plus the latencies on the
//! audit's critical path (see [`link_limit`]).
//! `HIBOB_BENCH_LINK_MBIT` (default 200) and `HIBOB_BENCH_LINK_MS` (default 40) set the link;
//! `HIBOB_BENCH_LINK=0` skips it.
//! Set `HIBOB_BENCH_SIZES=1000,10000` to choose sizes, `HIBOB_BENCH_RUNS=N` for runs per tool.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
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

/// A link between the audit and HiBob: a latency before each answer, and a bandwidth shared
/// by all connections at once (a token bucket).
struct Link {
    latency: Duration,
    /// Bytes per second.
    rate: f64,
    bucket: Mutex<Bucket>,
}

struct Bucket {
    tokens: f64,
    last: Instant,
}

/// The bucket holds at most this many bytes: a burst of a few packets.
const BURST: f64 = 64.0 * 1024.0;
/// Answers are sent in pieces of this size, each waiting for its tokens.
const PIECE: usize = 16 * 1024;

impl Link {
    fn new(mbit: f64, latency_ms: u64) -> Self {
        Link {
            latency: Duration::from_millis(latency_ms),
            rate: mbit * 1e6 / 8.0,
            bucket: Mutex::new(Bucket {
                tokens: 0.0,
                last: Instant::now(),
            }),
        }
    }

    /// Waits until `n` bytes may be sent.
    fn take(&self, n: usize) {
        loop {
            let wait = {
                let mut b = self.bucket.lock().unwrap_or_else(|e| e.into_inner());
                let now = Instant::now();
                let earned = now.duration_since(b.last).as_secs_f64() * self.rate;
                b.tokens = (b.tokens + earned).min(BURST.max(n as f64));
                b.last = now;
                if b.tokens >= n as f64 {
                    b.tokens -= n as f64;
                    return;
                }
                (n as f64 - b.tokens) / self.rate
            };
            std::thread::sleep(Duration::from_secs_f64(wait));
        }
    }
}

fn serve(tenant: Arc<Tenant>) -> Server {
    serve_over(tenant, None)
}

fn serve_over(tenant: Arc<Tenant>, link: Option<Arc<Link>>) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let calls = Arc::new(AtomicU64::new(0));
    let bytes = Arc::new(AtomicU64::new(0));
    let (c, b) = (calls.clone(), bytes.clone());
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let (t, c, b, l) = (tenant.clone(), c.clone(), b.clone(), link.clone());
            std::thread::spawn(move || handle(stream, &t, &c, &b, l.as_deref()));
        }
    });
    Server { port, calls, bytes }
}

/// Answers requests on one connection (keep-alive), with prepared bodies, over `link` if any.
fn handle(
    stream: TcpStream,
    t: &Tenant,
    calls: &AtomicU64,
    bytes: &AtomicU64,
    link: Option<&Link>,
) {
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
        let sent = match link {
            None => out
                .write_all(head.as_bytes())
                .and_then(|()| out.write_all(answer)),
            Some(link) => {
                std::thread::sleep(link.latency);
                let whole = [head.as_bytes(), answer].concat();
                whole.chunks(PIECE).try_for_each(|piece| {
                    link.take(piece.len());
                    out.write_all(piece)
                })
            }
        };
        if sent.is_err() {
            return;
        }
    }
}

/// The bytes of the answers the audit's calls get, by the stage of the audit that makes them.
struct Calls {
    metadata: usize,
    search: usize,
    /// The time-off calls made beside the search, one after another.
    timeoff: Vec<usize>,
    /// The per-employee calls made after the search, one after another.
    per_employee: Vec<usize>,
}

impl Calls {
    fn activtrak(t: &Tenant) -> Self {
        Calls {
            metadata: t.metadata.len(),
            search: t.search.len(),
            timeoff: vec![t.policy_types.len(), t.whosout.len(), t.changes.len()],
            per_employee: vec![t.balance.len()],
        }
    }

    fn bytes(&self) -> usize {
        self.metadata
            + self.search
            + self.timeoff.iter().sum::<usize>()
            + self.per_employee.iter().sum::<usize>()
    }

    fn count(&self) -> usize {
        2 + self.timeoff.len() + self.per_employee.len()
    }
}

/// The link's limit for the audit: no program can make the audit's calls faster over `link`.
/// The audit makes them in three stages, each waiting for the one before:
/// 1. the metadata: one latency, then its bytes;
/// 2. the search beside the time-off calls (on two threads, one connection each): the longer
///    of the search (one latency, then its bytes and the time-off bytes, since the bandwidth is
///    shared) and the time-off calls one after another (a latency and its bytes each);
/// 3. the per-employee calls one after another (a latency and its bytes each).
///
/// When the search is long, this is all bytes over the bandwidth plus three latencies on the
/// critical path (metadata, search, balance): the time-off calls' latencies hide behind the
/// search's transfer. Returns (limit, critical-path latencies), in seconds.
fn link_limit(calls: &Calls, link: &Link) -> (f64, f64) {
    let l = link.latency.as_secs_f64();
    let over = |bytes: usize| bytes as f64 / link.rate;
    let timeoff: usize = calls.timeoff.iter().sum();
    let stage1 = l + over(calls.metadata);
    let search = l + over(calls.search + timeoff);
    let beside = calls.timeoff.len() as f64 * l + over(timeoff);
    let stage2 = search.max(beside);
    let stage3 = calls.per_employee.len() as f64 * l + over(calls.per_employee.iter().sum());
    let limit = stage1 + stage2 + stage3;
    (limit, limit - over(calls.bytes()))
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
    // The shaped link: `HIBOB_BENCH_LINK=0` skips it.
    let link_setting = (std::env::var("HIBOB_BENCH_LINK").map_or(true, |v| v != "0")).then(|| {
        let mbit: f64 = std::env::var("HIBOB_BENCH_LINK_MBIT")
            .ok()
            .and_then(|s| s.parse().ok())
            .filter(|m: &f64| *m > 0.0)
            .unwrap_or(200.0);
        let ms: u64 = std::env::var("HIBOB_BENCH_LINK_MS")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(40);
        (mbit, ms)
    });
    let mut link_rows: Vec<String> = Vec::new();
    let mut link_last = String::new();
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

        if let Some((mbit, ms)) = link_setting {
            // The same calls over a shaped link: a new server, the same answers.
            let link = Arc::new(Link::new(mbit, ms));
            let shaped = serve_over(t.clone(), Some(link.clone()));
            let base_l = format!("http://127.0.0.1:{}/v1", shaped.port);
            let args_l: Vec<String> = audit_args
                .iter()
                .map(|a| if *a == base { base_l.clone() } else { a.clone() })
                .collect();
            let config_l = dir.join(format!("curl-link-{n}.cfg"));
            let cfg = std::fs::read_to_string(&config).expect("read curl config");
            std::fs::write(&config_l, cfg.replace(&base, &base_l)).expect("write curl config");
            let curl_l = vec!["-K".to_string(), config_l.display().to_string()];
            let calls = Calls::activtrak(&t);
            assert_eq!(calls.count() as u64, calls_made, "the plan's calls");
            let (limit, latencies) = link_limit(&calls, &link);
            measure(exe, &args_l, &env);
            let (mut lw, mut cw2, mut lr, mut lc) = (vec![], vec![], vec![], vec![]);
            for _ in 0..runs {
                let (w, _) = measure(exe, &args_l, &env);
                let (c, _) = measure("curl", &curl_l, &[]);
                lw.push(w);
                cw2.push(c);
                lr.push(w / c);
                lc.push(w / limit);
            }
            let (ls, cs) = (median(lw), median(cw2));
            let (vs_curl, vs_limit) = (median(lr), median(lc));
            link_rows.push(format!(
                "{n:>8} {:>10} {:>6} | {ls:>9.3} {cs:>9.3} {limit:>9.3} {latencies:>9.3} | {vs_curl:>8.2} {vs_limit:>8.2}",
                calls.bytes(),
                calls.count()
            ));
            link_last = format!(
                "link: audit_s={ls:.3} curl_sequential_s={cs:.3} limit_s={limit:.3} ratio_vs_curl={vs_curl:.2} ratio_vs_limit={vs_limit:.2}"
            );
        }

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
    if let Some((mbit, ms)) = link_setting {
        println!(
            "\nshaped link: {mbit} Mbit/s shared by all connections, {ms} ms before each answer; limit = all bytes over the bandwidth + latencies on the critical path:"
        );
        println!(
            "{:>8} {:>10} {:>6} | {:>9} {:>9} {:>9} {:>9} | {:>8} {:>8}",
            "people",
            "bytes",
            "calls",
            "audit s",
            "curl s",
            "limit s",
            "latency s",
            "vs curl",
            "vs limit"
        );
        for row in &link_rows {
            println!("{row}");
        }
        println!("{link_last}");
    }
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
