//! `driftlint serve` over real sockets: a server on 127.0.0.1 with port 0,
//! plain HTTP/1.1 written by hand on a `TcpStream`.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::Duration;

use driftlint::Linter;
use driftlint::serve::{Options, Server};
use serde_json::Value;

const MAX_BODY: u64 = 256 * 1024;
const FIXTURE: &str = "fixtures/hospital-peer-support-worker.md";

/// One in-process server for the whole file (compiling the rules is slow in
/// debug builds); its thread ends with the test process.
fn addr() -> SocketAddr {
    static ADDR: OnceLock<SocketAddr> = OnceLock::new();
    *ADDR.get_or_init(|| {
        let opts = Options {
            port: 0,
            max_body: MAX_BODY,
        };
        let server = Server::bind(&opts, Linter::builtin().expect("rules")).expect("binds");
        let addr = server.addr().expect("address");
        std::thread::spawn(move || server.run());
        addr
    })
}

fn fixture() -> Vec<u8> {
    std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/hospital-peer-support-worker.md"
    ))
    .expect("fixture")
}

#[derive(Debug)]
struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!("{e}: {}", String::from_utf8_lossy(&self.body));
        })
    }

    fn error(&self) -> String {
        assert_eq!(
            self.header("Content-Type"),
            Some("application/json; charset=utf-8")
        );
        self.json()["error"].as_str().expect("error").to_string()
    }
}

/// Sends raw bytes and reads one response (the request asks to close).
fn send_raw(addr: SocketAddr, raw: &[u8]) -> Reply {
    let mut s = TcpStream::connect(addr).expect("connects");
    s.set_read_timeout(Some(Duration::from_secs(120))).unwrap();
    s.write_all(raw).expect("writes");
    read_reply(s, raw.starts_with(b"HEAD "))
}

fn read_reply(s: TcpStream, head: bool) -> Reply {
    let mut r = BufReader::new(s);
    let mut line = String::new();
    r.read_line(&mut line).expect("status line");
    let status: u16 = line
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or_else(|| panic!("bad status line {line:?}"));
    let mut headers = Vec::new();
    loop {
        line.clear();
        r.read_line(&mut line).expect("header");
        let l = line.trim_end();
        if l.is_empty() {
            break;
        }
        let (k, v) = l.split_once(':').expect("header line");
        headers.push((k.trim().to_string(), v.trim().to_string()));
    }
    let get = |n: &str| {
        headers
            .iter()
            .find(|(k, _): &&(String, String)| k.eq_ignore_ascii_case(n))
            .map(|(_, v)| v.clone())
    };
    let mut body = Vec::new();
    if head {
        // No body, whatever Content-Length says.
    } else if get("Transfer-Encoding").is_some_and(|t| t.contains("chunked")) {
        loop {
            line.clear();
            r.read_line(&mut line).expect("chunk size");
            let n = usize::from_str_radix(line.trim(), 16).expect("hex size");
            let mut chunk = vec![0; n + 2];
            r.read_exact(&mut chunk).expect("chunk");
            if n == 0 {
                break;
            }
            body.extend_from_slice(&chunk[..n]);
        }
    } else if let Some(n) = get("Content-Length").and_then(|n| n.parse::<usize>().ok()) {
        body.resize(n, 0);
        r.read_exact(&mut body).expect("body");
    } else {
        r.read_to_end(&mut body).expect("body");
    }
    Reply {
        status,
        headers,
        body,
    }
}

fn request(method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Reply {
    let a = addr();
    send_raw(a, &build(a, method, path, headers, body))
}

fn build(
    a: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Vec<u8> {
    let mut raw = format!("{method} {path} HTTP/1.1\r\nHost: {a}\r\nConnection: close\r\n");
    for (k, v) in headers {
        raw.push_str(&format!("{k}: {v}\r\n"));
    }
    if method != "GET" && method != "HEAD" {
        raw.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    raw.push_str("\r\n");
    let mut raw = raw.into_bytes();
    raw.extend_from_slice(body);
    raw
}

fn get(path: &str) -> Reply {
    request("GET", path, &[], b"")
}

fn post(path: &str, content_type: &str, body: &[u8]) -> Reply {
    request("POST", path, &[("Content-Type", content_type)], body)
}

/// `driftlint check --format json` on the fixture, the reference answer.
fn cli_json() -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_driftlint"))
        .args(["check", "--isolated", "--format", "json", FIXTURE])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("runs");
    serde_json::from_slice(&out.stdout).expect("json")
}

/// Findings without their `path`, which names the file differently.
fn findings(doc: &Value) -> Vec<Value> {
    doc["files"][0]["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            let mut f = f.clone();
            f.as_object_mut().unwrap().remove("path");
            f
        })
        .collect()
}

#[test]
fn page_and_assets_are_served_with_their_types() {
    let page = get("/");
    assert_eq!(page.status, 200);
    assert_eq!(
        page.header("Content-Type"),
        Some("text/html; charset=utf-8")
    );
    let html = String::from_utf8(page.body.clone()).unwrap();
    assert!(html.contains("<textarea id=\"posting\""));
    assert!(html.contains(&format!("data-max-body=\"{MAX_BODY}\"")));
    let csp = page.header("Content-Security-Policy").expect("CSP");
    assert!(csp.contains("default-src 'none'") && csp.contains("connect-src 'self'"));
    assert_eq!(page.header("X-Content-Type-Options"), Some("nosniff"));
    for (path, ct, needle) in [
        ("/app.css", "text/css; charset=utf-8", ":focus-visible"),
        ("/app.js", "text/javascript; charset=utf-8", "byteIndexer"),
    ] {
        let r = get(path);
        assert_eq!(r.status, 200, "{path}");
        assert_eq!(r.header("Content-Type"), Some(ct), "{path}");
        assert!(String::from_utf8_lossy(&r.body).contains(needle), "{path}");
    }
    let head = request("HEAD", "/", &[], b"");
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
}

#[test]
fn rules_endpoint_lists_the_catalogue() {
    let r = get("/api/rules");
    assert_eq!(r.status, 200);
    assert_eq!(
        r.header("Content-Type"),
        Some("application/json; charset=utf-8")
    );
    let rules = r.json();
    let rules = rules.as_array().expect("array");
    assert!(rules.len() >= 50, "{} rules", rules.len());
    for rule in rules {
        for key in [
            "id",
            "name",
            "category",
            "summary",
            "rationale",
            "suggestion",
        ] {
            assert!(
                rule[key].as_str().is_some_and(|s| !s.is_empty()),
                "{key} of {rule}"
            );
        }
        let cites = rule["citations"].as_array().expect("citations");
        assert!(
            cites
                .iter()
                .all(|c| c["title"].is_string() && c["section"].is_string())
        );
    }
}

#[test]
fn check_answers_like_check_format_json() {
    let r = post(
        "/api/check?format=markdown&filename=hospital-peer-support-worker.md",
        "text/markdown; charset=utf-8",
        &fixture(),
    );
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let doc = r.json();
    let cli = cli_json();
    assert_eq!(doc["version"], cli["version"]);
    assert_eq!(doc["summary"], cli["summary"]);
    assert_eq!(findings(&doc), findings(&cli));
    assert_eq!(doc["files"][0]["path"], "hospital-peer-support-worker.md");
    assert_eq!(doc["files"][0]["error"], Value::Null);
    let f = &doc["files"][0]["findings"][0];
    assert_eq!(f["path"], "hospital-peer-support-worker.md");
    // Byte offsets index the posting as sent.
    let text = fixture();
    for f in doc["files"][0]["findings"].as_array().unwrap() {
        let (s, e) = (
            f["byte_start"].as_u64().unwrap() as usize,
            f["byte_end"].as_u64().unwrap() as usize,
        );
        assert_eq!(std::str::from_utf8(&text[s..e]).unwrap(), f["matched"]);
    }
}

#[test]
fn check_reads_a_multipart_upload() {
    let boundary = "----driftlintTestBoundary7MA4YWxkTrZu0gW";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"hospital-peer-support-worker.md\"\r\n\
         Content-Type: text/markdown\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(&fixture());
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let r = post(
        "/api/check",
        &format!("multipart/form-data; boundary={boundary}"),
        &body,
    );
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let doc = r.json();
    assert_eq!(doc["files"][0]["path"], "hospital-peer-support-worker.md");
    assert_eq!(findings(&doc), findings(&cli_json()));

    // A .txt upload is read as plain text: capitals make headings.
    let txt = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"job.txt\"\r\n\r\n\
         QUALIFICATIONS\r\nBachelor's degree in social work required\r\n--{boundary}--\r\n"
    );
    let r = post(
        "/api/check",
        &format!("multipart/form-data; boundary=\"{boundary}\""),
        txt.as_bytes(),
    );
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["summary"]["error"], 1);
}

#[test]
fn too_large_bodies_get_413() {
    let big = vec![b'a'; MAX_BODY as usize + 1];
    let r = post("/api/check", "text/plain", &big);
    assert_eq!(r.status, 413);
    assert!(r.error().contains("256 KiB limit"), "{}", r.error());

    // A declared length over the limit is refused without reading the body.
    let a = addr();
    let head = format!(
        "POST /api/check HTTP/1.1\r\nHost: {a}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: {}\r\n\r\nabc",
        4 * 1024 * 1024
    );
    let r = send_raw(a, head.as_bytes());
    assert_eq!(r.status, 413);

    // Chunked bodies are counted as they arrive.
    let mut chunked = format!(
        "POST /api/check HTTP/1.1\r\nHost: {a}\r\nConnection: close\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n"
    )
    .into_bytes();
    for _ in 0..5 {
        chunked.extend_from_slice(format!("{:x}\r\n", 64 * 1024).as_bytes());
        chunked.extend_from_slice(&vec![b'b'; 64 * 1024]);
        chunked.extend_from_slice(b"\r\n");
    }
    chunked.extend_from_slice(b"0\r\n\r\n");
    assert_eq!(send_raw(a, &chunked).status, 413);
    assert_eq!(get("/").status, 200, "still serving");
}

#[test]
fn absurd_declared_lengths_do_not_take_the_server_down() {
    let a = addr();
    for len in [
        "100000000000",
        "18446744073709551615",
        "99999999999999999999999",
        "-1",
        "x",
    ] {
        let mut s = TcpStream::connect(a).expect("connects");
        let raw = format!(
            "POST /api/check HTTP/1.1\r\nHost: {a}\r\nContent-Type: text/plain\r\nContent-Length: {len}\r\n\r\nabc"
        );
        s.write_all(raw.as_bytes()).unwrap();
        s.set_read_timeout(Some(Duration::from_millis(500)))
            .unwrap();
        let mut buf = [0u8; 64];
        let _ = s.read(&mut buf); // an answer or none: either is fine
    }
    assert_eq!(get("/api/rules").status, 200, "still serving");
}

/// (path, content type, body, status, part of the error).
type Case<'a> = (&'a str, &'a str, &'a [u8], u16, &'a str);

#[test]
fn bad_input_gets_400_with_a_reason() {
    let cases: [Case; 8] = [
        (
            "/api/check",
            "text/plain",
            b"\x7fELF\x02\x01\x01\0\0\0binary",
            400,
            "binary",
        ),
        (
            "/api/check?format=rtf",
            "text/plain",
            b"## Duties\n- Drive clients",
            400,
            "unknown format `rtf`",
        ),
        (
            "/api/check?filename=job.docx",
            "text/plain",
            b"text",
            400,
            "not supported yet",
        ),
        (
            "/api/check?filename=job.html",
            "text/plain",
            b"<p>text</p>",
            400,
            "not supported yet",
        ),
        ("/api/check", "text/markdown", b"\n \n", 400, "empty"),
        (
            "/api/check",
            "multipart/form-data; boundary=zzz",
            b"--zzz\r\nbroken",
            400,
            "multipart",
        ),
        (
            "/api/check",
            "multipart/form-data; boundary=zzz",
            b"--zzz\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\nx\r\n--zzz--\r\n",
            400,
            "`file` field",
        ),
        (
            "/api/check",
            "application/json",
            b"{\"text\": \"x\"}",
            415,
            "application/json",
        ),
    ];
    for (path, ct, body, status, why) in cases {
        let r = post(path, ct, body);
        assert_eq!(
            r.status,
            status,
            "{path} {ct}: {}",
            String::from_utf8_lossy(&r.body)
        );
        assert!(r.error().contains(why), "{path}: {}", r.error());
    }
}

#[test]
fn invalid_utf8_is_decoded_like_files_are() {
    let r = post(
        "/api/check",
        "text/markdown",
        b"## Qualifications\n- Bachelor's degree in social work \xFF\xFE required\n",
    );
    assert_eq!(r.status, 200);
    let doc = r.json();
    assert_eq!(
        doc["files"][0]["notes"][0],
        "invalid UTF-8 replaced with U+FFFD"
    );
    assert_eq!(doc["files"][0]["path"], "-");
    assert!(doc["summary"]["findings"].as_u64().unwrap() >= 1);
}

#[test]
fn unknown_paths_and_wrong_methods() {
    let r = get("/nope");
    assert_eq!(r.status, 404);
    assert!(r.error().contains("/nope"));
    for (method, path, allow) in [
        ("GET", "/api/check", "POST"),
        ("PUT", "/", "GET, HEAD"),
        ("DELETE", "/api/rules", "GET, HEAD"),
        ("POST", "/app.js", "GET, HEAD"),
    ] {
        let r = request(method, path, &[], b"");
        assert_eq!(r.status, 405, "{method} {path}");
        assert_eq!(r.header("Allow"), Some(allow), "{method} {path}");
        assert!(r.error().contains("not allowed"));
    }
}

#[test]
fn other_hosts_are_refused() {
    let a = addr();
    let raw = format!(
        "GET / HTTP/1.1\r\nHost: attacker.example:{}\r\nConnection: close\r\n\r\n",
        a.port()
    );
    let r = send_raw(a, raw.as_bytes());
    assert_eq!(r.status, 403);
    let raw = format!(
        "GET / HTTP/1.1\r\nHost: localhost:{}\r\nConnection: close\r\n\r\n",
        a.port()
    );
    assert_eq!(send_raw(a, raw.as_bytes()).status, 200);
}

#[test]
fn garbage_does_not_stop_the_server() {
    let a = addr();
    for raw in [
        &b"\x00\x01\x02 garbage\r\n\r\n"[..],
        b"GET\r\n\r\n",
        b"POST /api/check HTTP/1.1\r\nHost: x\r\nExpect: 200-ok\r\nContent-Length: 3\r\n\r\nabc",
        b"GET / HTTP/9.9\r\n\r\n",
    ] {
        let mut s = TcpStream::connect(a).expect("connects");
        s.set_read_timeout(Some(Duration::from_millis(500)))
            .unwrap();
        let _ = s.write_all(raw);
        let mut buf = Vec::new();
        let _ = s.read_to_end(&mut buf);
    }
    assert_eq!(get("/").status, 200, "still serving");
}

/// Kills the child server when a test ends, passing or failing.
struct Kill(Child);

impl Drop for Kill {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn the_command_prints_its_address_and_takes_max_body() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_driftlint"))
        .args(["serve", "--port", "0", "--max-body", "1KiB"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawns");
    let stderr = child.stderr.take().expect("stderr");
    let child = Kill(child);
    let mut line = String::new();
    BufReader::new(stderr).read_line(&mut line).expect("reads");
    let rest = line
        .strip_prefix("driftlint: serving on http://127.0.0.1:")
        .unwrap_or_else(|| panic!("unexpected: {line:?}"));
    let (port, tail) = rest.split_once('/').expect("port");
    assert_eq!(tail.trim_end(), " (Ctrl-C to stop)");
    let a: SocketAddr = format!("127.0.0.1:{port}").parse().expect("address");
    let r = send_raw(a, &build(a, "GET", "/", &[], b""));
    assert_eq!(r.status, 200);
    assert!(String::from_utf8_lossy(&r.body).contains("data-max-body=\"1024\""));
    let r = send_raw(
        a,
        &build(
            a,
            "POST",
            "/api/check",
            &[("Content-Type", "text/plain")],
            &[b'x'; 2000],
        ),
    );
    assert_eq!(r.status, 413);
    assert!(r.error().contains("1 KiB limit"));
    drop(child);
}

#[test]
fn a_busy_port_is_a_clear_error() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("binds");
    let port = taken.local_addr().unwrap().port();
    let out = Command::new(env!("CARGO_BIN_EXE_driftlint"))
        .args(["serve", "--port", &port.to_string()])
        .stdin(Stdio::null())
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("cannot listen on 127.0.0.1:{port}")),
        "{err}"
    );
    assert!(err.contains("--port 0"), "{err}");
}
