//! One compiled rule regex.
//!
//! Rule regexes are searched only inside the sentences the shared pass
//! ([`super::scan`]) says they match in, so they need no literal prefilter
//! of their own. The regex crate always builds one, and for the catalogue's
//! large alternations that was most of the start-up time; a
//! [`regex_automata::meta::Regex`] with prefilters off compiles in about
//! half the time and searches a sentence just as fast.

use std::ops::Range;

use regex_automata::Input;
use regex_automata::meta::{self, Regex};
use regex_automata::nfa::thompson::WhichCaptures;
use regex_automata::util::syntax;

/// A case-insensitive rule regex and the source it was compiled from.
#[derive(Clone)]
pub struct Pattern {
    source: String,
    re: Regex,
}

impl std::fmt::Debug for Pattern {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Pattern").field(&self.source).finish()
    }
}

impl Pattern {
    /// Compiles `source` case-insensitively. `nfa_limit` bounds the size of
    /// the compiled program; `cache` the lazy DFA's cache per thread. The
    /// error is the regex engine's own message; the rule loader explains
    /// syntax errors in terms of the pattern as written.
    pub fn new(source: &str, nfa_limit: usize, cache: usize) -> Result<Pattern, String> {
        let config = meta::Config::new()
            .match_kind(regex_automata::MatchKind::LeftmostFirst)
            .utf8_empty(true)
            .auto_prefilter(false)
            .which_captures(WhichCaptures::Implicit)
            .nfa_size_limit(Some(nfa_limit))
            .hybrid_cache_capacity(cache);
        meta::Builder::new()
            .configure(config)
            .syntax(syntax::Config::new().case_insensitive(true).utf8(true))
            .build(source)
            .map(|re| Pattern {
                source: source.to_string(),
                re,
            })
            .map_err(|e| e.to_string())
    }

    /// The source as compiled (without the case-insensitive flag).
    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// The first match in `hay` that starts at or after `start`; what
    /// comes before `start` still counts for `\b` and other look-arounds.
    pub fn find_at(&self, hay: &str, start: usize) -> Option<Range<usize>> {
        let input = Input::new(hay).span(start..hay.len());
        self.re.search(&input).map(|m| m.range())
    }

    pub fn is_match(&self, hay: &str) -> bool {
        self.re.is_match(hay)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pat(s: &str) -> Pattern {
        Pattern::new(s, 1 << 20, 1 << 20).unwrap()
    }

    #[test]
    fn finds_case_insensitively_from_an_offset() {
        let p = pat(r"\bdegree\b");
        assert_eq!(p.find_at("A Degree, a degree", 0), Some(2..8));
        assert_eq!(p.find_at("A Degree, a degree", 3), Some(12..18));
        assert_eq!(p.find_at("A Degree, a degree", 13), None);
        assert!(p.is_match("DEGREE"));
        assert_eq!(p.as_str(), r"\bdegree\b");
    }

    #[test]
    fn text_before_the_offset_counts_for_word_boundaries() {
        // "degrees" from offset 1 is inside a word: no boundary before "egree".
        assert_eq!(pat(r"\begree").find_at("degree", 1), None);
    }

    #[test]
    fn a_bad_pattern_is_an_error() {
        assert!(Pattern::new("(unclosed", 1 << 20, 1 << 20).is_err());
        assert!(Pattern::new(&"a{1000}".repeat(50), 1 << 10, 1 << 20).is_err());
    }
}
