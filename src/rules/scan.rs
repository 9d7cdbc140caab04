//! The shared prefilter: one pass over a posting that says which rule
//! regexes match in which units, so each regex is then searched only where
//! it matches.
//!
//! Every rule regex (patterns, and a document rule's `when` and `absent`)
//! is compiled into one lazy DFA that reports each (regex, end offset) pair
//! in a single overlapping pass over the whole text: the cost of the pass
//! hardly depends on how many rules there are. If the lazy DFA cannot be
//! built or gives up on a text, a [`RegexSet`] run unit by unit gives the
//! same answer more slowly.

use std::sync::OnceLock;

use regex::{RegexSet, RegexSetBuilder};
use regex_automata::hybrid::dfa::{Cache, DFA, OverlappingState};
use regex_automata::util::pool::Pool;
use regex_automata::{Input, MatchKind};

use crate::document::Document;

type CachePool = Pool<Cache, Box<dyn Fn() -> Cache + Send + Sync>>;

/// Which list of a rule a scanned regex comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum List {
    Pattern,
    When,
    Absent,
}

/// One scanned regex: `rules[rule].<list>[index]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Owner {
    pub rule: usize,
    pub list: List,
    pub index: usize,
}

/// A regex that matches somewhere in a unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Hit {
    pub owner: Owner,
    pub unit: usize,
}

pub struct Scanner {
    sources: Vec<String>,
    owners: Vec<Owner>,
    dfa: Option<(DFA, CachePool)>,
    set: OnceLock<Result<RegexSet, String>>,
}

impl std::fmt::Debug for Scanner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Scanner")
            .field("regexes", &self.sources.len())
            .field("lazy_dfa", &self.dfa.is_some())
            .finish()
    }
}

impl Clone for Scanner {
    fn clone(&self) -> Scanner {
        Scanner::new(self.sources.clone(), self.owners.clone())
            .expect("sources compiled once already")
    }
}

/// Lazy DFA cache per thread for the shared pass; grown only as needed.
const CACHE: usize = 64 << 20;

impl Scanner {
    /// `sources` are case-insensitive regexes (as written, ASCII classes
    /// applied); `owners[i]` says where `sources[i]` came from.
    pub fn new(sources: Vec<String>, owners: Vec<Owner>) -> Result<Scanner, String> {
        let dfa = build_dfa(&sources).map(|dfa| {
            let for_pool = dfa.clone();
            let make: Box<dyn Fn() -> Cache + Send + Sync> =
                Box::new(move || for_pool.create_cache());
            (dfa, Pool::new(make))
        });
        let scanner = Scanner {
            sources,
            owners,
            dfa,
            set: OnceLock::new(),
        };
        if scanner.dfa.is_none() {
            // Without the lazy DFA the set is needed: build it now so a bad
            // pattern is reported when the rules load, not mid-run.
            scanner.set()?;
        }
        Ok(scanner)
    }

    fn set(&self) -> Result<&RegexSet, String> {
        self.set
            .get_or_init(|| {
                RegexSetBuilder::new(self.sources.iter().map(|s| format!("(?i:{s})")))
                    .size_limit(256 << 20)
                    .dfa_size_limit(64 << 20)
                    .build()
                    .map_err(|e| format!("cannot compile the rule patterns together: {e}"))
            })
            .as_ref()
            .map_err(|e| e.clone())
    }

    /// The same scanner without the lazy DFA: every posting goes through
    /// the unit-by-unit [`RegexSet`] (for tests of the fallback).
    #[cfg(test)]
    pub(crate) fn without_dfa(&self) -> Scanner {
        Scanner {
            sources: self.sources.clone(),
            owners: self.owners.clone(),
            dfa: None,
            set: OnceLock::new(),
        }
    }

    /// Every (regex, unit) pair where the regex matches inside the unit,
    /// sorted and without repeats. Headings are included: callers decide.
    pub fn hits(&self, doc: &Document) -> Vec<Hit> {
        let mut hits = match self.dfa_hits(doc) {
            Some(hits) => hits,
            None => self.set_hits(doc),
        };
        hits.sort_unstable();
        hits.dedup();
        hits
    }

    fn dfa_hits(&self, doc: &Document) -> Option<Vec<Hit>> {
        let (dfa, pool) = self.dfa.as_ref()?;
        let text = doc.text();
        let mut cache = pool.get();
        let input = Input::new(text);
        let mut state = OverlappingState::start();
        let mut hits = Vec::new();
        let mut unit = 0;
        loop {
            dfa.try_search_overlapping_fwd(&mut cache, &input, &mut state)
                .ok()?;
            let Some(m) = state.get_match() else { break };
            let end = m.offset();
            if end == 0 {
                continue;
            }
            // Matches come in text order of their ends: walk the units along.
            while unit < doc.units.len() && doc.units[unit].clean.end < end {
                unit += 1;
            }
            let Some(u) = doc.units.get(unit) else { break };
            if u.clean.start < end {
                hits.push(Hit {
                    owner: self.owners[m.pattern().as_usize()],
                    unit,
                });
            }
        }
        Some(hits)
    }

    fn set_hits(&self, doc: &Document) -> Vec<Hit> {
        let Ok(set) = self.set() else {
            return Vec::new();
        };
        let text = doc.text();
        let mut hits = Vec::new();
        let mut seen = vec![false; set.len()];
        for (ui, unit) in doc.units.iter().enumerate() {
            seen.fill(false);
            if !set.matches_read_at(&mut seen, &text[..unit.clean.end], unit.clean.start) {
                continue;
            }
            for (i, _) in seen.iter().enumerate().filter(|(_, hit)| **hit) {
                hits.push(Hit {
                    owner: self.owners[i],
                    unit: ui,
                });
            }
        }
        hits
    }
}

fn build_dfa(sources: &[String]) -> Option<DFA> {
    let patterns: Vec<String> = sources.iter().map(|s| format!("(?i:{s})")).collect();
    DFA::builder()
        .configure(
            DFA::config()
                .match_kind(MatchKind::All)
                .cache_capacity(CACHE)
                // Never fall back mid-run: a slow lazy DFA beats none.
                .minimum_cache_clear_count(None),
        )
        .thompson(regex_automata::nfa::thompson::Config::new().shrink(false))
        .build_many(&patterns)
        .ok()
}
