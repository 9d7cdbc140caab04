//! The fuzzers' seed corpora as ordinary tests: every file in
//! `fuzz/corpus/<target>/` runs through exactly what its fuzz target runs
//! (the targets and this file share `fuzz/common.rs`), so CI exercises the
//! seeds, and any crash input added to a corpus, without a fuzzer.

#[path = "../fuzz/common.rs"]
mod common;

use std::path::{Path, PathBuf};

use driftlint::document::Format;

/// A fuzz target's name and what it runs on one input.
type Target = (&'static str, fn(&[u8]));

const TARGETS: &[Target] = &[
    ("check_bytes", common::check_bytes),
    ("document_markdown", |data| {
        common::document(data, Format::Markdown)
    }),
    ("document_plain", |data| {
        common::document(data, Format::Plain)
    }),
];

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus")
}

fn seeds(target: &str) -> Vec<PathBuf> {
    let dir = corpus().join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("corpus entry").path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

/// Runs every seed of `target`, naming each one that panics.
fn replay(target: &str) {
    let run = TARGETS
        .iter()
        .find(|(name, _)| *name == target)
        .map(|(_, run)| *run)
        .expect("known target");
    let files = seeds(target);
    assert!(!files.is_empty(), "no seeds for {target}");
    let mut failures = Vec::new();
    for f in &files {
        let data = std::fs::read(f).expect("read seed");
        if std::panic::catch_unwind(|| run(&data)).is_err() {
            failures.push(f.display().to_string());
        }
    }
    assert!(
        failures.is_empty(),
        "{target}: {} of {} seeds failed (see the panics above):\n{}",
        failures.len(),
        files.len(),
        failures.join("\n")
    );
}

#[test]
fn check_bytes_seeds() {
    replay("check_bytes");
}

#[test]
fn document_markdown_seeds() {
    replay("document_markdown");
}

#[test]
fn document_plain_seeds() {
    replay("document_plain");
}

/// A corpus folder for a target this file does not know would never run.
#[test]
fn every_corpus_folder_is_replayed() {
    let mut dirs: Vec<String> = std::fs::read_dir(corpus())
        .expect("fuzz/corpus")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    dirs.sort();
    let known: Vec<&str> = TARGETS.iter().map(|(name, _)| *name).collect();
    assert_eq!(dirs, known);
}

/// Seed corpora stay small: a few excerpts, not a fuzzing run's output.
#[test]
fn seed_corpora_are_small() {
    let total: u64 = TARGETS
        .iter()
        .flat_map(|(t, _)| seeds(t))
        .map(|f| std::fs::metadata(f).expect("seed").len())
        .sum();
    assert!(total < 50 * 1024, "seed corpora are {total} bytes");
}
