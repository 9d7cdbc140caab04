//! Byte offsets to 1-based lines and columns (columns count characters).

/// Line starts of a text; `\n`, `\r\n` and a lone `\r` all end a line.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        for (i, &b) in bytes.iter().enumerate() {
            if b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')) {
                starts.push(i + 1);
            }
        }
        LineIndex { starts }
    }

    /// Line (1-based) and column (1-based, in characters) of byte `at`.
    pub fn position(&self, text: &str, at: usize) -> (usize, usize) {
        let at = at.min(text.len());
        let line = self.starts.partition_point(|&s| s <= at) - 1;
        let start = self.starts[line];
        let col = text
            .get(start..at)
            .map_or(at - start, |s| s.chars().count());
        (line + 1, col + 1)
    }

    /// Number of lines (a final line ending starts an empty last line).
    pub fn count(&self) -> usize {
        self.starts.len()
    }

    /// The text of line `line` (1-based) without its line ending.
    pub fn line_text<'a>(&self, text: &'a str, line: usize) -> &'a str {
        let Some(&start) = self.starts.get(line.saturating_sub(1)) else {
            return "";
        };
        let end = self.starts.get(line).copied().unwrap_or(text.len());
        text.get(start..end)
            .unwrap_or("")
            .trim_end_matches(['\n', '\r'])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions() {
        let t = "ab\r\nc\u{e9}d\re";
        let idx = LineIndex::new(t);
        assert_eq!(idx.position(t, 0), (1, 1));
        assert_eq!(idx.position(t, 4), (2, 1));
        assert_eq!(idx.position(t, 7), (2, 3)); // after the two-byte é
        assert_eq!(idx.position(t, 9), (3, 1));
        assert_eq!(idx.line_text(t, 1), "ab");
        assert_eq!(idx.line_text(t, 2), "c\u{e9}d");
    }
}
