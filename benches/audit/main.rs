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
//! `HIBOB_BENCH_COMPARE=PATH` names another `hibob-audit` (an earlier build, say): on loopback it
//! runs right after this one in every run, and a last table compares the two run for run, which
//! separates builds closer than the spread between whole benchmark runs.
#![allow(clippy::disallowed_macros)] // a test or bench may say what it measures

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use serde_json::json;

mod link;
mod tenant;

use link::{Calls, Link, PIECE, link_limit};
use tenant::{EXTRA, REQUESTED, Tenant, tenant, tenant_with};

const ID: &str = "SERVICE-BENCH";
const TOKEN: &str = "bench-token";

struct Server {
    port: u16,
    calls: Arc<AtomicU64>,
    bytes: Arc<AtomicU64>,
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
            p if p.starts_with("/v1/docs/people/") => &t.docs,
            p if p.starts_with("/v1/people/") => &t.table,
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

/// `check --profile PROFILE [EXTRA...] --format json --base-url BASE`.
fn check(profile: &str, extra: &[&str], base: &str) -> Vec<String> {
    let mut args = vec!["check", "--profile", profile];
    args.extend_from_slice(extra);
    args.extend_from_slice(&["--format", "json", "--base-url", base]);
    args.into_iter().map(String::from).collect()
}

/// Median wall seconds and peak RSS (KiB) of `runs` audits.
fn time_audit(exe: &str, args: &[String], env: &[(&str, &str)], runs: usize) -> (f64, f64) {
    let (mut w, mut r) = (vec![], vec![]);
    for _ in 0..runs {
        let (wall, rss) = measure(exe, args, env);
        w.push(wall);
        r.push(rss as f64);
    }
    (median(w), median(r))
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
    // `HIBOB_BENCH_COMPARE=PATH`: another build, timed run for run with this one.
    let other = std::env::var("HIBOB_BENCH_COMPARE")
        .ok()
        .filter(|p| !p.is_empty());
    let mut compare_rows: Vec<String> = Vec::new();
    // `HIBOB_BENCH_STACKONE=0` skips the heaviest profile's plan.
    let stackone_on = std::env::var("HIBOB_BENCH_STACKONE").map_or(true, |v| v != "0");
    let mut stackone_rows: Vec<String> = Vec::new();
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
        let audit_args = check("activtrak", &[], &base);
        let curl_args = vec!["-K".to_string(), config.display().to_string()];
        let sh_args = vec!["-c".to_string(), by_hand];

        // Warm up once each, then count the calls and bytes of one audit run.
        measure(exe, &audit_args, &env);
        measure("curl", &curl_args, &[]);
        let (calls_made, bytes_received) = counted(&server, exe, &audit_args, &env);

        let (mut aw, mut ar, mut cw, mut cr, mut jw, mut jr, mut ratios) =
            (vec![], vec![], vec![], vec![], vec![], vec![], vec![]);
        let (mut ow, mut this_vs_other, mut other_vs_curl) = (vec![], vec![], vec![]);
        if let Some(other) = &other {
            measure(other, &audit_args, &env);
        }
        for _ in 0..runs {
            let (w, r) = measure(exe, &audit_args, &env);
            aw.push(w);
            ar.push(r as f64);
            let other_wall = other.as_ref().map(|o| measure(o, &audit_args, &env).0);
            let (c, cm) = measure("curl", &curl_args, &[]);
            cw.push(c);
            cr.push(cm as f64);
            ratios.push(if c > 0.0 { w / c } else { f64::NAN });
            if let Some(o) = other_wall {
                ow.push(o);
                this_vs_other.push(w / o);
                other_vs_curl.push(if c > 0.0 { o / c } else { f64::NAN });
            }
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
        if !ow.is_empty() {
            compare_rows.push(format!(
                "{n:>8} | {audit_s:>9.4} {:>9.4} {:>10.3} | {ratio:>8.2} {:>8.2}",
                median(ow),
                median(this_vs_other),
                median(other_vs_curl)
            ));
        }

        let mut shaped_base = None;
        if let Some((mbit, ms)) = link_setting {
            // The same calls over a shaped link: a new server, the same answers.
            let link = Arc::new(Link::new(mbit, ms));
            let shaped = serve_over(t.clone(), Some(link.clone()));
            let base_l = format!("http://127.0.0.1:{}/v1", shaped.port);
            let args_l: Vec<String> = audit_args
                .iter()
                .map(|a| {
                    if *a == base {
                        base_l.clone()
                    } else {
                        a.clone()
                    }
                })
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
            shaped_base = Some((shaped, base_l, link));
        }

        if stackone_on {
            // The heaviest shipped profile: the per-employee tables, documents and balance
            // after the search.
            let plan = Calls::stackone(&t);
            let with = |base: &str| check("stackone", &[], base);
            let args_s = with(&base);
            measure(exe, &args_s, &env);
            let (calls_s, bytes_s) = counted(&server, exe, &args_s, &env);
            assert_eq!(calls_s, plan.count() as u64, "stackone's plan");
            let (s_wall, s_rss) = time_audit(exe, &args_s, &env, runs);
            let shaped = shaped_base.as_ref().map(|(_, base_l, link)| {
                let args = with(base_l);
                measure(exe, &args, &env);
                let (wall, _) = time_audit(exe, &args, &env, runs);
                (wall, link_limit(&plan, link).0)
            });
            let (link_s, link_limit_s) = shaped.unwrap_or((f64::NAN, f64::NAN));
            stackone_rows.push(format!(
                "{n:>8} {bytes_s:>10} {calls_s:>6} | {s_wall:>9.4} {:>9.1} {:>8.2} | {link_s:>9.3} {link_limit_s:>9.3} {:>8.2}",
                s_rss / 1024.0,
                s_wall / audit_s,
                link_s / link_limit_s
            ));
        }

        if excess_on {
            // The same tenant with more categories, audited with --excess.
            let tx = Arc::new(tenant_with(n, true));
            let growth = (tx.search.len() as f64 - t.search.len() as f64) / n as f64;
            let search_mb = tx.search.len() as f64 / 1_048_576.0;
            let sx = serve(tx.clone());
            let base_x = format!("http://127.0.0.1:{}/v1", sx.port);
            let args = check("activtrak", &["--excess"], &base_x);
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
    if !stackone_rows.is_empty() {
        println!(
            "\ncheck --profile stackone (the heaviest shipped profile: 4 tables, documents and a balance after the search), on loopback and on the shaped link:"
        );
        println!(
            "{:>8} {:>10} {:>6} | {:>9} {:>9} {:>8} | {:>9} {:>9} {:>8}",
            "people",
            "bytes",
            "calls",
            "audit s",
            "audit MB",
            "vs plain",
            "link s",
            "limit s",
            "vs limit"
        );
        for row in &stackone_rows {
            println!("{row}");
        }
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
    if let Some(other) = &other {
        println!("\nagainst {other} (HIBOB_BENCH_COMPARE), run for run on loopback (medians):");
        println!(
            "{:>8} | {:>9} {:>9} {:>10} | {:>8} {:>8}",
            "people", "this s", "other s", "this/other", "this/curl", "other/curl"
        );
        for row in &compare_rows {
            println!("{row}");
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    std::thread::sleep(Duration::from_millis(10));
}
