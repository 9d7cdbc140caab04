//! Rule patterns use ASCII meanings of `\b`, `\w`, `\d` and `\s`.
//!
//! Postings are normalised to (mostly) ASCII before matching, and Unicode
//! word classes make the regex engines an order of magnitude slower to build
//! and to run: a Unicode `\b` stops the lazy DFA on non-ASCII text. So the
//! loader rewrites these classes to their ASCII forms before compiling.

/// Rewrites `\b \B \w \d \s` to ASCII-only forms (and `\W \S \D` to their
/// complements), inside and outside bracket classes.
pub fn ascii_classes(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut depth = 0usize;
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let Some(n) = chars.next() else {
                    out.push('\\');
                    break;
                };
                let rep = match (depth > 0, n) {
                    (false, 'w' | 'b' | 'B' | 'd' | 's') => Some(format!("(?-u:\\{n})")),
                    (false, 'W') => Some("[^0-9A-Za-z_]".into()),
                    (false, 'S') => Some("[^\\t\\n\\x0B\\x0C\\r ]".into()),
                    (false, 'D') => Some("[^0-9]".into()),
                    (true, 'w') => Some("0-9A-Za-z_".into()),
                    (true, 'd') => Some("0-9".into()),
                    (true, 's') => Some("\\t\\n\\x0B\\x0C\\r ".into()),
                    _ => None,
                };
                match rep {
                    Some(r) => out.push_str(&r),
                    None => {
                        out.push('\\');
                        out.push(n);
                    }
                }
            }
            '[' => {
                depth += 1;
                out.push('[');
                if chars.peek() == Some(&'^') {
                    out.push('^');
                    chars.next();
                }
                // A `]` first in a class is a literal.
                if chars.peek() == Some(&']') {
                    out.push(']');
                    chars.next();
                }
            }
            ']' if depth > 0 => {
                depth -= 1;
                out.push(']');
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rewrites_outside_and_inside_classes() {
        assert_eq!(
            ascii_classes(r"\bfoo\s+\w"),
            r"(?-u:\b)foo(?-u:\s)+(?-u:\w)"
        );
        assert_eq!(ascii_classes(r"[\w'-]+"), r"[0-9A-Za-z_'-]+");
        assert_eq!(ascii_classes(r"\\w"), r"\\w");
        assert_eq!(ascii_classes(r"[]a]\W"), r"[]a][^0-9A-Za-z_]");
        assert_eq!(ascii_classes(r"\p{L}\x{2019}"), r"\p{L}\x{2019}");
    }

    #[test]
    fn rewritten_patterns_compile_and_match() {
        let re = regex::Regex::new(&ascii_classes(r"(?i)\bbachelor(?:'s)?\s+degree\b")).unwrap();
        assert!(re.is_match("a Bachelor's degree required"));
        assert!(!re.is_match("bachelors degreee"));
    }
}
