//! Test helpers shared by huntbook's crates: loopback HTTP servers and the offline mirror.
//!
//! The servers bind `127.0.0.1:0`, answer each connection on its own thread with
//! `Connection: close`, and stop when dropped. Nothing here is used outside tests.
#![warn(missing_docs)]
#![forbid(unsafe_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::Duration;

/// Set to `1` by the test command (`scripts/test.sh`): what a test needs (the offline
/// mirror, the Python references, the Spark servers) must then be there, and a test without
/// it fails instead of skipping.
pub const ENV_TEST_COMMAND: &str = "HUNTBOOK_TEST_COMMAND";

/// The one policy for a test whose input is missing: under the test command
/// ([`ENV_TEST_COMMAND`]) it fails, naming `what` is missing and `how` to provide it;
/// elsewhere (a plain `cargo test`) it prints that the test is skipped and why. Returns
/// `None`, for `let Some(x) = ... else { return }`.
pub fn missing<T>(what: &str, how: &str) -> Option<T> {
    assert!(
        std::env::var(ENV_TEST_COMMAND).as_deref() != Ok("1"),
        "the test command needs {what}, which is missing: {how}"
    );
    eprintln!("skipped: {what} is missing ({how})");
    None
}

/// The offline mirror of upstream files: `HUNTBOOK_TEST_MIRROR` when set, otherwise
/// `shared/data` beside the repository. When it is not there, [`missing`] decides: the test
/// fails under the test command and is skipped elsewhere.
pub fn mirror() -> Option<PathBuf> {
    let dir = match std::env::var_os("HUNTBOOK_TEST_MIRROR") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"),
    };
    if dir.is_dir() {
        return Some(dir.canonicalize().unwrap_or(dir));
    }
    missing(
        "the offline mirror",
        &format!(
            "no folder {} (set HUNTBOOK_TEST_MIRROR to the mirror's path)",
            dir.display()
        ),
    )
}

/// The offline mirror's path, in a test that has checked it is there with
/// [`mirror_or_skip!`]; panics otherwise.
pub fn mirror_dir() -> PathBuf {
    mirror().expect("the offline mirror is missing: check with mirror_or_skip!() first")
}

/// The offline mirror's path, or returns from the test (skipped, or failed under the test
/// command: see [`mirror`]).
#[macro_export]
macro_rules! mirror_or_skip {
    () => {
        match $crate::mirror() {
            Some(dir) => dir,
            None => return,
        }
    };
}

/// One HTTP request as the server saw it.
#[derive(Debug, Clone)]
pub struct Request {
    /// `GET`, ...
    pub method: String,
    /// The path, percent-decoded, without the query.
    pub path: String,
    /// The raw query string, if any.
    pub query: Option<String>,
    /// Headers, names lower-cased.
    pub headers: Vec<(String, String)>,
}

impl Request {
    /// The value of a header (name case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The value of a query parameter (not decoded).
    pub fn query_param(&self, name: &str) -> Option<&str> {
        self.query.as_deref()?.split('&').find_map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            (k == name).then_some(v)
        })
    }
}

/// What the server does with a request.
#[derive(Debug, Clone)]
pub enum Reply {
    /// A complete response.
    Body {
        /// HTTP status.
        status: u16,
        /// `Content-Type`.
        content_type: String,
        /// The body.
        body: Vec<u8>,
    },
    /// Announces `declared` bytes, sends `body` (shorter), then closes the connection.
    Truncated {
        /// The `Content-Length` sent.
        declared: usize,
        /// What is actually sent.
        body: Vec<u8>,
    },
    /// Waits this long before closing without a reply.
    Hang(Duration),
}

impl Reply {
    /// `200` with a JSON body.
    pub fn json(body: impl Into<Vec<u8>>) -> Self {
        Self::status(200, "application/json", body)
    }

    /// Any status, type and body.
    pub fn status(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Self {
        Reply::Body {
            status,
            content_type: content_type.to_string(),
            body: body.into(),
        }
    }

    /// `404` with a short text body.
    pub fn not_found() -> Self {
        Self::status(404, "text/plain", "404: Not Found")
    }
}

type Handler = dyn Fn(&Request) -> Reply + Send + Sync + 'static;

/// A loopback HTTP/1.1 server driven by a handler closure.
pub struct Server {
    addr: SocketAddr,
    hits: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
}

impl Server {
    /// Starts a server answering every request with `handler`.
    pub fn start(handler: impl Fn(&Request) -> Reply + Send + Sync + 'static) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local addr");
        let hits = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let handler: Arc<Handler> = Arc::new(handler);
        {
            let hits = hits.clone();
            let stop = stop.clone();
            thread::spawn(move || {
                for stream in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(stream) = stream else { continue };
                    let handler = handler.clone();
                    let hits = hits.clone();
                    thread::spawn(move || {
                        let _ = serve(stream, &*handler, &hits);
                    });
                }
            });
        }
        Self { addr, hits, stop }
    }

    /// Serves the files under `root` (404 for anything else), with the request path decoded
    /// the way a static web server does (`ATT%26CK-v9.0` is the folder `ATT&CK-v9.0`). A
    /// folder is answered with an HTML index of its entries, as `python -m http.server` and
    /// nginx's `autoindex` do.
    pub fn serve_dir(root: impl Into<PathBuf>) -> Self {
        let root: PathBuf = root.into();
        Self::start(move |request| {
            let relative = request.path.trim_start_matches('/');
            if relative.split('/').any(|s| s == "..") {
                return Reply::not_found();
            }
            let path = root.join(relative);
            if path.is_dir() {
                let Ok(entries) = std::fs::read_dir(&path) else {
                    return Reply::not_found();
                };
                let mut names: Vec<String> = entries
                    .flatten()
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect();
                names.sort();
                let links: String = names
                    .iter()
                    .map(|n| format!("<li><a href=\"{n}\">{n}</a></li>\n"))
                    .collect();
                let body = format!("<html><body><ul>\n{links}</ul></body></html>\n");
                return Reply::status(200, "text/html", body);
            }
            match std::fs::read(&path) {
                Ok(body) => Reply::json(body),
                Err(_) => Reply::not_found(),
            }
        })
    }

    /// `http://127.0.0.1:{port}/`.
    pub fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    /// How many requests were answered so far.
    pub fn hits(&self) -> usize {
        self.hits.load(Ordering::SeqCst)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so it sees the flag.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_millis(200));
    }
}

fn serve(stream: TcpStream, handler: &Handler, hits: &AtomicUsize) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or("").to_string();
    let target = parts.next().unwrap_or("/").to_string();
    let mut headers = Vec::new();
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header)? == 0 || header.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            headers.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
        }
    }
    let length: usize = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut sink = vec![0u8; length];
    reader.read_exact(&mut sink)?;
    let (path, query) = match target.split_once('?') {
        Some((p, q)) => (p.to_string(), Some(q.to_string())),
        None => (target.clone(), None),
    };
    let path = percent_encoding::percent_decode_str(&path)
        .decode_utf8_lossy()
        .into_owned();
    let request = Request {
        method,
        path,
        query,
        headers,
    };
    hits.fetch_add(1, Ordering::SeqCst);
    let mut stream = stream;
    match handler(&request) {
        Reply::Body {
            status,
            content_type,
            body,
        } => {
            write!(
                stream,
                "HTTP/1.1 {status} {}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                reason(status),
                body.len()
            )?;
            stream.write_all(&body)?;
        }
        Reply::Truncated { declared, body } => {
            write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {declared}\r\nConnection: close\r\n\r\n"
            )?;
            stream.write_all(&body)?;
        }
        Reply::Hang(duration) => thread::sleep(duration),
    }
    stream.flush()?;
    stream.shutdown(std::net::Shutdown::Both)
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        406 => "Not Acceptable",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Status",
    }
}

/// Helpers of the benchmarks, which run each measurement in a fresh child process that
/// prints one JSON line.
pub mod bench {
    /// Peak resident memory of this process so far (`VmHWM`), in MB; NaN when unknown.
    pub fn peak_rss_mb() -> f64 {
        peak_rss_mb_of("self")
    }

    /// Peak resident memory so far (`VmHWM`) of the process `pid` (a number, or `self`), in
    /// MB; NaN when unknown (a server measured from its client, say).
    pub fn peak_rss_mb_of(pid: &str) -> f64 {
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
            .map(|kb| kb / 1024.0)
            .unwrap_or(f64::NAN)
    }

    /// How many runs a benchmark measures: `HUNTBOOK_BENCH_RUNS`, 5 when unset or not a
    /// number, at least 1.
    pub fn runs() -> usize {
        std::env::var("HUNTBOOK_BENCH_RUNS")
            .ok()
            .and_then(|r| r.parse().ok())
            .unwrap_or(5)
            .max(1)
    }

    /// Runs `command` `runs` times, each a fresh process printing one JSON line with
    /// `seconds` and `peak_rss_mb`: the median time, the largest peak and the last line.
    pub fn measure(
        runs: usize,
        mut command: impl FnMut() -> std::process::Command,
    ) -> Result<(f64, f64, String), String> {
        let mut times = Vec::new();
        let mut peak: f64 = 0.0;
        let mut last = String::new();
        for _ in 0..runs.max(1) {
            let out = command().output().map_err(|e| e.to_string())?;
            if !out.status.success() {
                return Err(String::from_utf8_lossy(&out.stderr).into_owned());
            }
            last = String::from_utf8_lossy(&out.stdout).into_owned();
            times.push(field(&last, "seconds"));
            peak = peak.max(field(&last, "peak_rss_mb"));
        }
        times.sort_by(f64::total_cmp);
        Ok((times[times.len() / 2], peak, last))
    }

    /// The number `key` of a child's JSON line; NaN when absent.
    pub fn field(json: &str, key: &str) -> f64 {
        serde_json::from_str::<serde_json::Value>(json)
            .ok()
            .and_then(|v| v[key].as_f64())
            .unwrap_or(f64::NAN)
    }
}

/// The values of the text column `column` of `df`, nulls as `None`; panics (a test
/// failure) when the column is missing or not text.
pub fn strings(df: &polars::prelude::DataFrame, column: &str) -> Vec<Option<String>> {
    df.column(column)
        .unwrap_or_else(|e| panic!("column {column}: {e}"))
        .str()
        .unwrap_or_else(|e| panic!("column {column}: {e}"))
        .iter()
        .map(|v| v.map(str::to_string))
        .collect()
}
