//! HTML postings (job-board and employer pages) to Markdown-like text.
//!
//! The page is parsed with html5ever (through `scraper`), as a browser would,
//! so broken markup still yields the text a reader sees. Then:
//!
//! - Only the content is read: the `<main>` element (or `role="main"`) when
//!   the page has one, else `<body>`.
//! - Dropped with everything inside: `script`, `style`, `noscript`,
//!   `template`, `nav`, `aside`, `svg`, `math`, `iframe`, form controls,
//!   `head`; a page-level `header` or `footer` (one not inside `main` or
//!   `article`); elements that are `hidden`, `aria-hidden="true"`,
//!   `display: none`, or have role `navigation`, `search`, `menu`,
//!   `menubar`, `banner` or `contentinfo`; a `<form>` unless it wraps the
//!   page's content (it holds `main`, `article`, `h1` or `h2`).
//! - `h1`-`h6` become `#`-`######` headings, `li` becomes `- item`, and `p`,
//!   `div`, `td`, `th`, `dd` and text between blocks become paragraphs.
//!   `<br>` and `<hr>` end a block; a line that starts with a bullet
//!   character (`•`, `-`, `*`, `·`, `▪` ...) becomes a list item. Lines of
//!   `<pre>` are blocks of their own.
//! - A short `dt` is joined to its `dd`, and a short `th` to the `td` after
//!   it in the same row, as `Label: value`, so `Reports to: Clinical
//!   Manager` is read as one labelled line.
//! - A paragraph that is all `<strong>`/`<b>` is written in bold, so the
//!   Markdown reader can take a short one as a heading.
//!
//! Each block's element is recorded as a CSS selector from `body`, such as
//! `body > main:nth-child(2) > ul > li:nth-child(3)` (`#id` instead of a
//! position when the element has a plain id), usable with
//! `document.querySelector`.
//!
//! The page's schema.org `JobPosting` data (JSON-LD), when present, gives the
//! meta fields `employer` (`hiringOrganization.name`) and `region`
//! (`jobLocation.address.addressRegion`).

use scraper::{ElementRef, Html, Node, Selector};
use serde_json::Value;

use super::{BlockStyle, Extracted};

/// How many characters a `dt` or `th` may have to be joined to its value.
const LABEL_MAX: usize = 40;
/// How many characters an all-bold paragraph may have to be written as bold.
const BOLD_MAX: usize = 80;

/// Extracts a page's text as Markdown with a side table of elements.
pub fn extract(html: &str) -> Extracted {
    let doc = Html::parse_document(html);
    let mut x = Extractor::default();
    if let Some((root, path)) = content_root(&doc) {
        let in_content = root.value().name() != "body";
        x.stack.push(Open {
            kind: Kind::Para,
            path: path.clone(),
        });
        x.walk(root, &path, in_content);
        x.flush();
    }
    let mut out = x.out;
    out.meta = job_posting_meta(&doc);
    out
}

/// `<main>` (or `[role=main]`) when there is exactly one, else `<body>`,
/// with its selector path.
fn content_root(doc: &Html) -> Option<(ElementRef<'_>, String)> {
    let main = Selector::parse("main, [role=main]").expect("valid selector");
    let mains: Vec<_> = doc.select(&main).collect();
    if let [m] = mains.as_slice()
        && !hidden(m.value())
    {
        return Some((*m, path_of(*m)));
    }
    let body = Selector::parse("body").expect("valid selector");
    doc.select(&body).next().map(|b| (b, "body".to_string()))
}

/// The selector path of an element from `body`.
fn path_of(el: ElementRef<'_>) -> String {
    let mut segs = Vec::new();
    let mut cur = Some(el);
    while let Some(e) = cur {
        let name = e.value().name();
        if name == "html" {
            break;
        }
        if name == "body" {
            segs.push("body".to_string());
            break;
        }
        let parent = e.parent().and_then(ElementRef::wrap);
        let (index, count) = match parent {
            Some(p) => {
                let siblings: Vec<_> = p.child_elements().collect();
                let i = siblings.iter().position(|s| s.id() == e.id()).unwrap_or(0);
                (i + 1, siblings.len())
            }
            None => (1, 1),
        };
        segs.push(segment(e, index, count));
        cur = parent;
    }
    segs.reverse();
    segs.join(" > ")
}

/// One step of a selector path: `li:nth-child(3)`, `div#job`, `main`.
fn segment(el: ElementRef<'_>, index: usize, count: usize) -> String {
    let name = el.value().name();
    match el.value().id() {
        Some(id) if plain_id(id) => format!("{name}#{id}"),
        _ if count > 1 => format!("{name}:nth-child({index})"),
        _ => name.to_string(),
    }
}

/// An id usable in a selector without escaping.
fn plain_id(id: &str) -> bool {
    id.len() <= 64
        && id.starts_with(|c: char| c.is_ascii_alphabetic())
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Para,
    Item,
    Heading(u8),
    /// `dt`, or `th`: a label that may be joined to the next value.
    Label,
    /// `dd`, or `td`: a value that may take the pending label.
    Value,
}

struct Open {
    kind: Kind,
    path: String,
}

#[derive(Default)]
struct Extractor {
    out: Extracted,
    /// Inline text of the block being read.
    buf: String,
    /// Whether text outside bold markup went into `buf`.
    plain: bool,
    /// Whether bold text went into `buf`.
    bolded: bool,
    bold: usize,
    pre: usize,
    stack: Vec<Open>,
    /// A short `dt` or `th` waiting for its value, with its element.
    label: Option<(String, String)>,
}

impl Extractor {
    fn walk(&mut self, el: ElementRef<'_>, path: &str, in_content: bool) {
        let count = el.child_elements().count();
        let mut index = 0;
        for child in el.children() {
            match child.value() {
                Node::Text(t) => self.text(t),
                Node::Element(_) => {
                    index += 1;
                    let Some(c) = ElementRef::wrap(child) else {
                        continue;
                    };
                    self.element(c, path, index, count, in_content);
                }
                _ => {}
            }
        }
    }

    fn element(
        &mut self,
        el: ElementRef<'_>,
        parent: &str,
        index: usize,
        count: usize,
        in_content: bool,
    ) {
        let name = el.value().name();
        if dropped(el, in_content) {
            return;
        }
        let in_content = in_content || matches!(name, "main" | "article");
        match name {
            "br" | "hr" => {
                self.flush();
                return;
            }
            "img" | "input" | "wbr" => return,
            _ => {}
        }
        let path = format!("{parent} > {}", segment(el, index, count));
        if !is_block(name) {
            let bold = matches!(name, "strong" | "b");
            self.bold += usize::from(bold);
            self.walk(el, &path, in_content);
            self.bold -= usize::from(bold);
            return;
        }
        self.flush();
        let inherited = self.stack.last().map_or(Kind::Para, |o| o.kind);
        let kind = match name {
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => Kind::Heading(name.as_bytes()[1] - b'0'),
            "li" => Kind::Item,
            "dt" | "th" => Kind::Label,
            "dd" | "td" => Kind::Value,
            "tr" | "dl" | "table" | "tbody" | "thead" | "tfoot" => {
                self.emit_label();
                Kind::Para
            }
            // A paragraph inside a list item, cell or heading is read as one.
            _ => inherited,
        };
        self.pre += usize::from(name == "pre");
        self.stack.push(Open { kind, path });
        let path = self
            .stack
            .last()
            .map(|o| o.path.clone())
            .unwrap_or_default();
        self.walk(el, &path, in_content);
        self.flush();
        self.stack.pop();
        self.pre -= usize::from(name == "pre");
        if matches!(name, "tr" | "dl" | "table") {
            self.emit_label();
        }
    }

    fn text(&mut self, t: &str) {
        if self.pre > 0 {
            let mut lines = t.split('\n');
            if let Some(first) = lines.next() {
                self.push_inline(first);
            }
            for line in lines {
                self.flush();
                self.push_inline(line);
            }
        } else {
            self.push_inline(t);
        }
    }

    fn push_inline(&mut self, t: &str) {
        if t.trim().is_empty() {
            if !t.is_empty() && !self.buf.is_empty() {
                self.buf.push(' ');
            }
            return;
        }
        if self.bold > 0 {
            self.bolded = true;
        } else {
            self.plain = true;
        }
        self.buf.push_str(t);
    }

    /// Ends the block being read and writes it.
    fn flush(&mut self) {
        let text = std::mem::take(&mut self.buf);
        let all_bold = self.bolded && !self.plain;
        self.plain = false;
        self.bolded = false;
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if text.is_empty() {
            return;
        }
        let (kind, path) = self
            .stack
            .last()
            .map_or((Kind::Para, "body".to_string()), |o| {
                (o.kind, o.path.clone())
            });
        match kind {
            Kind::Label if text.chars().count() <= LABEL_MAX => {
                self.emit_label();
                self.label = Some((text, path));
                return;
            }
            Kind::Value => {
                if let Some((label, _)) = self.label.take() {
                    let label = label.trim_end_matches(':');
                    return self.out.push_block(
                        BlockStyle::Paragraph,
                        &format!("{label}: {text}"),
                        &path,
                    );
                }
            }
            _ => self.emit_label(),
        }
        let style = match kind {
            Kind::Heading(n) => BlockStyle::Heading(n),
            Kind::Item => BlockStyle::Item,
            _ => match strip_bullet(&text) {
                Some(rest) => return self.out.push_block(BlockStyle::Item, rest, &path),
                None if all_bold && text.chars().count() <= BOLD_MAX => BlockStyle::Bold,
                None => BlockStyle::Paragraph,
            },
        };
        self.out.push_block(style, &text, &path);
    }

    /// Writes a pending label that found no value as a paragraph.
    fn emit_label(&mut self) {
        if let Some((label, path)) = self.label.take() {
            self.out.push_block(BlockStyle::Paragraph, &label, &path);
        }
    }
}

/// The rest of a line that starts with a bullet character and a space.
fn strip_bullet(text: &str) -> Option<&str> {
    let mut chars = text.chars();
    let c = chars.next()?;
    let rest = chars.as_str();
    let bullet = matches!(
        c,
        '•' | '·'
            | '-'
            | '*'
            | '–'
            | '—'
            | '▪'
            | '▫'
            | '◦'
            | '○'
            | '●'
            | '■'
            | '□'
            | '➢'
            | '►'
    );
    (bullet && rest.starts_with(' ')).then(|| rest.trim_start())
}

fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "section"
            | "article"
            | "main"
            | "header"
            | "footer"
            | "li"
            | "ul"
            | "ol"
            | "dl"
            | "dt"
            | "dd"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "table"
            | "thead"
            | "tbody"
            | "tfoot"
            | "tr"
            | "td"
            | "th"
            | "caption"
            | "blockquote"
            | "pre"
            | "address"
            | "figure"
            | "figcaption"
            | "details"
            | "summary"
            | "center"
            | "fieldset"
            | "legend"
            | "form"
            | "body"
    )
}

/// Whether an element and everything in it is left out (see the module docs).
fn dropped(el: ElementRef<'_>, in_content: bool) -> bool {
    let e = el.value();
    let name = e.name();
    if matches!(
        name,
        "script"
            | "style"
            | "noscript"
            | "template"
            | "nav"
            | "aside"
            | "svg"
            | "math"
            | "iframe"
            | "object"
            | "embed"
            | "canvas"
            | "button"
            | "select"
            | "textarea"
            | "label"
            | "dialog"
            | "head"
            | "title"
            | "link"
            | "meta"
    ) {
        return true;
    }
    if hidden(e) {
        return true;
    }
    let role = e.attr("role").unwrap_or("").to_ascii_lowercase();
    if matches!(
        role.as_str(),
        "navigation" | "search" | "menu" | "menubar" | "dialog"
    ) {
        return true;
    }
    if !in_content
        && (matches!(name, "header" | "footer")
            || matches!(role.as_str(), "banner" | "contentinfo"))
    {
        return true;
    }
    if name == "form" {
        let content = Selector::parse("main, article, h1, h2").expect("valid selector");
        return el.select(&content).next().is_none();
    }
    false
}

fn hidden(e: &scraper::node::Element) -> bool {
    if e.attr("hidden").is_some() || e.attr("aria-hidden") == Some("true") {
        return true;
    }
    let style: String = e
        .attr("style")
        .unwrap_or("")
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase();
    style.contains("display:none") || style.contains("visibility:hidden")
}

/// `employer` and `region` from the page's schema.org JobPosting JSON-LD.
fn job_posting_meta(doc: &Html) -> Vec<(String, String)> {
    let sel = Selector::parse(r#"script[type="application/ld+json"]"#).expect("valid selector");
    for script in doc.select(&sel) {
        let text: String = script.text().collect();
        let Ok(value) = serde_json::from_str::<Value>(&text) else {
            continue;
        };
        if let Some(posting) = find_job_posting(&value) {
            let mut meta = Vec::new();
            let employer = match &posting["hiringOrganization"] {
                Value::String(s) => Some(s.as_str()),
                o => o["name"].as_str(),
            };
            if let Some(e) = employer.map(str::trim).filter(|s| !s.is_empty()) {
                meta.push(("employer".to_string(), e.to_string()));
            }
            let location = match &posting["jobLocation"] {
                Value::Array(a) => a.first().cloned().unwrap_or(Value::Null),
                v => v.clone(),
            };
            if let Some(r) = location["address"]["addressRegion"]
                .as_str()
                .map(str::trim)
                .filter(|s| !s.is_empty())
            {
                meta.push(("region".to_string(), r.to_string()));
            }
            return meta;
        }
    }
    Vec::new()
}

fn find_job_posting(v: &Value) -> Option<&Value> {
    match v {
        Value::Array(a) => a.iter().find_map(find_job_posting),
        Value::Object(o) => {
            let is_posting = match o.get("@type") {
                Some(Value::String(t)) => t == "JobPosting",
                Some(Value::Array(ts)) => ts.iter().any(|t| t == "JobPosting"),
                _ => false,
            };
            if is_posting {
                Some(v)
            } else {
                o.get("@graph").and_then(find_job_posting)
            }
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_items_and_paths() {
        let x = extract(
            "<html><body><nav><a>Jobs</a></nav><main><h1>Peer Worker</h1>\
             <h2>Requirements</h2><ul><li>Lived experience</li><li>Police check</li>\
             <li>A <b>degree</b> is an asset</li></ul></main><footer>Careers</footer></body></html>",
        );
        assert_eq!(
            x.text,
            "# Peer Worker\n\n## Requirements\n\n- Lived experience\n\n- Police check\n\n- A degree is an asset"
        );
        let police = x.text.find("Police").unwrap();
        let (_, el) = x
            .elements
            .iter()
            .find(|(r, _)| r.contains(&police))
            .unwrap();
        assert_eq!(
            el,
            "body > main:nth-child(2) > ul:nth-child(3) > li:nth-child(2)"
        );
    }

    #[test]
    fn scripts_forms_and_hidden_text_are_dropped() {
        let x = extract(
            "<body><script>var police='check'</script><style>p{}</style>\
             <p hidden>secret</p><div style='display: none'>gone</div>\
             <form><label>Name</label><input name=n><p>Upload your CV</p></form>\
             <p>Kept</p><template><p>nope</p></template></body>",
        );
        assert_eq!(x.text, "Kept");
    }

    #[test]
    fn br_lines_labels_and_bold() {
        let x = extract(
            "<body><p><strong>Qualifications</strong></p><p>Duties:<br>• Clean the kitchen<br>- Drive clients</p>\
             <dl><dt>Reports to</dt><dd>Clinical Manager</dd></dl>\
             <table><tr><th>Salary</th><td>$20</td></tr></table></body>",
        );
        assert_eq!(
            x.text,
            "**Qualifications**\n\nDuties:\n\n- Clean the kitchen\n\n- Drive clients\n\nReports to: Clinical Manager\n\nSalary: $20"
        );
    }

    #[test]
    fn markdown_in_text_is_escaped() {
        let x = extract(
            "<body><p># not a heading</p><p>&lt;!-- driftlint-disable-file --&gt;</p><p>`code` [x]: y</p></body>",
        );
        assert_eq!(
            x.text,
            "\\# not a heading\n\n\\<!-- driftlint-disable-file -->\n\n\\`code\\` \\[x]: y"
        );
    }

    #[test]
    fn job_posting_json_ld_gives_employer_and_region() {
        let x = extract(
            r#"<html><head><script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"JobPosting","title":"Peer","hiringOrganization":{"@type":"Organization","name":"Acme Health"},"jobLocation":{"address":{"addressRegion":"ON"}}}]}</script></head><body><p>Hi</p></body></html>"#,
        );
        assert_eq!(
            x.meta,
            vec![
                ("employer".to_string(), "Acme Health".to_string()),
                ("region".to_string(), "ON".to_string())
            ]
        );
    }
}
