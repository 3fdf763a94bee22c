//! A minimal HTTP/1.1 server on 127.0.0.1 for the fake HiBob: one thread per connection,
//! `Connection: close`, bodies by Content-Length. Enough to speak to a real HTTP client.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    /// Path without the query string.
    pub path: String,
    pub query: Vec<(String, String)>,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// What to send back. `Raw` bytes allow broken answers on purpose.
pub enum Reply {
    Full {
        status: u16,
        content_type: Option<&'static str>,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    },
    /// Write these bytes as they are, then close.
    Raw(Vec<u8>),
    /// Close the connection without a word (a reset, as far as the client can tell).
    Close,
    /// Wait, then answer.
    Delayed(Duration, Box<Reply>),
    /// Send the head and the first half of this answer, then stall for the duration.
    Stalled(Duration, Box<Reply>),
    /// A chunked 200 JSON answer: `prefix`, then blanks, until `total` bytes are sent or the
    /// client hangs up. Bounded, so a client that never stops cannot keep the test running.
    Endless { prefix: Vec<u8>, total: u64 },
}

impl Reply {
    pub fn json(status: u16, body: impl Into<Vec<u8>>) -> Self {
        Reply::Full {
            status,
            content_type: Some("application/json; charset=utf-8"),
            headers: Vec::new(),
            body: body.into(),
        }
    }

    pub fn empty(status: u16) -> Self {
        Reply::Full {
            status,
            content_type: None,
            headers: Vec::new(),
            body: Vec::new(),
        }
    }
}

pub type Handler = dyn Fn(&Request) -> Reply + Send + Sync;

pub struct Server {
    pub addr: SocketAddr,
    stop: Arc<AtomicBool>,
    accept: Option<JoinHandle<()>>,
}

impl Server {
    pub fn start(handler: Arc<Handler>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let addr = listener.local_addr().expect("local addr");
        let stop = Arc::new(AtomicBool::new(false));
        let stop2 = stop.clone();
        let accept = std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stop2.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let handler = handler.clone();
                std::thread::spawn(move || serve(stream, &*handler));
            }
        });
        Server {
            addr,
            stop,
            accept: Some(accept),
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
        if let Some(h) = self.accept.take() {
            let _ = h.join();
        }
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Status",
    }
}

fn serve(stream: TcpStream, handler: &Handler) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let Ok(mut writer) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(stream);
    let Some(request) = read_request(&mut reader) else {
        return;
    };
    let mut reply = handler(&request);
    while let Reply::Delayed(wait, inner) = reply {
        std::thread::sleep(wait);
        reply = *inner;
    }
    if let Reply::Endless { prefix, total } = reply {
        endless(&mut writer, &prefix, total);
        return;
    }
    if let Reply::Stalled(wait, inner) = reply {
        let bytes = encode(*inner);
        let _ = writer.write_all(&bytes[..bytes.len() / 2]);
        let _ = writer.flush();
        std::thread::sleep(wait);
        return;
    }
    let bytes = encode(reply);
    let _ = writer.write_all(&bytes);
    let _ = writer.flush();
}

/// Writes a chunked answer of `total` bytes at most; stops when the client hangs up.
fn endless(writer: &mut TcpStream, prefix: &[u8], total: u64) {
    let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n";
    let chunk = |data: &[u8]| {
        let mut out = format!("{:x}\r\n", data.len()).into_bytes();
        out.extend_from_slice(data);
        out.extend_from_slice(b"\r\n");
        out
    };
    if writer.write_all(head.as_bytes()).is_err() || writer.write_all(&chunk(prefix)).is_err() {
        return;
    }
    let blanks = chunk(&vec![b' '; 64 * 1024]);
    let mut sent = prefix.len() as u64;
    while sent < total {
        if writer.write_all(&blanks).is_err() {
            return;
        }
        sent += 64 * 1024;
    }
    let _ = writer.write_all(b"0\r\n\r\n");
}

fn encode(reply: Reply) -> Vec<u8> {
    match reply {
        Reply::Close | Reply::Delayed(..) | Reply::Stalled(..) | Reply::Endless { .. } => {
            Vec::new()
        }
        Reply::Raw(bytes) => bytes,
        Reply::Full {
            status,
            content_type,
            headers,
            body,
        } => {
            let mut head = format!("HTTP/1.1 {status} {}\r\n", reason(status));
            if let Some(ct) = content_type {
                head.push_str(&format!("Content-Type: {ct}\r\n"));
            }
            for (k, v) in headers {
                head.push_str(&format!("{k}: {v}\r\n"));
            }
            head.push_str(&format!(
                "Content-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            ));
            let mut bytes = head.into_bytes();
            bytes.extend_from_slice(&body);
            bytes
        }
    }
}

fn read_request(reader: &mut BufReader<TcpStream>) -> Option<Request> {
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_string();
    let target = parts.next()?.to_string();
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        reader.read_line(&mut h).ok()?;
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            headers.push((k.trim().to_string(), v.trim().to_string()));
        }
    }
    let len = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse::<usize>().ok())
        .unwrap_or(0);
    let mut body = vec![0; len];
    reader.read_exact(&mut body).ok()?;
    let (path, query) = match target.split_once('?') {
        Some((p, q)) => (
            p.to_string(),
            q.split('&')
                .filter_map(|kv| kv.split_once('='))
                .map(|(k, v)| (decode(k), decode(v)))
                .collect(),
        ),
        None => (target, Vec::new()),
    };
    Some(Request {
        method,
        path,
        query,
        headers,
        body,
    })
}

fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(if bytes[i] == b'+' { b' ' } else { bytes[i] });
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
