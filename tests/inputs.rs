//! Other input formats and the audit outputs: HTML pages, Word documents,
//! JSON Lines and CSV listing dumps (each record a posting, malformed ones
//! reported by line), the CSV report, meta fields in JSON Lines, and the
//! HTML report, which must never let listing text through unescaped.

mod common;

use std::io::Write;
use std::path::Path;
use std::process::{Output, Stdio};
use std::sync::LazyLock;

use driftlint::Linter;
use driftlint::check::{ReadOptions, check_all};
use driftlint::document::Strength;
use driftlint::report::{FileReport, HtmlReport, Reporter, Summary, escape_html};
use driftlint::source::{self, DumpOptions, Input};

use common::{bin, stderr, stdout, tempdir, write};

static LINTER: LazyLock<Linter> = LazyLock::new(|| Linter::builtin().expect("built-in rules"));

/// Lints inputs through the library, as `check` does, and keeps the reports.
fn reports(inputs: Vec<Input>) -> Vec<FileReport> {
    struct Keep(Vec<FileReport>);
    impl Reporter for Keep {
        fn file(&mut self, _: &mut dyn Write, r: &FileReport) -> std::io::Result<()> {
            self.0.push(r.clone());
            Ok(())
        }
        fn finish(&mut self, _: &mut dyn Write, _: &Summary) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut keep = Keep(Vec::new());
    check_all(
        &LINTER,
        &inputs,
        &ReadOptions::default(),
        &mut keep,
        &mut Vec::new(),
        |_| {},
    )
    .expect("runs");
    keep.0
}

fn run(args: &[&str], dir: &Path) -> Output {
    bin()
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .expect("runs")
}

const PAGE: &str = r#"<!DOCTYPE html><html><head><title>Police check jobs</title>
<script>var x = "a police check is required";</script><style>li { color: red }</style></head>
<body><header><nav><ul><li>Jobs requiring a criminal record check</li></ul></nav></header>
<main><h1>Peer Support Worker</h1>
<h2>About us</h2><p>Our nurses administer medication.</p>
<h2>Requirements</h2>
<ul><li>Lived experience of mental health challenges</li><li>Police check</li></ul>
<noscript>Enable JavaScript for the criminal record check form</noscript>
</main><footer>Bachelor's degree in social work jobs near you</footer></body></html>"#;

#[test]
fn html_sections_work_and_navigation_and_scripts_are_ignored() {
    let dir = tempdir("html");
    let page = write(&dir, "posting.html", PAGE.as_bytes());
    let src = source::read(&Input::File(page.clone()), None, u64::MAX).expect("reads");
    assert_eq!(
        src.text,
        "# Peer Support Worker\n\n## About us\n\nOur nurses administer medication.\n\n## Requirements\n\n\
         - Lived experience of mental health challenges\n\n- Police check"
    );
    let r = &reports(vec![Input::File(page)])[0];
    assert_eq!(r.findings.len(), 1, "{:#?}", r.findings);
    let f = &r.findings[0];
    assert_eq!(f.rule, "DL201");
    assert_eq!(f.strength, Strength::Required);
    assert_eq!(f.matched, "Police check");
    assert_eq!(
        f.element.as_deref(),
        Some("body > main:nth-child(2) > ul:nth-child(5) > li:nth-child(2)")
    );
    // The element shows in JSON; findings from Markdown have no such field.
    let json = serde_json::to_value(f).expect("serialises");
    assert!(json["element"].is_string());
    let md = LINTER.check(
        "## Requirements\n- Police check\n",
        driftlint::document::Format::Markdown,
    );
    assert!(
        serde_json::to_value(&md[0])
            .unwrap()
            .get("element")
            .is_none()
    );
}

/// A minimal .docx: the parts Word needs, with `document` as the body.
fn docx(body: &str) -> Vec<u8> {
    use zip::write::SimpleFileOptions;
    let mut buf = std::io::Cursor::new(Vec::new());
    let mut z = zip::ZipWriter::new(&mut buf);
    let opts = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let parts = [
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#.to_string(),
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#.to_string(),
        ),
        (
            "word/styles.xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:style w:type="paragraph" w:styleId="Titel"><w:name w:val="Title"/></w:style><w:style w:type="paragraph" w:styleId="berschrift2"><w:name w:val="heading 2"/></w:style></w:styles>"#.to_string(),
        ),
        (
            "word/document.xml",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#
            ),
        ),
    ];
    for (name, text) in parts {
        z.start_file(name, opts).expect("zip entry");
        z.write_all(text.as_bytes()).expect("zip write");
    }
    z.finish().expect("zip finish");
    buf.into_inner()
}

fn para(style: Option<&str>, numbered: bool, text: &str) -> String {
    let mut ppr = String::new();
    if let Some(s) = style {
        ppr.push_str(&format!(r#"<w:pStyle w:val="{s}"/>"#));
    }
    if numbered {
        ppr.push_str(r#"<w:numPr><w:ilvl w:val="0"/><w:numId w:val="3"/></w:numPr>"#);
    }
    format!(r#"<w:p><w:pPr>{ppr}</w:pPr><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>"#)
}

#[test]
fn docx_headings_lists_and_tables() {
    let dir = tempdir("docx");
    let body = [
        para(Some("Titel"), false, "Peer Support Worker"),
        para(Some("berschrift2"), false, "Responsibilities"),
        para(None, true, "Clean the kitchen &amp; lounge"),
        para(Some("Heading2"), false, "Requirements"),
        para(Some("ListBullet"), false, "Lived experience of recovery"),
        para(None, true, "Criminal record check"),
        r#"<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Reports to</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>Clinical Manager</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"#.to_string(),
    ]
    .concat();
    let path = write(&dir, "posting.docx", docx(&body));
    let src = source::read(&Input::File(path.clone()), None, u64::MAX).expect("reads");
    assert_eq!(
        src.text,
        "# Peer Support Worker\n\n## Responsibilities\n\n- Clean the kitchen & lounge\n\n## Requirements\n\n\
         - Lived experience of recovery\n\n- Criminal record check\n\nReports to\n\nClinical Manager"
    );
    let r = &reports(vec![Input::File(path)])[0];
    let rules: Vec<&str> = r.findings.iter().map(|f| f.rule.as_str()).collect();
    assert!(rules.contains(&"DL601"), "{rules:?}");
    let police = r
        .findings
        .iter()
        .find(|f| f.rule == "DL201")
        .expect("DL201");
    assert_eq!(police.strength, Strength::Required);
    assert_eq!(police.element.as_deref(), Some("w:body/w:p[6]"));

    // Not a zip, and a zip that is not a Word document, are reported.
    let bad = write(&dir, "bad.docx", b"PK\x03\x04 not really");
    let err = source::read(&Input::File(bad), None, u64::MAX).unwrap_err();
    assert!(err.contains(".docx"), "{err}");
}

const DUMP: &str = concat!(
    r#"{"id": "A-1", "employer": "Acme Health", "region": "ON", "description": "<h2>Requirements</h2><ul><li>Police check</li></ul>"}"#,
    "\n",
    r###"{"id": 2, "employer": "Acme Health", "region": "ON", "text": "## Duties\n\n- Clean the kitchen\n"}"###,
    "\n\n",
    r#"{"id": "A-3", "employer": "#,
    "\n",
    r#"{"employer": "Peer Place", "region": "BC", "body": "Lived experience of mental health challenges. Peer support worker."}"#,
    "\n",
    r#"{"id": "A-5", "employer": "Peer Place", "title": "no text here"}"#,
    "\n",
    r#"{"id": "A-6", "org": {"name": "Nested Org"}, "description": "QUALIFICATIONS\nBachelor's degree in social work required\n"}"#,
    "\n",
);

#[test]
fn jsonl_records_are_postings_with_ids_meta_and_line_numbers() {
    let dir = tempdir("jsonl");
    let dump = write(&dir, "dump.jsonl", DUMP.as_bytes());
    let opts = DumpOptions {
        meta_fields: vec!["employer".into(), "region".into()],
        ..DumpOptions::default()
    };
    let inputs: Vec<Input> = source::expand(vec![Input::File(dump.clone())], &opts).collect();
    let shown: Vec<String> = inputs.iter().map(|i| i.display(None)).collect();
    let base = source::display_path(&dump);
    assert_eq!(
        shown,
        [
            format!("{base}#A-1"),
            format!("{base}#2"),
            format!("{base}:4"),
            format!("{base}:5"),
            format!("{base}:6"),
            format!("{base}#A-6"),
        ]
    );
    assert!(matches!(&inputs[2], Input::Error(_, e) if e.contains("malformed JSON")));
    assert!(matches!(&inputs[4], Input::Error(_, e) if e.contains("no text field")));

    let reports = reports(vec![Input::File(dump)]);
    assert_eq!(reports.len(), 6);
    assert_eq!(reports[0].findings[0].rule, "DL201");
    assert_eq!(
        reports[0].findings[0].element.as_deref(),
        Some("body > ul:nth-child(2) > li")
    );
    assert_eq!(reports[1].findings[0].rule, "DL601");
    assert!(reports[3].findings.is_empty(), "{:#?}", reports[3].findings);
    // Plain text: a heading in capitals still opens the qualifications section.
    assert_eq!(reports[5].findings[0].category, "credential");
    assert_eq!(reports[5].findings[0].strength, Strength::Required);
}

#[test]
fn audit_jsonl_output_carries_meta_and_reports_bad_records() {
    let dir = tempdir("audit-jsonl");
    write(&dir, "dump.jsonl", DUMP.as_bytes());
    let o = run(
        &[
            "audit",
            "dump.jsonl",
            "--format",
            "jsonl",
            "--meta-field",
            "employer,region,org.name",
        ],
        &dir,
    );
    assert_eq!(
        o.status.code(),
        Some(2),
        "a bad record makes the run exit 2"
    );
    let err = stderr(&o);
    assert!(err.contains("dump.jsonl:4: malformed JSON record"), "{err}");
    assert!(
        err.contains("dump.jsonl:6: malformed record: no text field"),
        "{err}"
    );
    let lines: Vec<serde_json::Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect();
    let first = &lines[0];
    assert_eq!(first["path"], "dump.jsonl#A-1");
    assert_eq!(first["rule"], "DL201");
    assert_eq!(first["meta"]["employer"], "Acme Health");
    assert_eq!(first["meta"]["region"], "ON");
    assert_eq!(first["meta"]["org.name"], "");
    assert_eq!(first["element"], "body > ul:nth-child(2) > li");
    let nested = lines
        .iter()
        .find(|l| l["path"] == "dump.jsonl#A-6")
        .expect("A-6");
    assert_eq!(nested["meta"]["org.name"], "Nested Org");
    assert!(
        lines
            .iter()
            .any(|l| l["path"] == "dump.jsonl:4" && l["error"].is_string())
    );

    // Statistics count postings per employer.
    let o = run(
        &[
            "audit",
            "dump.jsonl",
            "--statistics",
            "--meta-field",
            "employer",
        ],
        &dir,
    );
    let stats: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    let acme = stats["meta"]["employer"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["value"] == "Acme Health")
        .expect("Acme")
        .clone();
    assert_eq!(acme["postings"], 2);
    assert_eq!(acme["postings_with_findings"], 2);
}

const CSV_DUMP: &str = "id,employer,region,description\n\
    C-1,Acme Health,ON,\"Requirements:\n- Criminal record check required\"\n\
    C-2,Acme Health,ON,too,many,fields\n\
    C-3,\"=HYPERLINK(\"\"http://x\"\")\",BC,Lived experience of mental health challenges is what we ask of a peer support worker.\n";

#[test]
fn audit_csv_has_one_row_per_posting_with_fixed_columns() {
    let dir = tempdir("audit-csv");
    write(&dir, "dump.csv", CSV_DUMP.as_bytes());
    let o = run(
        &["audit", "dump.csv", "--meta-field", "employer,region"],
        &dir,
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("dump.csv:4: malformed CSV record: 6 fields where the header has 4"),
        "{}",
        stderr(&o)
    );
    let out = stdout(&o);
    let mut rows = csv::Reader::from_reader(out.as_bytes());
    let header: Vec<String> = rows.headers().unwrap().iter().map(String::from).collect();
    let mut expected = vec!["path", "employer", "region"];
    expected.extend(driftlint::rules::CATEGORIES);
    expected.extend(["findings", "highest_severity", "error"]);
    assert_eq!(header, expected);
    let rows: Vec<csv::StringRecord> = rows.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 3);
    assert_eq!(&rows[0][0], "dump.csv#C-1");
    assert_eq!(&rows[0][1], "Acme Health");
    assert_eq!(&rows[0][4], "1", "one police-check finding");
    assert_eq!(&rows[0][13], "error");
    assert_eq!(&rows[1][0], "dump.csv:4");
    assert!(rows[1][14].contains("malformed"));
    assert_eq!(&rows[2][0], "dump.csv#C-3");
    assert_eq!(
        &rows[2][1], "'=HYPERLINK(\"http://x\")",
        "formulas are defused"
    );
    assert_eq!(&rows[2][12], "0");

    // A missing text column is one error for the whole dump.
    write(&dir, "notext.csv", b"id,title\n1,Peer worker\n");
    let o = run(&["audit", "notext.csv"], &dir);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("notext.csv: no text field"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn check_walks_only_text_but_reads_named_files_by_extension() {
    let dir = tempdir("walk");
    write(&dir, "a.md", b"## Requirements\n- Police check\n");
    write(&dir, "b.html", PAGE.as_bytes());
    write(&dir, "c.jsonl", DUMP.as_bytes());
    let o = run(&["check", "--show-files", "."], &dir);
    assert_eq!(stdout(&o), "a.md\n");
    let o = run(&["audit", "--show-files", "."], &dir);
    assert_eq!(stdout(&o), "a.md\nb.html\nc.jsonl\n");
    let o = run(&["check", "--format", "concise", "b.html"], &dir);
    let out = stdout(&o);
    assert!(out.starts_with("b.html:11:3: error DL201"), "{out}");
    assert!(out.contains("Found 1 error"), "{out}");
    let o = run(&["check", "--format", "concise", "c.jsonl"], &dir);
    assert!(stdout(&o).contains("c.jsonl#A-1:"), "{}", stdout(&o));
}

/// Listing text that tries to break out of HTML: tags, quotes, attribute
/// injection, entities and a very long value.
const HOSTILE: &[&str] = &[
    "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(2)>",
    "' onmouseover='alert(3)",
    "</title><svg onload=alert(4)>",
    "&lt;b&gt; &amp;",
];

#[test]
fn html_report_escapes_every_piece_of_listing_text() {
    let dir = tempdir("report");
    let long = "<u>".to_string() + &"A".repeat(50_000);
    let mut dump = String::new();
    for (i, h) in HOSTILE.iter().chain([&long.as_str()]).enumerate() {
        let rec = serde_json::json!({
            "id": format!("{i}{h}"),
            "employer": h,
            "region": h,
            "description": format!("QUALIFICATIONS\n- Police check {h} required\n- Clean the \"{h}\" kitchen\n"),
        });
        dump.push_str(&rec.to_string());
        dump.push('\n');
    }
    dump.push_str("{\"id\": \"<b>broken</b>\", \n");
    write(&dir, "dump.jsonl", dump.as_bytes());
    let o = run(
        &[
            "audit",
            "dump.jsonl",
            "--meta-field",
            "employer,region",
            "--report",
            "report.html",
            "--quiet",
        ],
        &dir,
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let page = std::fs::read_to_string(dir.join("report.html")).expect("report written");
    for h in HOSTILE {
        assert!(!page.contains(h), "unescaped {h:?}");
        assert!(page.contains(&escape_html(h)), "escaped {h:?} missing");
    }
    for bad in ["<script", "<img", "<svg onload", "<u>", "<b>broken"] {
        assert!(!page.contains(bad), "{bad:?} in the report");
    }
    assert!(!page.contains(&"A".repeat(1000)), "long values are cut");
    // Self-contained: nothing is loaded from anywhere.
    for external in [
        "http-equiv=\"refresh\"",
        "<link",
        "<iframe",
        "@import",
        "url(",
    ] {
        assert!(!page.contains(external), "{external:?} in the report");
    }
    assert!(page.contains("Content-Security-Policy"));
    assert!(page.contains("<svg class=\"chart\""));
    assert!(page.contains("href=\"#p-1\""));
    assert!(page.contains("id=\"p-1\""));
}

#[test]
fn html_report_counts_drift_per_category_and_employer() {
    let mut report = HtmlReport::new();
    let mut out = Vec::new();
    let posting = |id: &str, employer: &str, text: &str| {
        let mut r = FileReport {
            path: id.into(),
            meta: vec![("employer".into(), employer.into())],
            ..FileReport::default()
        };
        r.findings = LINTER.check(text, driftlint::document::Format::Markdown);
        r
    };
    let posts = [
        posting(
            "a",
            "Acme",
            "## Requirements\n- Police check required\n- Lived experience\n",
        ),
        posting(
            "b",
            "Acme",
            "## Requirements\n- Lived experience of recovery as a peer support worker\n",
        ),
        posting(
            "c",
            "Peer Place",
            "## Requirements\n- A police check is required\n- Lived experience\n",
        ),
    ];
    let mut summary = Summary::default();
    for p in &posts {
        summary.add(p);
        report.file(&mut out, p).unwrap();
    }
    let page = report.render(&summary);
    assert!(page.contains("67% (2)"), "police checks: 2 of 3 postings");
    assert!(page.contains("50% of 2"), "Acme: 1 of 2 postings");
    assert!(page.contains("<q>police check</q>"));
    assert!(page.contains("Share of each employer&#39;s postings with drift"));
}
