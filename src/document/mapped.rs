//! Normalised text with a map back to the original bytes.
//!
//! Rules match against a normalised copy of each block (curly quotes made
//! straight, dashes and odd spaces made ASCII, inline markup dropped). Every
//! byte of that copy comes from a known place in the source, recorded here as
//! runs, so a match in the copy maps back to an exact span of the file.

use std::ops::Range;

/// One run of normalised text and where it came from.
#[derive(Debug, Clone, Copy)]
struct Run {
    clean: usize,
    clean_len: usize,
    src: usize,
    src_len: usize,
    /// Copied byte for byte: offsets inside the run map one to one.
    identity: bool,
}

/// Normalised text plus its source map. Built with [`MappedBuilder`].
#[derive(Debug, Clone, Default)]
pub struct MappedText {
    pub text: String,
    runs: Vec<Run>,
    /// Offsets in `text` where the source had a line break.
    pub breaks: Vec<usize>,
}

impl MappedText {
    fn run_at(&self, clean: usize) -> Option<&Run> {
        let idx = self
            .runs
            .partition_point(|r| r.clean + r.clean_len <= clean);
        self.runs.get(idx).filter(|r| r.clean <= clean)
    }

    /// Source offset of the start of normalised byte `clean`.
    pub fn src_start(&self, clean: usize) -> usize {
        match self.run_at(clean) {
            Some(r) if r.identity => r.src + (clean - r.clean),
            Some(r) => r.src,
            None => self.runs.last().map_or(0, |r| r.src + r.src_len),
        }
    }

    /// Source offset just past normalised byte `clean_end - 1`.
    pub fn src_end(&self, clean_end: usize) -> usize {
        if clean_end == 0 {
            return self.src_start(0);
        }
        match self.run_at(clean_end - 1) {
            Some(r) if r.identity => r.src + (clean_end - r.clean),
            Some(r) => r.src + r.src_len,
            None => self.runs.last().map_or(0, |r| r.src + r.src_len),
        }
    }

    /// Maps a normalised range to a source range.
    pub fn src_range(&self, clean: Range<usize>) -> Range<usize> {
        let start = self.src_start(clean.start);
        let end = self.src_end(clean.end).max(start);
        start..end
    }
}

/// Appends source text, normalising as it goes.
#[derive(Debug, Default)]
pub struct MappedBuilder {
    out: MappedText,
}

/// What one source character becomes in the normalised text.
fn normalise(c: char) -> Option<&'static str> {
    Some(match c {
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '\u{00B4}' | '`' => "'",
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{00AB}'
        | '\u{00BB}' => "\"",
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE58}' | '\u{FE63}' | '\u{FF0D}' => "-",
        '\u{2026}' => "...",
        '\u{00AD}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' => "",
        c if c.is_whitespace() => " ",
        _ => return None,
    })
}

impl MappedBuilder {
    pub fn new() -> Self {
        Self::default()
    }

    /// A builder for a source of `len` bytes: the normalised text is about
    /// as long, so reserving it spares the reallocations as it grows.
    pub fn with_capacity(len: usize) -> Self {
        let mut b = Self::default();
        b.out.text.reserve(len + len / 8);
        b.out.breaks.reserve(len / 40);
        b.out.runs.reserve(len / 40);
        b
    }

    pub fn len(&self) -> usize {
        self.out.text.len()
    }

    pub fn is_empty(&self) -> bool {
        self.out.text.is_empty()
    }

    /// The normalised text so far.
    pub fn text(&self) -> &str {
        &self.out.text
    }

    fn push_run(&mut self, text: &str, src: usize, src_len: usize, identity: bool) {
        if text.is_empty() {
            return;
        }
        let clean = self.out.text.len();
        if identity
            && let Some(last) = self.out.runs.last_mut()
            && last.identity
            && last.clean + last.clean_len == clean
            && last.src + last.src_len == src
        {
            last.clean_len += text.len();
            last.src_len += src_len;
            self.out.text.push_str(text);
            return;
        }
        self.out.text.push_str(text);
        self.out.runs.push(Run {
            clean,
            clean_len: text.len(),
            src,
            src_len,
            identity,
        });
    }

    /// Appends `text`, found at byte `src` of the source, normalising it.
    pub fn push_source(&mut self, text: &str, src: usize) {
        let bytes = text.as_bytes();
        if text.is_ascii() {
            // Nothing to normalise but whitespace: only the breaks to note.
            for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
                if bytes[i] == b'\r' || i == 0 || bytes[i - 1] != b'\r' {
                    self.out.breaks.push(self.out.text.len() + i);
                }
            }
            self.push_plain(text, src);
            return;
        }
        let mut plain_from = 0;
        let mut prev_cr = false;
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            if b.is_ascii() {
                if (b == b'\n' && !prev_cr) || b == b'\r' {
                    // "\r\n" is one break; a lone "\r" (old Mac files) is one too.
                    self.out.breaks.push(self.out.text.len() + (i - plain_from));
                }
                prev_cr = b == b'\r';
                // ASCII is kept; its whitespace becomes ' ' in push_plain.
                i += 1;
                continue;
            }
            prev_cr = false;
            let Some(c) = text[i..].chars().next() else {
                break;
            };
            let len = c.len_utf8();
            if let Some(rep) = normalise(c) {
                self.push_plain(&text[plain_from..i], src + plain_from);
                self.push_run(rep, src + i, len, false);
                plain_from = i + len;
            }
            i += len;
        }
        self.push_plain(&text[plain_from..], src + plain_from);
    }

    /// Appends a copied run; ASCII whitespace becomes ' ' (same length).
    fn push_plain(&mut self, text: &str, src: usize) {
        let bytes = text.as_bytes();
        let other_space = memchr::memchr3(b'\t', b'\n', b'\r', bytes).is_some()
            || memchr::memchr(b'\x0C', bytes).is_some();
        if other_space {
            let cleaned: String = text
                .chars()
                .map(|c| if c.is_ascii_whitespace() { ' ' } else { c })
                .collect();
            self.push_run(&cleaned, src, text.len(), true);
        } else {
            self.push_run(text, src, text.len(), true);
        }
    }

    /// Appends `text` that stands for the whole source range `src` but is not a
    /// copy of it (an entity such as `&amp;`, an escaped character).
    pub fn push_replacement(&mut self, text: &str, src: Range<usize>) {
        let mut s = String::with_capacity(text.len());
        for c in text.chars() {
            match normalise(c) {
                Some(rep) => s.push_str(rep),
                None => s.push(c),
            }
        }
        self.push_run(&s, src.start, src.end - src.start, false);
    }

    /// Appends synthetic text (a separator) that maps to the empty source
    /// range at `src`.
    pub fn push_synthetic(&mut self, text: &str, src: usize) {
        self.push_run(text, src, 0, false);
    }

    /// Records a line break at the current end (a Markdown soft break).
    pub fn mark_break(&mut self) {
        let at = self.out.text.len();
        self.out.breaks.push(at);
    }

    pub fn finish(self) -> MappedText {
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identity_maps_one_to_one() {
        let mut b = MappedBuilder::new();
        b.push_source("hello world", 10);
        let m = b.finish();
        assert_eq!(m.text, "hello world");
        assert_eq!(m.src_range(6..11), 16..21);
    }

    #[test]
    fn curly_quotes_and_dashes_are_normalised_and_map_back() {
        let src = "Bachelor\u{2019}s degree \u{2014} required";
        let mut b = MappedBuilder::new();
        b.push_source(src, 0);
        let m = b.finish();
        assert_eq!(m.text, "Bachelor's degree - required");
        let r = m.src_range(0..17);
        assert_eq!(&src[r], "Bachelor\u{2019}s degree");
        let dash = m.text.find('-').unwrap();
        assert_eq!(&src[m.src_range(dash..dash + 1)], "\u{2014}");
        let req = m.text.find("required").unwrap();
        assert_eq!(&src[m.src_range(req..req + 8)], "required");
    }

    #[test]
    fn line_breaks_become_spaces_and_are_recorded() {
        let mut b = MappedBuilder::new();
        b.push_source("one\r\ntwo\rthree\nfour", 0);
        let m = b.finish();
        assert_eq!(m.text, "one  two three four");
        assert_eq!(m.breaks, vec![3, 8, 14]);
    }

    #[test]
    fn synthetic_and_replacement_runs() {
        let mut b = MappedBuilder::new();
        b.push_source("a", 0);
        b.push_synthetic(" ", 1);
        b.push_replacement("&", 5..10);
        let m = b.finish();
        assert_eq!(m.text, "a &");
        assert_eq!(m.src_range(2..3), 5..10);
        assert_eq!(m.src_range(0..3), 0..10);
    }
}
