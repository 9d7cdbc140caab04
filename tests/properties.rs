//! Properties that hold for any posting, checked on generated text: postings
//! built from posting-like fragments (headings, bullets, drift phrases from
//! the fixtures, Unicode punctuation, emoji, CRLF and CR line endings,
//! suppression directives) and arbitrary strings.
//!
//! - every finding's span lies inside the text, on character boundaries,
//!   and its line and column agree with the span (recounted from the text);
//! - `check` output is the same on every run and with 1 or 2 threads;
//! - an unrelated paragraph inserted between blocks never removes a finding;
//! - suppression directives act as the simple reading of their rules says.
//!
//! Case counts are modest so `cargo test` stays quick; the rule set is
//! compiled once per test binary.

#[path = "../fuzz/common.rs"]
mod common;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use proptest::prelude::*;
use proptest::sample::select;

use driftlint::check::{ReadOptions, check_all};
use driftlint::document::Format;
use driftlint::lines::LineIndex;
use driftlint::report::Json;
use driftlint::source::Input;
use driftlint::suppress::{self, Directive, Kind};
use driftlint::{Finding, Linter};

fn linter() -> &'static Linter {
    common::linter()
}

/// The same rules with inline directives ignored.
fn linter_without_directives() -> &'static Linter {
    static LINTER: OnceLock<Linter> = OnceLock::new();
    LINTER.get_or_init(|| linter().clone().inline_config(false))
}

const DRIFT: &[&str] = &[
    "Bachelor's degree in Social Work required",
    "Bachelor\u{2019}s degree in social work is an asset",
    "Must provide a clear police check including vulnerable sector screening",
    "Six months of continuous sobriety",
    "Candidates must pass a pre-employment drug test",
    "Administer and monitor medication for residents",
    "Drive clients to appointments",
    "Clean the kitchen and common areas",
    "Reports to the Nurse Manager",
    "Registered Social Worker in good standing with the college",
    "Conduct suicide risk assessments on intake",
    "Promote medication adherence",
    "Search rooms and belongings for contraband",
    "Our nurses administer medication",
    "No degree is required",
    "A police check is not required",
    "We offer tuition support for a degree",
    "or an equivalent combination of lived experience and peer training",
    "Report non-compliant patients to the charge nurse",
    "support addicts and the mentally ill",
    "Lived experience of mental health or substance use challenges",
    "Peer Support Worker",
    "occasionally cover reception during staff breaks",
];

const PROSE: &[&str] = &[
    "We support peers in their own goals and choices",
    "You will facilitate groups",
    "Salary $24.50/hr",
    "e.g. Dr. Smith, i.e. St. Joseph's",
    "3.5 hours per week",
    "Our team includes nurses and social workers",
];

const HEADINGS_MD: &[&str] = &[
    "# Peer Support Worker",
    "## Qualifications",
    "## Responsibilities",
    "## About us",
    "## Benefits",
    "## Conditions of employment",
    "### Assets",
    "**What you bring**",
    "Nice to have:",
    "Reports to: Clinical Manager",
];

const HEADINGS_PLAIN: &[&str] = &[
    "PEER SUPPORT WORKER",
    "QUALIFICATIONS",
    "What you'll do:",
    "About us",
    "Reports to: Clinical Manager",
    "Education: Bachelor's degree",
];

const PREFIXES: &[&str] = &[
    "",
    "",
    "- ",
    "* ",
    "1. ",
    "2) ",
    "\u{2022} ",
    "> ",
    "- [ ] ",
];

const PUNCT: &[&str] = &[
    "\u{2014}",
    "\u{2013}",
    "\u{2026}",
    "\u{201C}quoted\u{201D}",
    "\u{00A0}",
    "\u{200B}",
    "\u{FEFF}",
    "\u{00AD}",
    "!!",
    "?",
    ";",
    ":",
    "(",
    ")",
    "\"",
    "'",
    "**",
    "_",
    "`code`",
    "[link](http://example.org)",
    "&amp;",
    "\\*",
];

const EMOJI: &[&str] = &[
    "\u{1F600}",
    "\u{1F469}\u{1F3FD}\u{200D}\u{2695}\u{FE0F}",
    "\u{1F1E8}\u{1F1E6}",
    "e\u{0301}",
    "\u{05D0}\u{05D1}",
];

const JOINERS: &[&str] = &[
    " ",
    ". ",
    ", ",
    "; ",
    " \u{2014} ",
    " but ",
    "\n",
    "\r\n",
    "\r",
    " \u{1F600} ",
];

const DIRECTIVES_MD: &[&str] = &[
    "<!-- driftlint-disable-next-line DL101 -->",
    "<!-- driftlint-disable-next-line -->",
    "<!-- driftlint-disable credential -- reviewed -->",
    "<!-- driftlint-enable credential -->",
    "<!-- driftlint-disable DL601 DL603 -->",
    "<!-- driftlint-enable -->",
    "<!-- driftlint-disable police-check -->",
    "<!-- driftlint-disable-next-line DL999 -->",
    "<!-- driftlint-disable-file clinical-duty -->",
];

const DIRECTIVES_PLAIN: &[&str] = &[
    "# driftlint-disable-next-line DL101",
    "// driftlint-disable-next-line",
    "# driftlint-disable credential -- reviewed",
    "# driftlint-enable credential",
    "# driftlint-disable DL601,DL603",
    "// driftlint-enable",
    "# driftlint-disable-next-line nope",
    "# driftlint-disable-file clinical-duty",
];

fn format() -> impl Strategy<Value = Format> {
    prop_oneof![Just(Format::Markdown), Just(Format::Plain)]
}

fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        5 => select(DRIFT).prop_map(str::to_string),
        2 => select(PROSE).prop_map(str::to_string),
        2 => select(PUNCT).prop_map(str::to_string),
        1 => select(EMOJI).prop_map(str::to_string),
    ]
}

/// One block: a heading, a directive, or a paragraph or list item of pieces.
fn block(format: Format) -> impl Strategy<Value = String> {
    let (headings, directives) = match format {
        Format::Markdown => (HEADINGS_MD, DIRECTIVES_MD),
        Format::Plain => (HEADINGS_PLAIN, DIRECTIVES_PLAIN),
    };
    let body = (
        select(PREFIXES),
        prop::collection::vec((piece(), select(JOINERS)), 1..4),
        prop_oneof![Just(""), Just("."), Just("!"), Just(":")],
    )
        .prop_map(|(prefix, parts, end)| {
            let mut s = prefix.to_string();
            for (i, (p, j)) in parts.iter().enumerate() {
                if i > 0 {
                    s.push_str(j);
                }
                s.push_str(p);
            }
            s.push_str(end);
            s
        });
    prop_oneof![
        2 => select(headings).prop_map(str::to_string),
        1 => select(directives).prop_map(str::to_string),
        6 => body,
    ]
}

/// A posting: blocks separated by blank lines with `\n`, `\r\n` or `\r`.
fn posting() -> impl Strategy<Value = (Format, Vec<String>, &'static str)> {
    format().prop_flat_map(|f| {
        (
            Just(f),
            prop::collection::vec(block(f), 1..10),
            select(&["\n", "\r\n", "\r"][..]),
        )
    })
}

fn join(blocks: &[String], eol: &str) -> String {
    let mut s = blocks.join(&format!("{eol}{eol}"));
    s.push_str(eol);
    s
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn spans_and_positions_hold_for_postings((format, blocks, eol) in posting()) {
        let text = join(&blocks, eol);
        let findings = linter().check(&text, format);
        common::check_findings(&text, &findings);
    }

    #[test]
    fn spans_and_positions_hold_for_any_string(text in any::<String>(), format in format()) {
        common::check_findings(&text, &linter().check(&text, format));
    }

    #[test]
    fn spans_and_positions_hold_for_fragment_soup(
        parts in prop::collection::vec(
            prop_oneof![
                piece(),
                select(JOINERS).prop_map(str::to_string),
                select(HEADINGS_MD).prop_map(str::to_string),
                select(PREFIXES).prop_map(str::to_string),
                select(DIRECTIVES_MD).prop_map(str::to_string),
            ],
            0..40,
        ),
        format in format(),
    ) {
        let text = parts.concat();
        common::check_findings(&text, &linter().check(&text, format));
    }
}

/// Rule and matched text of each finding, counted.
fn counted(findings: &[Finding]) -> HashMap<(String, String), usize> {
    let mut m = HashMap::new();
    for f in findings {
        *m.entry((f.rule.clone(), f.matched.clone())).or_insert(0) += 1;
    }
    m
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn an_unrelated_paragraph_never_removes_a_finding(
        (format, blocks, eol) in posting(),
        at in any::<prop::sample::Index>(),
    ) {
        let before = join(&blocks, eol);
        let mut with = blocks.clone();
        let i = if blocks.len() > 1 { 1 + at.index(blocks.len() - 1) } else { 1 };
        with.insert(i, "We are located downtown near transit.".to_string());
        let after = join(&with, eol);
        let found = counted(&linter().check(&after, format));
        for ((rule, matched), n) in counted(&linter().check(&before, format)) {
            let m = found.get(&(rule.clone(), matched.clone())).copied().unwrap_or(0);
            prop_assert!(
                m >= n,
                "{rule} on {matched:?} found {n} times before the paragraph went in at block {i}, {m} after\n--- before ---\n{before}\n--- after ---\n{after}"
            );
        }
    }
}

/// A temporary folder per case, for [`check_all`], which reads files.
fn case_dir() -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let d = std::env::temp_dir().join(format!(
        "driftlint-props-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("temp dir");
    d
}

/// `check_all` over `inputs` in a pool of `threads`, as JSON.
fn json_report(inputs: &[Input], threads: usize) -> Vec<u8> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("thread pool");
    let mut out = Vec::new();
    pool.install(|| {
        check_all(
            linter(),
            inputs,
            &ReadOptions::default(),
            &mut Json::default(),
            &mut out,
            |_| {},
        )
    })
    .expect("check_all");
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn output_is_the_same_on_every_run_and_thread_count(
        postings in prop::collection::vec(posting(), 1..12),
    ) {
        let d = case_dir();
        let inputs: Vec<Input> = postings
            .iter()
            .enumerate()
            .map(|(i, (format, blocks, eol))| {
                let ext = if *format == Format::Plain { "txt" } else { "md" };
                let p = d.join(format!("posting-{i}.{ext}"));
                std::fs::write(&p, join(blocks, eol)).expect("write posting");
                Input::File(p)
            })
            .collect();
        let one = json_report(&inputs, 1);
        let two = json_report(&inputs, 2);
        let again = json_report(&inputs, 2);
        let _ = std::fs::remove_dir_all(&d);
        prop_assert!(one == two, "1 thread and 2 threads differ");
        prop_assert!(two == again, "two runs with 2 threads differ");
    }
}

// ---------------------------------------------------------------------------
// Suppression, read the simple way: every directive against every finding.
// This is how `suppress::apply` worked before it became a sweep over lines
// (which keeps thousands of directives and findings linear); the two must
// agree.

/// Lines (inclusive start, exclusive end) directive `i` covers.
fn reference_extent(ds: &[Directive], i: usize, text: &str, lines: &LineIndex) -> (usize, usize) {
    let d = &ds[i];
    match d.kind {
        Kind::DisableFile => (0, usize::MAX),
        Kind::Enable => (0, 0),
        Kind::DisableNextLine => {
            let mut next = d.line + 1;
            while next < lines.count() && lines.line_text(text, next).trim().is_empty() {
                next += 1;
            }
            (next, next + 1)
        }
        Kind::Disable => {
            let end = ds[i + 1..]
                .iter()
                .find(|e| {
                    e.kind == Kind::Enable
                        && (e.selectors.is_empty()
                            || e.selectors.iter().any(|s| d.selectors.contains(s)))
                })
                .map_or(usize::MAX, |e| e.line);
            (d.line, end)
        }
    }
}

/// (rule, byte_start, line, column, message) of what survives suppression,
/// plus one DL001 for each directive that is unused or names no rule.
fn reference_apply(
    text: &str,
    format: Format,
    findings: Vec<Finding>,
) -> Vec<(String, usize, usize, usize, String)> {
    let key = |f: &Finding| {
        (
            f.rule.clone(),
            f.byte_start,
            f.line,
            f.column,
            f.message.clone(),
        )
    };
    let ds = suppress::parse(text, format);
    if ds.is_empty() {
        return findings.iter().map(key).collect();
    }
    let lines = LineIndex::new(text);
    let extents: Vec<_> = (0..ds.len())
        .map(|i| reference_extent(&ds, i, text, &lines))
        .collect();
    let covers = |d: &Directive, f: &Finding| {
        d.selectors.is_empty()
            || d.selectors
                .iter()
                .any(|s| s.eq_ignore_ascii_case(&f.rule) || *s == f.name || *s == f.category)
    };
    let mut used = vec![false; ds.len()];
    let mut out: Vec<_> = findings
        .iter()
        .filter(|f| {
            let mut suppressed = false;
            for (i, d) in ds.iter().enumerate() {
                let (from, to) = extents[i];
                if d.kind != Kind::Enable && from <= f.line && f.line < to && covers(d, f) {
                    used[i] = true;
                    suppressed = true;
                }
            }
            !suppressed
        })
        .map(key)
        .collect();
    let rules = linter().rules().rules();
    for (i, d) in ds.iter().enumerate() {
        if d.kind == Kind::Enable {
            continue;
        }
        let unknown: Vec<&str> = d
            .selectors
            .iter()
            .filter(|s| !rules.iter().any(|r| r.matches_selector(s)))
            .map(String::as_str)
            .collect();
        let message = if !unknown.is_empty() {
            format!(
                "This driftlint directive names no known rule: {}",
                unknown.join(", ")
            )
        } else if !used[i] {
            "This driftlint directive suppresses nothing".to_string()
        } else {
            continue;
        };
        let (line, column) = lines.position(text, d.span.start);
        out.push((
            suppress::UNUSED_ID.to_string(),
            d.span.start,
            line,
            column,
            message,
        ));
    }
    out
}

/// A posting dense with directives: lines of directives and drift.
fn directive_posting() -> impl Strategy<Value = (Format, String)> {
    format().prop_flat_map(|f| {
        let directives = match f {
            Format::Markdown => DIRECTIVES_MD,
            Format::Plain => DIRECTIVES_PLAIN,
        };
        let line = prop_oneof![
            3 => select(directives).prop_map(str::to_string),
            3 => (select(PREFIXES), select(DRIFT)).prop_map(|(p, d)| format!("{p}{d}")),
            1 => Just(String::new()),
            1 => select(HEADINGS_MD).prop_map(str::to_string),
        ];
        (
            Just(f),
            prop::collection::vec(line, 1..30),
            select(&["\n", "\r\n"][..]),
        )
            .prop_map(|(f, lines, eol)| (f, lines.join(eol)))
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn suppression_agrees_with_the_simple_reading((format, text) in directive_posting()) {
        let mut got: Vec<_> = linter()
            .check(&text, format)
            .iter()
            .map(|f| (f.rule.clone(), f.byte_start, f.line, f.column, f.message.clone()))
            .collect();
        let mut want = reference_apply(&text, format, linter_without_directives().check(&text, format));
        got.sort();
        want.sort();
        prop_assert_eq!(got, want, "\n{}", text);
    }
}
