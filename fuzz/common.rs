//! What the fuzz targets run, in one place: the targets in `fuzz_targets/`
//! and `tests/fuzz_seeds.rs` (which replays `corpus/*/` under `cargo test`)
//! both include this file, so a seed exercises exactly the fuzzed code path.
//!
//! Beyond "does not panic", each entry point asserts the invariants every
//! reporter relies on: ranges inside their text, on character boundaries, in
//! order, and line and column numbers that agree with the byte offsets.

#![allow(dead_code)]

use std::sync::OnceLock;

use driftlint::document::{Document, Format};
use driftlint::{Finding, Linter};

/// The built-in rules, compiled once per process.
pub fn linter() -> &'static Linter {
    static LINTER: OnceLock<Linter> = OnceLock::new();
    LINTER.get_or_init(|| Linter::builtin().expect("built-in rules load"))
}

/// `document_markdown` and `document_plain`: parse arbitrary bytes, decoded
/// lossily, and check the document's ranges.
pub fn document(data: &[u8], format: Format) {
    let source = String::from_utf8_lossy(data);
    let doc = Document::parse(&source, format);
    let text = doc.text();
    for b in &doc.blocks {
        assert!(
            text.get(b.clean.clone()).is_some(),
            "block {:?} is not a slice of the {}-byte text",
            b.clean,
            text.len()
        );
    }
    let mut last_end = 0;
    for u in &doc.units {
        assert!(
            text.get(u.clean.clone()).is_some(),
            "unit {:?} is not a slice of the {}-byte text",
            u.clean,
            text.len()
        );
        assert!(
            u.clean.start >= last_end,
            "units overlap or are out of order"
        );
        last_end = u.clean.end;
        assert!(u.block < doc.blocks.len(), "unit names a missing block");
        let src = doc.src_range(u.clean.clone());
        assert!(
            source.get(src.clone()).is_some(),
            "unit {:?} maps to {src:?}, not a slice of the {}-byte source",
            u.clean,
            source.len()
        );
    }
}

/// `check_bytes`: decode a file's bytes as driftlint does, lint the text as
/// Markdown and as plain text, and check every finding.
pub fn check_bytes(data: &[u8]) {
    let Ok((text, _notes)) = driftlint::source::decode(data.to_vec()) else {
        return; // binary: refused with a reason, nothing to lint
    };
    for format in [Format::Markdown, Format::Plain] {
        let findings = linter().check(&text, format);
        check_findings(&text, &findings);
    }
}

/// Line and column (1-based, columns in characters) of byte `at`, counted
/// from scratch: `\n`, `\r\n` and a lone `\r` each end a line.
pub fn position(text: &str, at: usize) -> (usize, usize) {
    let (mut line, mut col) = (1, 1);
    let mut chars = text[..at].chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' => {
                line += 1;
                col = 1;
            }
            _ => col += 1,
        }
    }
    (line, col)
}

/// Every finding's span lies inside `text` on character boundaries, its
/// `matched` text is that span, and its lines and columns agree with it.
pub fn check_findings(text: &str, findings: &[Finding]) {
    for f in findings {
        let span = f.byte_start..f.byte_end;
        assert!(
            span.start <= span.end && span.end <= text.len(),
            "{} span {span:?} outside the {}-byte text",
            f.rule,
            text.len()
        );
        let Some(matched) = text.get(span.clone()) else {
            panic!("{} span {span:?} is not on character boundaries", f.rule);
        };
        assert_eq!(f.matched, matched, "{} matched text", f.rule);
        assert_eq!(
            (f.line, f.column),
            position(text, span.start),
            "{} start position of {span:?}",
            f.rule
        );
        assert_eq!(
            (f.end_line, f.end_column),
            position(text, span.end),
            "{} end position of {span:?}",
            f.rule
        );
    }
}
