//! `driftlint serve`: the linter as a web page on this computer, for people
//! who do not use a terminal.
//!
//! A small HTTP server ([tiny_http]) bound to 127.0.0.1 only serves one page
//! (HTML, CSS and JavaScript embedded in the binary: nothing is fetched from
//! anywhere else) and two endpoints:
//!
//! - `GET /api/rules`: the rule catalogue, with rationale, suggestion and
//!   citations, as a JSON array.
//! - `POST /api/check`: lints one posting, sent as the raw body (`text/plain`
//!   or `text/markdown`, `?format=markdown|plain&filename=NAME`) or as a
//!   `multipart/form-data` upload with a `file` field; answers with the same
//!   JSON document as `driftlint check --format json`.
//!
//! Every request is turned into a [`Request`] and answered by
//! [`App::handle`], a plain function of its input (tested without a socket).
//! Bad input is a 4xx answer with `{"error": "..."}`, never a panic.

pub mod multipart;

use std::io::{self, Read};
use std::net::{SocketAddr, TcpListener};
use std::sync::{Arc, mpsc};
use std::thread;
use std::time::Duration;

use serde_json::json;

use crate::Linter;
use crate::document::Format;
use crate::report::{FileReport, Json, Reporter, Summary};
use crate::source;

/// Default port of `driftlint serve`.
pub const DEFAULT_PORT: u16 = 7878;

/// Default `--max-body`: 2 MiB, far more than any posting.
pub const DEFAULT_MAX_BODY: u64 = 2 * 1024 * 1024;

/// Requests that declare a body larger than this (and than `--max-body`) get
/// no answer at all. tiny_http 0.12 drains an unread body with a buffer the
/// size of the declared `Content-Length`, so answering such a request would
/// let one crafted header exhaust memory; it is left unanswered instead.
const DRAIN_LIMIT: u64 = 64 * 1024 * 1024;

/// Threads answering requests. Linting is quick; a few threads keep one slow
/// upload from holding up the page.
const WORKERS: usize = 4;

const INDEX_HTML: &str = include_str!("assets/index.html");
const APP_CSS: &str = include_str!("assets/app.css");
const APP_JS: &str = include_str!("assets/app.js");

/// File extensions accepted for uploads.
const TEXT_EXTENSIONS: &[&str] = &["md", "markdown", "txt", "text"];

/// Formats people may upload by mistake, with what to do instead.
const UNSUPPORTED: &[(&str, &str)] = &[
    ("docx", "Word"),
    ("doc", "Word"),
    ("odt", "OpenDocument"),
    ("rtf", "Rich Text"),
    ("pdf", "PDF"),
    ("html", "web page (HTML)"),
    ("htm", "web page (HTML)"),
    ("pages", "Pages"),
];

/// How to run the server.
#[derive(Debug, Clone)]
pub struct Options {
    /// Port on 127.0.0.1; 0 picks a free one.
    pub port: u16,
    /// Largest request body accepted, in bytes.
    pub max_body: u64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            port: DEFAULT_PORT,
            max_body: DEFAULT_MAX_BODY,
        }
    }
}

/// Parses a size such as `2097152`, `512KiB`, `2MiB` or `2M` (binary units).
pub fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let n: u64 = num
        .parse()
        .map_err(|_| format!("`{s}` is not a size (such as 2097152, 512KiB or 2MiB)"))?;
    let mult: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" | "kib" => 1 << 10,
        "m" | "mb" | "mib" => 1 << 20,
        "g" | "gb" | "gib" => 1 << 30,
        _ => return Err(format!("`{s}`: unknown unit (use KiB, MiB or GiB)")),
    };
    n.checked_mul(mult)
        .filter(|&n| n > 0)
        .ok_or_else(|| format!("`{s}` is not a usable size"))
}

/// One HTTP request, as [`App::handle`] needs it.
#[derive(Debug, Clone, Default)]
pub struct Request<'a> {
    pub method: &'a str,
    /// Path and query, such as `/api/check?format=plain`.
    pub url: &'a str,
    pub host: Option<&'a str>,
    pub content_type: Option<&'a str>,
    /// The `Content-Length` the client declared, if any.
    pub content_length: Option<u64>,
    /// The body as read (at most `max_body + 1` bytes; empty when the
    /// declared length was already too large to read).
    pub body: &'a [u8],
}

/// An HTTP response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub status: u16,
    pub content_type: &'static str,
    pub headers: Vec<(&'static str, String)>,
    pub body: Vec<u8>,
}

impl Response {
    fn new(status: u16, content_type: &'static str, body: impl Into<Vec<u8>>) -> Response {
        Response {
            status,
            content_type,
            headers: Vec::new(),
            body: body.into(),
        }
    }

    fn json(status: u16, value: &serde_json::Value) -> Response {
        let mut body = serde_json::to_vec_pretty(value).unwrap_or_default();
        body.push(b'\n');
        Response::new(status, JSON, body)
    }

    /// `{"error": "..."}` with a status.
    pub fn error(status: u16, message: impl Into<String>) -> Response {
        Response::json(status, &json!({ "error": message.into() }))
    }

    /// The value of a header set by the handler.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

const JSON: &str = "application/json; charset=utf-8";
const HTML: &str = "text/html; charset=utf-8";
const CSS: &str = "text/css; charset=utf-8";
const JS: &str = "text/javascript; charset=utf-8";

/// The page may load only its own script and style, and talk only to this server.
const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; \
                   img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// What answers requests: the linter, the limits and the prepared assets.
pub struct App {
    linter: Linter,
    max_body: u64,
    /// The bound port, checked against the `Host` header (DNS rebinding).
    port: Option<u16>,
    index: String,
    rules: Vec<u8>,
}

impl App {
    pub fn new(linter: Linter, max_body: u64) -> App {
        let rules: Vec<_> = linter
            .rules()
            .rules()
            .iter()
            .map(|r| {
                json!({
                    "id": r.id,
                    "name": r.name,
                    "category": r.category,
                    "severity": r.severity.max().map(|s| s.as_str()),
                    "summary": r.summary,
                    "message": r.message,
                    "rationale": r.rationale,
                    "suggestion": r.suggestion,
                    "citations": r.citations,
                })
            })
            .collect();
        let mut rules = serde_json::to_vec(&rules).unwrap_or_default();
        rules.push(b'\n');
        App {
            index: INDEX_HTML.replace("{{MAX_BODY}}", &max_body.to_string()),
            linter,
            max_body,
            port: None,
            rules,
        }
    }

    /// Only requests naming this port on 127.0.0.1 or localhost are answered.
    pub fn with_port(mut self, port: u16) -> App {
        self.port = Some(port);
        self
    }

    pub fn max_body(&self) -> u64 {
        self.max_body
    }

    /// Answers one request.
    pub fn handle(&self, req: &Request) -> Response {
        let mut res = self.route(req);
        res.headers
            .push(("X-Content-Type-Options", "nosniff".into()));
        res.headers.push(("Referrer-Policy", "no-referrer".into()));
        res.headers.push(("Cache-Control", "no-store".into()));
        if res.content_type == HTML {
            res.headers.push(("Content-Security-Policy", CSP.into()));
        }
        res
    }

    fn route(&self, req: &Request) -> Response {
        if let Err(e) = self.check_host(req.host) {
            return Response::error(403, e);
        }
        let path = req.url.split(['?', '#']).next().unwrap_or("");
        let get = |body: &str, ct: &'static str| match req.method {
            "GET" | "HEAD" => Response::new(200, ct, body.as_bytes()),
            _ => not_allowed("GET, HEAD"),
        };
        match path {
            "/" | "/index.html" => get(&self.index, HTML),
            "/app.css" => get(APP_CSS, CSS),
            "/app.js" => get(APP_JS, JS),
            "/api/rules" => match req.method {
                "GET" | "HEAD" => Response::new(200, JSON, self.rules.clone()),
                _ => not_allowed("GET, HEAD"),
            },
            "/api/check" => match req.method {
                "POST" => self.check(req),
                _ => not_allowed("POST"),
            },
            _ => Response::error(404, format!("no such page: {path}")),
        }
    }

    fn check_host(&self, host: Option<&str>) -> Result<(), String> {
        let Some(host) = host else { return Ok(()) };
        let (name, port) = match host.rsplit_once(':') {
            Some((n, p)) if !p.contains(']') => (n, p.parse::<u16>().ok()),
            _ => (host, Some(80)),
        };
        let local = ["127.0.0.1", "localhost"]
            .iter()
            .any(|n| n.eq_ignore_ascii_case(name));
        let port_ok = self.port.is_none_or(|p| port == Some(p));
        if local && port_ok {
            Ok(())
        } else {
            Err(format!(
                "this server answers only pages opened on this computer (Host: 127.0.0.1:{}), not `{host}`",
                self.port.unwrap_or(DEFAULT_PORT)
            ))
        }
    }

    /// `POST /api/check`.
    fn check(&self, req: &Request) -> Response {
        self.check_inner(req).unwrap_or_else(|error| error)
    }

    fn check_inner(&self, req: &Request) -> Result<Response, Response> {
        let declared = req.content_length.unwrap_or(0);
        if declared > self.max_body || req.body.len() as u64 > self.max_body {
            return Err(Response::error(
                413,
                format!(
                    "the posting is larger than the {} limit (start driftlint serve with --max-body to raise it)",
                    human_size(self.max_body)
                ),
            ));
        }
        let query = parse_query(req.url);
        let q = |k: &str| {
            query
                .iter()
                .rev()
                .find(|(key, _)| key == k)
                .map(|(_, v)| v.as_str())
        };
        let content_type = req.content_type.unwrap_or("").trim();
        let essence = content_type
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        let (bytes, filename) = if essence == "multipart/form-data" {
            let boundary = multipart::boundary(content_type).ok_or_else(|| {
                Response::error(400, "multipart upload without a usable boundary")
            })?;
            let parts =
                multipart::parse(req.body, &boundary).map_err(|e| Response::error(400, e))?;
            let file = parts
                .into_iter()
                .find(|p| p.name == "file")
                .ok_or_else(|| {
                    Response::error(
                        400,
                        "the upload has no `file` field (send the posting as `file`)",
                    )
                })?;
            let name = q("filename")
                .map(str::to_string)
                .or(file.filename)
                .filter(|n| !n.is_empty());
            (file.data, name)
        } else if essence.is_empty()
            || essence.starts_with("text/")
            || essence == "application/octet-stream"
        {
            (req.body, q("filename").map(str::to_string))
        } else {
            return Err(Response::error(
                415,
                format!(
                    "cannot read a `{essence}` body: send the posting as text/plain, text/markdown or multipart/form-data"
                ),
            ));
        };
        let filename = filename.map(|n| base_name(&n)).filter(|n| !n.is_empty());
        if let Some(name) = &filename {
            check_extension(name).map_err(|e| Response::error(400, e))?;
        }
        let format = match q("format").map(str::trim).filter(|f| !f.is_empty()) {
            Some(f) => match f.to_ascii_lowercase().as_str() {
                "markdown" | "md" => Format::Markdown,
                "plain" | "text" | "txt" => Format::Plain,
                _ => {
                    return Err(Response::error(
                        400,
                        format!("unknown format `{f}`: use markdown or plain"),
                    ));
                }
            },
            None => match &filename {
                Some(name) => Format::from_path(name),
                None if essence == "text/plain" => Format::Plain,
                None => Format::Markdown,
            },
        };
        let (text, notes) = source::decode(bytes.to_vec())
            .map_err(|e| Response::error(400, format!("cannot read the posting: {e}")))?;
        if text.trim().is_empty() {
            return Err(Response::error(400, "the posting is empty"));
        }
        let findings = self.linter.check(&text, format);
        let report = FileReport {
            path: filename.unwrap_or_else(|| "-".into()),
            text: String::new(),
            findings,
            error: None,
            notes,
            ..FileReport::default()
        };
        let mut summary = Summary::default();
        summary.add(&report);
        let mut out = Vec::new();
        let mut json = Json::default();
        json.file(&mut out, &report)
            .and_then(|()| json.finish(&mut out, &summary))
            .map_err(|e| Response::error(500, format!("cannot write the report: {e}")))?;
        Ok(Response::new(200, JSON, out))
    }
}

fn not_allowed(allow: &'static str) -> Response {
    let mut r = Response::error(405, format!("method not allowed here (use {allow})"));
    r.headers.push(("Allow", allow.into()));
    r
}

fn human_size(n: u64) -> String {
    if n >= 1 << 20 && n.is_multiple_of(1 << 20) {
        format!("{} MiB", n >> 20)
    } else if n >= 1 << 10 && n.is_multiple_of(1 << 10) {
        format!("{} KiB", n >> 10)
    } else {
        format!("{n}-byte")
    }
}

/// The last path component of an uploaded file's name, at most 255 characters.
fn base_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name).trim();
    base.chars().filter(|c| !c.is_control()).take(255).collect()
}

/// Accepts .md, .markdown, .txt, .text and names without an extension.
fn check_extension(name: &str) -> Result<(), String> {
    let Some((_, ext)) = name.rsplit_once('.') else {
        return Ok(());
    };
    let ext = ext.to_ascii_lowercase();
    if TEXT_EXTENSIONS.contains(&ext.as_str()) {
        return Ok(());
    }
    if let Some((_, kind)) = UNSUPPORTED.iter().find(|(e, _)| *e == ext) {
        return Err(format!(
            "{kind} files (.{ext}) are not supported yet: copy the posting's text into the page, or save it as .txt or .md"
        ));
    }
    Err(format!(
        "unsupported file type `.{ext}`: driftlint reads Markdown (.md, .markdown) and plain text (.txt)"
    ))
}

/// `a=1&b=x%20y` into pairs (`+` is a space).
fn parse_query(url: &str) -> Vec<(String, String)> {
    let Some((_, q)) = url.split_once('?') else {
        return Vec::new();
    };
    let q = q.split('#').next().unwrap_or("");
    q.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (percent_decode(k, true), percent_decode(v, true))
        })
        .collect()
}

/// Percent-decoding; invalid UTF-8 becomes U+FFFD.
fn percent_decode(s: &str, plus_is_space: bool) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        match b[i] {
            b'%' => match (
                b.get(i + 1).and_then(|&c| hex(c)),
                b.get(i + 2).and_then(|&c| hex(c)),
            ) {
                (Some(h), Some(l)) => {
                    out.push((h * 16 + l) as u8);
                    i += 3;
                    continue;
                }
                _ => out.push(b'%'),
            },
            b'+' if plus_is_space => out.push(b' '),
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A bound server, ready to [`run`](Server::run).
pub struct Server {
    listener: TcpListener,
    app: Arc<App>,
}

impl Server {
    /// Binds 127.0.0.1:`port` (0 picks a free port).
    pub fn bind(opts: &Options, linter: Linter) -> io::Result<Server> {
        Ok(Server::new(listen(opts.port)?, opts, linter))
    }

    /// A server on a listener already bound.
    pub fn new(listener: TcpListener, opts: &Options, linter: Linter) -> Server {
        let port = listener.local_addr().map_or(opts.port, |a| a.port());
        Server {
            listener,
            app: Arc::new(App::new(linter, opts.max_body).with_port(port)),
        }
    }

    pub fn addr(&self) -> io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// Answers requests until the process is stopped. A handler thread that
    /// dies (a panic inside the HTTP library) is replaced; if the library's
    /// accept loop stops (say, out of file descriptors), it is started again
    /// on the same socket.
    pub fn run(self) -> io::Result<()> {
        loop {
            let listener = self.listener.try_clone()?;
            let server = tiny_http::Server::from_listener(listener, None)
                .map(Arc::new)
                .map_err(|e| io::Error::other(e.to_string()))?;
            let (tx, rx) = mpsc::channel::<usize>();
            let spawn = |i: usize| {
                let (server, app, tx) = (server.clone(), self.app.clone(), tx.clone());
                thread::spawn(move || {
                    let _done = Done(i, tx);
                    worker(&server, &app)
                })
            };
            let mut workers: Vec<_> = (0..WORKERS).map(|i| Some(spawn(i))).collect();
            let err = loop {
                let Ok(i) = rx.recv() else {
                    break io::Error::other("all handler threads stopped");
                };
                match workers[i].take().map(|w| w.join()) {
                    Some(Ok(e)) => break e,
                    Some(Err(_)) => {
                        eprintln!(
                            "driftlint: warning: a request handler crashed; started a new one"
                        );
                        workers[i] = Some(spawn(i));
                    }
                    None => {}
                }
            };
            for _ in 0..WORKERS {
                server.unblock();
            }
            for w in workers.into_iter().flatten() {
                let _ = w.join();
            }
            eprintln!("driftlint: warning: the server stopped accepting ({err}); starting again");
            thread::sleep(Duration::from_millis(250));
        }
    }
}

/// Tells the supervisor which worker ended, however it ended.
struct Done(usize, mpsc::Sender<usize>);

impl Drop for Done {
    fn drop(&mut self) {
        let _ = self.1.send(self.0);
    }
}

/// Answers requests until the server's queue reports an error.
fn worker(server: &tiny_http::Server, app: &App) -> io::Error {
    loop {
        match server.recv() {
            Ok(rq) => respond(rq, app),
            Err(e) => return e,
        }
    }
}

/// Reads one request's body (bounded), answers it, and sends the answer.
fn respond(mut rq: tiny_http::Request, app: &App) {
    let header = |name: &'static str| {
        rq.headers()
            .iter()
            .find(|h| h.field.equiv(name))
            .map(|h| h.value.as_str().to_string())
    };
    let host = header("Host");
    let content_type = header("Content-Type");
    let declared = rq.body_length().map(|n| n as u64);
    if declared.is_some_and(|n| n > app.max_body.max(DRAIN_LIMIT)) {
        eprintln!(
            "driftlint: warning: ignored a request declaring a {}-byte body",
            declared.unwrap_or(0)
        );
        std::mem::forget(rq);
        return;
    }
    let mut body = Vec::new();
    // A body declared too large is not read: the answer is 413 either way.
    let read_error = if declared.is_none_or(|n| n <= app.max_body) {
        rq.as_reader()
            .take(app.max_body.saturating_add(1))
            .read_to_end(&mut body)
            .err()
    } else {
        None
    };
    let method = rq.method().as_str().to_string();
    let url = rq.url().to_string();
    let res = match read_error {
        Some(e) => Response::error(
            400,
            format!("cannot read the request: {}", source::io_reason(&e)),
        ),
        None => app.handle(&Request {
            method: &method,
            url: &url,
            host: host.as_deref(),
            content_type: content_type.as_deref(),
            content_length: declared,
            body: &body,
        }),
    };
    let mut out = tiny_http::Response::from_data(res.body).with_status_code(res.status);
    let headers =
        std::iter::once(("Content-Type", res.content_type.to_string())).chain(res.headers);
    for (k, v) in headers {
        if let Ok(h) = tiny_http::Header::from_bytes(k.as_bytes(), v.as_bytes()) {
            out.add_header(h);
        }
    }
    // A client that went away is not the server's problem.
    let _ = rq.respond(out);
}

/// Binds 127.0.0.1:`port`, with a hint when the port is taken.
fn listen(port: u16) -> io::Result<TcpListener> {
    TcpListener::bind(("127.0.0.1", port)).map_err(|e| {
        let hint = if e.kind() == io::ErrorKind::AddrInUse {
            " (another program uses it: try --port 0 for any free port)"
        } else {
            ""
        };
        io::Error::new(
            e.kind(),
            format!(
                "cannot listen on 127.0.0.1:{port}: {}{hint}",
                source::io_reason(&e)
            ),
        )
    })
}

/// `driftlint serve`: binds (so a busy port is reported at once), compiles
/// the rules, prints the address on standard error and answers requests
/// until stopped.
pub fn serve(opts: &Options) -> io::Result<()> {
    let listener = listen(opts.port)?;
    let linter = Linter::builtin().map_err(|e| io::Error::other(e.to_string()))?;
    let server = Server::new(listener, opts, linter);
    let port = server.addr()?.port();
    eprintln!("driftlint: serving on http://127.0.0.1:{port}/ (Ctrl-C to stop)");
    server.run()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::OnceLock;

    /// One app for all tests: compiling the rules takes a while in debug builds.
    fn app() -> &'static App {
        static APP: OnceLock<App> = OnceLock::new();
        APP.get_or_init(|| App::new(Linter::builtin().expect("rules"), 1024).with_port(7878))
    }

    fn req<'a>(method: &'a str, url: &'a str, ct: Option<&'a str>, body: &'a [u8]) -> Request<'a> {
        Request {
            method,
            url,
            host: Some("127.0.0.1:7878"),
            content_type: ct,
            content_length: Some(body.len() as u64),
            body,
        }
    }

    fn error_of(r: &Response) -> String {
        let v: serde_json::Value = serde_json::from_slice(&r.body).expect("json");
        v["error"].as_str().expect("error field").to_string()
    }

    const POSTING: &[u8] =
        "## Qualifications\n- 🌟 Bachelor’s degree in Social Work required\n".as_bytes();

    #[test]
    fn serves_the_page_and_assets() {
        let r = app().handle(&req("GET", "/", None, b""));
        assert_eq!((r.status, r.content_type), (200, HTML));
        let page = String::from_utf8(r.body.clone()).unwrap();
        assert!(
            page.contains("data-max-body=\"1024\""),
            "max body is filled in"
        );
        assert!(
            r.header("Content-Security-Policy")
                .unwrap()
                .contains("default-src 'none'")
        );
        assert_eq!(r.header("X-Content-Type-Options"), Some("nosniff"));
        for (url, ct) in [
            ("/app.css", CSS),
            ("/app.js", JS),
            ("/index.html?x=1", HTML),
        ] {
            let r = app().handle(&req("GET", url, None, b""));
            assert_eq!((r.status, r.content_type), (200, ct), "{url}");
        }
        assert_eq!(app().handle(&req("HEAD", "/app.js", None, b"")).status, 200);
    }

    #[test]
    fn page_and_assets_name_nothing_outside_this_server() {
        for asset in [INDEX_HTML, APP_CSS, APP_JS] {
            for bad in ["http://", "https://", "//cdn", "@import", "fonts.g"] {
                assert!(!asset.contains(bad), "{bad} in an asset");
            }
        }
    }

    #[test]
    fn rules_carry_rationale_and_citations() {
        let r = app().handle(&req("GET", "/api/rules", None, b""));
        assert_eq!((r.status, r.content_type), (200, JSON));
        let v: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
        let rules = v.as_array().unwrap();
        assert_eq!(rules.len(), app().linter.rules().rules().len());
        let dl101 = rules.iter().find(|r| r["id"] == "DL101").unwrap();
        for key in ["name", "category", "summary", "rationale", "suggestion"] {
            assert!(!dl101[key].as_str().unwrap().is_empty(), "{key}");
        }
        assert!(dl101["citations"][0]["title"].is_string());
    }

    #[test]
    fn checks_a_raw_posting_like_check_json() {
        let r = app().handle(&req(
            "POST",
            "/api/check?format=markdown&filename=a%2Fb%2Fjob.md",
            Some("text/markdown"),
            POSTING,
        ));
        assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
        let v: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
        assert_eq!(v["version"], 1);
        assert_eq!(v["files"][0]["path"], "job.md");
        assert_eq!(v["summary"]["files"], 1);
        let f = &v["files"][0]["findings"][0];
        assert_eq!(f["category"], "credential");
        let (s, e) = (
            f["byte_start"].as_u64().unwrap() as usize,
            f["byte_end"].as_u64().unwrap() as usize,
        );
        assert_eq!(
            std::str::from_utf8(&POSTING[s..e]).unwrap(),
            f["matched"].as_str().unwrap()
        );
        assert!(f["matched"].as_str().unwrap().starts_with("Bachelor’s"));
    }

    #[test]
    fn picks_the_format_from_the_query_the_name_or_the_type() {
        let text = b"QUALIFICATIONS\nBachelor's degree in social work required\n";
        let findings = |url, ct| {
            let r = app().handle(&req("POST", url, ct, text));
            assert_eq!(r.status, 200, "{url}");
            let v: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
            v["files"][0]["findings"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| f["rule"].as_str().unwrap().to_string())
                .collect::<Vec<_>>()
        };
        let plain = findings("/api/check?format=plain", None);
        assert!(!plain.is_empty());
        assert_eq!(findings("/api/check?filename=job.txt", None), plain);
        assert_eq!(
            findings("/api/check", Some("text/plain; charset=utf-8")),
            plain
        );
        assert_eq!(
            findings("/api/check?format=TEXT&filename=job.md", None),
            plain
        );
    }

    #[test]
    fn reads_a_multipart_upload() {
        let mut body = b"--b0undary\r\nContent-Disposition: form-data; name=\"file\"; filename=\"C:\\\\Users\\\\me\\\\job.md\"\r\nContent-Type: text/markdown\r\n\r\n".to_vec();
        body.extend_from_slice(POSTING);
        body.extend_from_slice(b"\r\n--b0undary--\r\n");
        let r = app().handle(&req(
            "POST",
            "/api/check",
            Some("multipart/form-data; boundary=b0undary"),
            &body,
        ));
        assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
        let v: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
        assert_eq!(v["files"][0]["path"], "job.md");
        assert!(v["summary"]["error"].as_u64().unwrap() >= 1);

        let no_file = b"--b0undary\r\nContent-Disposition: form-data; name=\"other\"\r\n\r\nx\r\n--b0undary--\r\n";
        let r = app().handle(&req(
            "POST",
            "/api/check",
            Some("multipart/form-data; boundary=b0undary"),
            no_file,
        ));
        assert_eq!(r.status, 400);
        assert!(error_of(&r).contains("`file` field"));
        let r = app().handle(&req(
            "POST",
            "/api/check",
            Some("multipart/form-data"),
            no_file,
        ));
        assert_eq!(r.status, 400);
    }

    /// (url, content type, body, status, part of the error).
    type Case<'a> = (&'a str, Option<&'a str>, &'a [u8], u16, &'a str);

    #[test]
    fn refuses_bad_input_with_a_reason() {
        let cases: [Case; 9] = [
            ("/api/check", None, b"\x7fELF\0\0\x01binary", 400, "binary"),
            (
                "/api/check?format=docx",
                None,
                b"text",
                400,
                "unknown format `docx`",
            ),
            (
                "/api/check?filename=job.docx",
                None,
                b"text",
                400,
                "Word files (.docx) are not supported yet",
            ),
            (
                "/api/check?filename=job.exe",
                None,
                b"text",
                400,
                "unsupported file type `.exe`",
            ),
            ("/api/check", None, b"  \n\n ", 400, "empty"),
            ("/api/check", None, b"", 400, "empty"),
            (
                "/api/check",
                Some("application/json"),
                b"{}",
                415,
                "application/json",
            ),
            ("/api/check", None, &[b'a'; 1025], 413, "1 KiB limit"),
            (
                "/api/check",
                Some("multipart/form-data; boundary=x"),
                b"garbage",
                400,
                "boundary",
            ),
        ];
        for (url, ct, body, status, why) in cases {
            let r = app().handle(&req("POST", url, ct, body));
            assert_eq!(r.status, status, "{url}");
            assert_eq!(r.content_type, JSON);
            assert!(error_of(&r).contains(why), "{url}: {}", error_of(&r));
        }
        // A declared length over the limit is refused before the body is read.
        let mut r = req("POST", "/api/check", None, b"");
        r.content_length = Some(5 << 20);
        assert_eq!(app().handle(&r).status, 413);
    }

    #[test]
    fn invalid_utf8_is_linted_with_a_note() {
        let r = app().handle(&req(
            "POST",
            "/api/check",
            None,
            b"## Qualifications\n- Bachelor's degree \xFF required\n",
        ));
        assert_eq!(r.status, 200);
        let v: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
        assert!(
            v["files"][0]["notes"][0]
                .as_str()
                .unwrap()
                .contains("invalid UTF-8")
        );
    }

    #[test]
    fn unknown_paths_wrong_methods_and_foreign_hosts() {
        let r = app().handle(&req("GET", "/nope", None, b""));
        assert_eq!(r.status, 404);
        assert!(error_of(&r).contains("/nope"));
        for (m, url, allow) in [
            ("GET", "/api/check", "POST"),
            ("POST", "/", "GET, HEAD"),
            ("DELETE", "/api/rules", "GET, HEAD"),
        ] {
            let r = app().handle(&req(m, url, None, b""));
            assert_eq!(r.status, 405, "{m} {url}");
            assert_eq!(r.header("Allow"), Some(allow));
        }
        for host in ["evil.example:7878", "127.0.0.1:9999", "localhost"] {
            let mut r = req("GET", "/", None, b"");
            r.host = Some(host);
            assert_eq!(app().handle(&r).status, 403, "{host}");
        }
        let mut r = req("GET", "/", None, b"");
        r.host = Some("LOCALHOST:7878");
        assert_eq!(app().handle(&r).status, 200);
    }

    #[test]
    fn sizes_and_queries() {
        assert_eq!(parse_size("2MiB"), Ok(2 << 20));
        assert_eq!(parse_size("512k"), Ok(512 << 10));
        assert_eq!(parse_size("100"), Ok(100));
        assert!(parse_size("0").is_err());
        assert!(parse_size("2 parsecs").is_err());
        assert!(parse_size("99999999999G").is_err());
        assert_eq!(
            parse_query("/x?a=1+2&b=%C3%A9%2&c#frag"),
            vec![
                ("a".into(), "1 2".into()),
                ("b".into(), "é%2".into()),
                ("c".into(), "".into())
            ]
        );
        assert_eq!(base_name("../../etc/passwd"), "passwd");
        assert_eq!(human_size(2 << 20), "2 MiB");
        assert_eq!(human_size(1000), "1000-byte");
    }
}
