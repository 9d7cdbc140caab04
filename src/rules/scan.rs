//! The shared prefilter: one pass over a posting that says which rule
//! regexes match in which units, so each regex is then searched only where
//! it matches.
//!
//! Every rule regex (patterns, and a document rule's `when` and `absent`)
//! is compiled into one lazy DFA that reports each (regex, end offset) pair
//! in a single pass over the whole text, a table lookup per byte: the cost
//! of the pass hardly depends on how many rules there are. If the lazy DFA cannot be
//! built or gives up on a text, a [`RegexSet`] run unit by unit gives the
//! same answer more slowly.

use std::sync::OnceLock;

use rayon::prelude::*;
use regex::{RegexSet, RegexSetBuilder};
use regex_automata::hybrid::LazyStateID;
use regex_automata::hybrid::dfa::{Cache, DFA};
use regex_automata::nfa::thompson;
use regex_automata::util::pool::Pool;
use regex_automata::util::syntax;
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
    /// applied); `owners[i]` says where `sources[i]` came from. The owners
    /// must be in order (as [`super::RuleSet`] lists them), so that hits
    /// sorted by regex index are sorted by owner.
    pub fn new(sources: Vec<String>, owners: Vec<Owner>) -> Result<Scanner, String> {
        if !owners.is_sorted() {
            return Err("scanned regexes must be listed in rule order".into());
        }
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
        let mut keys = match self.dfa_hits(doc) {
            Some(keys) => keys,
            None => self.set_hits(doc),
        };
        // Sorting plain numbers is several times cheaper than sorting hits.
        keys.sort_unstable();
        keys.dedup();
        keys.into_iter()
            .map(|k| Hit {
                owner: self.owners[(k >> 64) as usize],
                unit: k as u64 as usize,
            })
            .collect()
    }

    /// A hit of regex `i` in unit `unit` as a number that sorts like the
    /// hit itself (the owners are in order).
    fn key(i: usize, unit: usize) -> u128 {
        (i as u128) << 64 | unit as u128
    }

    fn dfa_hits(&self, doc: &Document) -> Option<Vec<u128>> {
        let (dfa, pool) = self.dfa.as_ref()?;
        let text = doc.text();
        let hay = text.as_bytes();
        let mut cache = pool.get();
        let mut hits = Vec::new();
        let mut unit = 0;
        // Every (regex, end) pair: a match state reached on the byte at `end`
        // reports matches ending just before it (DFA matches are delayed by
        // one byte); the end-of-input transition reports those ending at the
        // end. Reported in order of their ends, so the units are walked along.
        let mut report = |cache: &Cache, sid: LazyStateID, end: usize| {
            if end == 0 {
                return;
            }
            while unit < doc.units.len() && doc.units[unit].clean.end < end {
                unit += 1;
            }
            let Some(u) = doc.units.get(unit) else { return };
            if u.clean.start < end {
                for i in 0..dfa.match_len(cache, sid) {
                    let pattern = dfa.match_pattern(cache, sid, i);
                    hits.push(Scanner::key(pattern.as_usize(), unit));
                }
            }
        };
        let mut sid = dfa
            .start_state_forward(&mut cache, &Input::new(text))
            .ok()?;
        for (at, &byte) in hay.iter().enumerate() {
            // The common case, a known transition between ordinary states,
            // is one table lookup; anything else takes the checked path,
            // which also builds missing states.
            let next = if sid.is_tagged() {
                None
            } else {
                Some(dfa.next_state_untagged(&cache, sid, byte)).filter(|s| !s.is_tagged())
            };
            sid = match next {
                Some(s) => s,
                None => dfa.next_state(&mut cache, sid, byte).ok()?,
            };
            if sid.is_tagged() {
                if sid.is_match() {
                    report(&cache, sid, at);
                } else if sid.is_quit() {
                    return None;
                } else if sid.is_dead() {
                    break;
                }
            }
        }
        if !sid.is_dead() {
            sid = dfa.next_eoi_state(&mut cache, sid).ok()?;
            if sid.is_match() {
                report(&cache, sid, hay.len());
            }
        }
        Some(hits)
    }

    fn set_hits(&self, doc: &Document) -> Vec<u128> {
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
                hits.push(Scanner::key(i, ui));
            }
        }
        hits
    }
}

fn build_dfa(sources: &[String]) -> Option<DFA> {
    // Parsing is most of the build (case-insensitive classes for every
    // letter): parse in parallel, then compile the one automaton.
    let hirs: Vec<_> = sources
        .par_iter()
        .map(|s| syntax::parse(&format!("(?i:{s})")).ok())
        .collect::<Option<_>>()?;
    let nfa = thompson::Compiler::new()
        .configure(
            thompson::Config::new()
                .shrink(false)
                .which_captures(thompson::WhichCaptures::None),
        )
        .build_many_from_hir(&hirs)
        .ok()?;
    DFA::builder()
        .configure(
            DFA::config()
                .match_kind(MatchKind::All)
                .cache_capacity(CACHE)
                // Never fall back mid-run: a slow lazy DFA beats none.
                .minimum_cache_clear_count(None),
        )
        .build_from_nfa(nfa)
        .ok()
}
