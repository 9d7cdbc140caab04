//! Finding and reading postings: walking folders, reading files and stdin,
//! decoding text. Every problem is reported with the path and the reason;
//! nothing here stops the other files from being read.
//!
//! # Other formats become Markdown
//!
//! Markdown and plain text are linted as they are. Every other format is
//! first turned into *extracted text*, a small Markdown document, which is
//! then linted as Markdown so headings still open sections:
//!
//! | format | read by | becomes |
//! |---|---|---|
//! | `.html`, `.htm` | [`html`] (html5ever via `scraper`) | `h1`-`h6` -> `# Heading` .. `###### Heading`; `li` -> `- item`; `p`, `div`, `td`/`th`, `dt`/`dd` and text between blocks -> paragraphs; `<br>` ends a block |
//! | `.docx` | [`docx`] (`zip` + `quick-xml`) | paragraph style Title, Heading 1-6 -> headings; numbered or bulleted paragraphs (`w:numPr`, List styles) -> `- item`; table cells -> paragraphs |
//! | `.jsonl`, `.csv` | [`dump`] | one posting per record (see [`expand`]); its text field is read as HTML when it holds HTML tags, as Markdown when it has Markdown headings or bold, else as plain text |
//!
//! Blocks are separated by a blank line and each stays on one line. Text that
//! Markdown would read as markup (a leading `#`, `-`, `>` or `1.`; `<`, `[`
//! and backticks anywhere) is backslash-escaped, so a listing cannot hide its
//! own text or turn off rules with a `driftlint-disable` comment.
//!
//! A finding's line, column and byte span refer to the extracted text (which
//! JSON output and `--format human` snippets show), not to the original
//! file. For HTML and DOCX, [`Source::elements`] maps each extracted block
//! back to the element it came from (a CSS selector such as
//! `body > main > ul > li:nth-child(3)`, or a WordprocessingML path such as
//! `w:body/w:tbl[1]/w:tr[2]/w:tc[1]/w:p[1]`), and findings carry it as
//! `element`.

pub mod docx;
pub mod dump;
pub mod html;

use std::io::Read;
use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::document::Format;

pub use dump::{DumpOptions, Record, expand};

/// File extensions read when `check` walks a folder.
pub const DEFAULT_EXTENSIONS: &[&str] = &["md", "markdown", "txt"];

/// File extensions read when `audit` walks a folder: postings as Markdown,
/// text, HTML or Word documents, and listing dumps.
pub const AUDIT_EXTENSIONS: &[&str] = &[
    "md", "markdown", "txt", "html", "htm", "docx", "jsonl", "csv",
];

/// Default `--max-file-size`: 100 MiB.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 100 * 1024 * 1024;

/// A posting's text, ready to lint.
#[derive(Debug, Clone)]
pub struct Source {
    /// The path as shown to people (`-` or `--stdin-filename` for stdin).
    pub path: String,
    pub text: String,
    pub format: Format,
    /// Things worth knowing that did not stop the file being linted
    /// (invalid UTF-8 replaced, a byte order mark removed).
    pub notes: Vec<String>,
    /// Fields of the listing, such as `("employer", "Acme Health")`: the
    /// columns `--meta-field` chose from a dump, or what an HTML page's
    /// schema.org JobPosting data says.
    pub meta: Vec<(String, String)>,
    /// For text extracted from HTML or DOCX: which element each block of
    /// [`Source::text`] came from, in text order (ranges do not overlap).
    pub elements: Vec<(Range<usize>, String)>,
}

impl Source {
    /// The element the byte `at` of the extracted text came from.
    pub fn element_at(&self, at: usize) -> Option<&str> {
        let i = self.elements.partition_point(|(r, _)| r.end <= at);
        self.elements
            .get(i)
            .filter(|(r, _)| r.start <= at)
            .map(|(_, e)| e.as_str())
    }

    fn extracted(path: String, x: Extracted, notes: Vec<String>) -> Source {
        Source {
            path,
            text: x.text,
            format: Format::Markdown,
            notes,
            meta: x.meta,
            elements: x.elements,
        }
    }
}

/// Text extracted from another format, as Markdown (see the module docs).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Extracted {
    pub text: String,
    /// (byte range in `text`, element it came from), in text order.
    pub elements: Vec<(Range<usize>, String)>,
    pub meta: Vec<(String, String)>,
}

/// How a block of extracted text is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BlockStyle {
    Heading(u8),
    Item,
    Paragraph,
    /// A paragraph whose text is all bold (a candidate heading).
    Bold,
}

impl Extracted {
    /// Appends one block: whitespace collapsed to single spaces, Markdown
    /// syntax escaped, a blank line before it. Empty blocks are dropped.
    pub(crate) fn push_block(&mut self, style: BlockStyle, text: &str, element: &str) {
        let mut words = text.split_whitespace().peekable();
        if words.peek().is_none() {
            return;
        }
        let line = words.collect::<Vec<_>>().join(" ");
        if !self.text.is_empty() {
            self.text.push_str("\n\n");
        }
        let start = self.text.len();
        match style {
            BlockStyle::Heading(n) => {
                self.text.push_str(&"#".repeat(n.clamp(1, 6) as usize));
                self.text.push(' ');
                escape_markdown(&line, &mut self.text);
            }
            BlockStyle::Item => {
                self.text.push_str("- ");
                escape_markdown(&line, &mut self.text);
            }
            BlockStyle::Paragraph => escape_markdown(&line, &mut self.text),
            BlockStyle::Bold => {
                self.text.push_str("**");
                escape_markdown(&line, &mut self.text);
                self.text.push_str("**");
            }
        }
        self.elements
            .push((start..self.text.len(), element.to_string()));
    }
}

/// Writes `line` so that Markdown reads it as the same words: markup that
/// would start a block (heading, list, quote, front matter) or hide text
/// (HTML, code spans, images, link reference definitions) is
/// backslash-escaped.
pub(crate) fn escape_markdown(line: &str, out: &mut String) {
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    let mut chars = line.char_indices().peekable();
    if let Some(&(_, c)) = chars.peek()
        && matches!(c, '#' | '>' | '-' | '+' | '*' | '=' | '|' | '~')
    {
        out.push('\\');
    }
    for (i, c) in chars {
        match c {
            '<' | '`' | '[' | '\\' => out.push('\\'),
            '.' | ')' if digits > 0 && i == digits => out.push('\\'),
            _ => {}
        }
        out.push(c);
    }
}

/// How a file is read, by its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Text,
    Html,
    Docx,
    Dump,
}

impl Kind {
    fn of(path: &str) -> Kind {
        let ext = Path::new(path)
            .extension()
            .and_then(|x| x.to_str())
            .unwrap_or("");
        let is = |names: &[&str]| names.iter().any(|n| ext.eq_ignore_ascii_case(n));
        if is(&["html", "htm", "xhtml"]) {
            Kind::Html
        } else if is(&["docx"]) {
            Kind::Docx
        } else if is(&["jsonl", "ndjson", "csv"]) {
            Kind::Dump
        } else {
            Kind::Text
        }
    }
}

/// Something to read: a file found on disk, or an error met while walking.
#[derive(Debug, Clone)]
pub enum Input {
    File(PathBuf),
    Stdin,
    /// A path that could not be walked, or a dump record that could not be
    /// read, with the reason.
    Error(String, String),
    /// One posting of a listing dump, already read (see [`expand`]).
    Record(Box<Record>),
}

impl Input {
    pub fn display(&self, stdin_name: Option<&str>) -> String {
        match self {
            Input::File(p) => display_path(p),
            Input::Stdin => stdin_name.unwrap_or("-").to_string(),
            Input::Error(p, _) => p.clone(),
            Input::Record(r) => r.path.clone(),
        }
    }
}

/// A path as people expect to see it: relative to the working directory
/// where it lies below it, without a leading `./`.
pub fn display_path(p: &Path) -> String {
    // Only an absolute path can lie below the working directory; asking
    // for it is a system call, made twice per file in a bulk audit.
    let rel = p
        .is_absolute()
        .then(std::env::current_dir)
        .and_then(Result::ok)
        .and_then(|cwd| p.strip_prefix(cwd).ok());
    let s = rel.unwrap_or(p).display().to_string();
    s.strip_prefix("./").map(str::to_string).unwrap_or(s)
}

fn is_hidden(entry: &walkdir::DirEntry) -> bool {
    entry.depth() > 0
        && entry
            .file_name()
            .to_str()
            .is_some_and(|n| n.starts_with('.'))
}

/// Expands the command line's paths into inputs, in a stable order: paths in
/// the order given, folder contents sorted by name, hidden entries skipped.
pub fn collect(paths: &[PathBuf], extensions: &[&str]) -> Vec<Input> {
    let mut out = Vec::new();
    for p in paths {
        if p.as_os_str() == "-" {
            out.push(Input::Stdin);
            continue;
        }
        let meta = match std::fs::metadata(p) {
            Ok(m) => m,
            Err(e) => {
                out.push(Input::Error(display_path(p), io_reason(&e)));
                continue;
            }
        };
        if !meta.is_dir() {
            // A file named on the command line is read whatever its extension.
            out.push(Input::File(p.clone()));
            continue;
        }
        let walker = walkdir::WalkDir::new(p)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| !is_hidden(e));
        for entry in walker {
            match entry {
                Ok(e) if !e.file_type().is_dir() => {
                    let ext = e.path().extension().and_then(|x| x.to_str()).unwrap_or("");
                    if !extensions.iter().any(|x| x.eq_ignore_ascii_case(ext)) {
                        continue;
                    }
                    if e.file_type().is_file() {
                        out.push(Input::File(e.into_path()));
                    } else {
                        // Reading a named pipe would wait for a writer forever.
                        out.push(Input::Error(
                            display_path(e.path()),
                            "not a regular file (a named pipe, socket or device); skipped".into(),
                        ));
                    }
                }
                Ok(_) => {}
                Err(e) => {
                    let path = e.path().map_or_else(|| display_path(p), display_path);
                    let reason = if e.loop_ancestor().is_some() {
                        "symbolic link loop".to_string()
                    } else if let Some(io) = e.io_error() {
                        io_reason(io)
                    } else {
                        e.to_string()
                    };
                    out.push(Input::Error(path, reason));
                }
            }
        }
    }
    out
}

/// A short reason for an I/O error, without the OS error number.
pub fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => {
            let s = e.to_string();
            match s.find(" (os error") {
                Some(i) => s[..i].to_string(),
                None => s,
            }
        }
    }
}

/// Reads one input. `stdin_name` names stdin for format detection and display.
/// HTML and DOCX files are extracted to Markdown (see the module docs); a
/// listing dump must go through [`expand`] first.
pub fn read(input: &Input, stdin_name: Option<&str>, max_size: u64) -> Result<Source, String> {
    let (path, bytes) = match input {
        Input::Error(_, reason) => return Err(reason.clone()),
        Input::Record(r) => return dump::read_record(r, max_size),
        Input::Stdin => {
            let mut buf = Vec::new();
            std::io::stdin()
                .take(max_size.saturating_add(1))
                .read_to_end(&mut buf)
                .map_err(|e| format!("cannot read standard input: {}", io_reason(&e)))?;
            if buf.len() as u64 > max_size {
                return Err(format!(
                    "larger than the {max_size}-byte limit (--max-file-size)"
                ));
            }
            (stdin_name.unwrap_or("-").to_string(), buf)
        }
        Input::File(p) => {
            // Opened first, then asked for its size: one path lookup, not two.
            let file = std::fs::File::open(p).map_err(|e| io_reason(&e))?;
            let meta = file.metadata().map_err(|e| io_reason(&e))?;
            if meta.len() > max_size {
                return Err(format!(
                    "file is {} bytes, larger than the {max_size}-byte limit (--max-file-size)",
                    meta.len()
                ));
            }
            // Read no more than the limit allows, whatever the size said: a
            // device such as /dev/zero, or a file still growing, reports a
            // size that is not what it will give.
            // Sized from the metadata (+1 to see the end without growing).
            let mut bytes = Vec::with_capacity(meta.len().min(max_size) as usize + 1);
            file.take(max_size.saturating_add(1))
                .read_to_end(&mut bytes)
                .map_err(|e| io_reason(&e))?;
            if bytes.len() as u64 > max_size {
                return Err(format!(
                    "larger than the {max_size}-byte limit (--max-file-size)"
                ));
            }
            (display_path(p), bytes)
        }
    };
    match Kind::of(&path) {
        Kind::Text => {
            let (text, notes) = decode(bytes)?;
            Ok(Source {
                format: Format::from_path(&path),
                path,
                text,
                notes,
                meta: Vec::new(),
                elements: Vec::new(),
            })
        }
        Kind::Html => {
            let (text, notes) = decode(bytes)?;
            Ok(Source::extracted(path, html::extract(&text), notes))
        }
        Kind::Docx => Ok(Source::extracted(
            path,
            docx::extract(&bytes, max_size)?,
            Vec::new(),
        )),
        Kind::Dump => Err(
            "a listing dump holds many postings: it is read from a file, not standard input".into(),
        ),
    }
}

/// Decodes file bytes: UTF-8 (with or without a byte order mark), UTF-16 with
/// a byte order mark, or UTF-8 with invalid bytes replaced (noted). Binary
/// files are refused.
pub fn decode(bytes: Vec<u8>) -> Result<(String, Vec<String>), String> {
    let mut notes = Vec::new();
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return match String::from_utf8(rest.to_vec()) {
            Ok(s) => Ok((s, notes)),
            Err(e) => {
                notes.push("invalid UTF-8 replaced with U+FFFD".into());
                Ok((String::from_utf8_lossy(e.as_bytes()).into_owned(), notes))
            }
        };
    }
    let utf16 = |body: &[u8], le: bool| -> String {
        let units = body.chunks(2).map(|c| {
            let pair = [c[0], *c.get(1).unwrap_or(&0)];
            if le {
                u16::from_le_bytes(pair)
            } else {
                u16::from_be_bytes(pair)
            }
        });
        char::decode_utf16(units)
            .map(|r| r.unwrap_or(char::REPLACEMENT_CHARACTER))
            .collect()
    };
    if let Some(body) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return Ok((utf16(body, true), notes));
    }
    if let Some(body) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return Ok((utf16(body, false), notes));
    }
    if looks_binary(&bytes) {
        return Err("binary file (not a text posting); skipped".into());
    }
    match String::from_utf8(bytes) {
        Ok(s) => Ok((s, notes)),
        Err(e) => {
            notes.push("invalid UTF-8 replaced with U+FFFD".into());
            Ok((String::from_utf8_lossy(e.as_bytes()).into_owned(), notes))
        }
    }
}

/// A NUL byte in the first 8 KiB marks a binary file, as git and ripgrep judge.
fn looks_binary(bytes: &[u8]) -> bool {
    bytes[..bytes.len().min(8192)].contains(&0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_by_extension_in_any_case() {
        assert_eq!(Kind::of("a.HTML"), Kind::Html);
        assert_eq!(Kind::of("a.htm"), Kind::Html);
        assert_eq!(Kind::of("a.Docx"), Kind::Docx);
        assert_eq!(Kind::of("dump.JSONL"), Kind::Dump);
        assert_eq!(Kind::of("dump.csv"), Kind::Dump);
        assert_eq!(Kind::of("a.md"), Kind::Text);
        assert_eq!(Kind::of("html"), Kind::Text);
        assert_eq!(Kind::of("-"), Kind::Text);
    }

    #[test]
    fn paths_are_shown_relative_to_the_working_directory() {
        let cwd = std::env::current_dir().unwrap();
        assert_eq!(
            display_path(&cwd.join("fixtures").join("a.md")),
            Path::new("fixtures").join("a.md").display().to_string()
        );
        assert_eq!(display_path(Path::new("./fixtures/a.md")), "fixtures/a.md");
        assert_eq!(display_path(Path::new("postings/b.txt")), "postings/b.txt");
        let elsewhere = Path::new("/nonexistent-driftlint-dir/c.md");
        assert_eq!(display_path(elsewhere), "/nonexistent-driftlint-dir/c.md");
    }

    #[test]
    fn decodes_boms_and_utf16() {
        assert_eq!(decode(b"\xEF\xBB\xBFhi".to_vec()).unwrap().0, "hi");
        assert_eq!(decode(b"\xFF\xFEh\0i\0".to_vec()).unwrap().0, "hi");
        assert_eq!(decode(b"\xFE\xFF\0h\0i".to_vec()).unwrap().0, "hi");
    }

    #[test]
    fn invalid_utf8_is_replaced_with_a_note() {
        let (text, notes) = decode(b"degree \xFF required".to_vec()).unwrap();
        assert_eq!(text, "degree \u{FFFD} required");
        assert_eq!(notes.len(), 1);
    }

    #[test]
    fn binary_is_refused() {
        assert!(
            decode(b"\x7fELF\0\0\x01".to_vec())
                .unwrap_err()
                .contains("binary")
        );
    }
}
