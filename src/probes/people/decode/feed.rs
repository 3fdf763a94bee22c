//! Reading the answer while it is scanned: the calling thread reads chunks from the connection
//! and hands them to a scanner on a second thread, which hands the buffers back for reuse.
//!
//! What is read, and when reading stops, is exactly what it was when the whole answer was read
//! into memory first: every byte goes through the answer's reader (which counts it and stops at
//! the answer's limit), and when the scan fails early the rest is still read, and dropped, so
//! that an answer past its limit is still reported as too large and a broken connection as
//! broken, whatever its JSON.

use std::io::{self, Read};
use std::sync::mpsc::{self, Receiver, SyncSender};

use super::scan::{Class, ErrorAt, Scanner, Source};
use super::{Tally, Trie};
use crate::client::body::{DecodeError, READ_BUFFER};

/// The size of one chunk. Large enough that handing chunks over costs nothing measurable,
/// small enough that the scan starts early and memory stays small.
const CHUNK: usize = 256 * 1024;

/// Chunks read but not yet scanned, at most (the reader waits beyond): 4 MiB, so that the
/// reader seldom waits for the scanner and the two threads wake each other less often (3.5% less
/// wall time than with 4 chunks over 150 interleaved runs, for 3 MB more; docs/performance.md).
const IN_FLIGHT: usize = 16;

/// Scans the answer read from `body`, on a second thread while it is read.
pub(super) fn scan(body: &mut dyn Read, trie: &Trie, slots: usize) -> Result<Tally, DecodeError> {
    scan_in(body, trie, slots, CHUNK)
}

/// [`scan`], in chunks of `chunk` bytes.
pub(super) fn scan_in(
    body: &mut dyn Read,
    trie: &Trie,
    slots: usize,
    chunk: usize,
) -> Result<Tally, DecodeError> {
    // Positions in a chunk are kept as `u32`.
    let chunk = chunk.clamp(1, CHUNK);
    let (chunks, received) = mpsc::sync_channel::<(Vec<u8>, usize)>(IN_FLIGHT);
    let (give_back, returned) = mpsc::channel::<Vec<u8>>();
    std::thread::scope(|s| {
        let scanner = std::thread::Builder::new()
            .name("people-scan".into())
            .spawn_scoped(s, move || {
                let source = Channel {
                    received,
                    give_back,
                };
                let mut scanner = Scanner::new(source, trie, Tally::new(slots));
                scanner.document().map(|()| scanner.tally)
            });
        let Ok(scanner) = scanner else {
            // No second thread to be had: read and scan on this one.
            return scan_here(body, trie, slots, chunk);
        };
        let read = feed(body, &chunks, &returned, chunk);
        drop(chunks);
        let scanned = scanner.join();
        if read.is_err() {
            return Err(DecodeError::broken());
        }
        match scanned {
            Ok(Ok(tally)) => Ok(tally),
            Ok(Err(e)) => Err(error(&e)),
            Err(_) => Err(DecodeError::new(
                "the answer could not be read (internal error)",
            )),
        }
    })
}

/// Reads the whole answer into chunks for the scanner; once the scanner has stopped, the rest
/// is read and dropped.
fn feed(
    body: &mut dyn Read,
    chunks: &SyncSender<(Vec<u8>, usize)>,
    returned: &Receiver<Vec<u8>>,
    chunk: usize,
) -> io::Result<()> {
    let mut scanning = true;
    let mut spare: Option<Vec<u8>> = None;
    loop {
        let mut buf = spare
            .take()
            .or_else(|| returned.try_recv().ok())
            .unwrap_or_default();
        buf.resize(chunk, 0);
        let n = fill(body, &mut buf)?;
        if n == 0 {
            return Ok(());
        }
        if scanning {
            if let Err(mpsc::SendError((buf, _))) = chunks.send((buf, n)) {
                scanning = false;
                spare = Some(buf);
            }
        } else {
            spare = Some(buf);
        }
    }
}

/// Reads until `buf` is full, or nearly (less room left than the reader's own buffer, which
/// would copy each byte twice), or the answer ends; returns how many bytes were read.
fn fill(body: &mut dyn Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    let enough = buf.len().saturating_sub(READ_BUFFER).max(1);
    while let Some(room) = buf.get_mut(n..).filter(|r| !r.is_empty() && n < enough) {
        match body.read(room) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// The scanner's side: chunks in, buffers back.
struct Channel {
    received: Receiver<(Vec<u8>, usize)>,
    give_back: mpsc::Sender<Vec<u8>>,
}

impl Source for Channel {
    fn next(&mut self, used: Vec<u8>) -> Option<(Vec<u8>, usize)> {
        if used.capacity() > 0 {
            let _ = self.give_back.send(used);
        }
        self.received.recv().ok()
    }
}

/// Reads and scans on the calling thread, chunk after chunk of `chunk` bytes.
pub(super) fn scan_here(
    body: &mut dyn Read,
    trie: &Trie,
    slots: usize,
    chunk: usize,
) -> Result<Tally, DecodeError> {
    let chunk = chunk.clamp(1, CHUNK);
    let mut source = Here {
        body,
        chunk,
        failed: false,
    };
    let scanned = {
        let mut scanner = Scanner::new(&mut source, trie, Tally::new(slots));
        scanner.document().map(|()| scanner.tally)
    };
    // The rest of the answer, if the scan stopped early.
    let mut rest = vec![0; if source.failed { 0 } else { CHUNK }];
    while !source.failed {
        match fill(source.body, &mut rest) {
            Ok(0) => break,
            Ok(_) => {}
            Err(_) => source.failed = true,
        }
    }
    if source.failed {
        return Err(DecodeError::broken());
    }
    scanned.map_err(|e| error(&e))
}

struct Here<'r> {
    body: &'r mut dyn Read,
    chunk: usize,
    failed: bool,
}

impl Source for &mut Here<'_> {
    fn next(&mut self, mut used: Vec<u8>) -> Option<(Vec<u8>, usize)> {
        if self.failed {
            return None;
        }
        used.resize(self.chunk, 0);
        match fill(self.body, &mut used) {
            Ok(0) => None,
            Ok(n) => Some((used, n)),
            Err(_) => {
                self.failed = true;
                None
            }
        }
    }
}

/// A scan error as the decoder reports it: its class and position, never the bytes.
fn error(e: &ErrorAt) -> DecodeError {
    let at = format!("line {} column {}", e.line, e.column);
    DecodeError::new(match e.class {
        Class::Eof => format!("the JSON ends early (truncated at {at})"),
        Class::Syntax => format!("the JSON is malformed at {at}"),
        Class::Shape => format!("the JSON has an unexpected shape at {at}"),
    })
}
