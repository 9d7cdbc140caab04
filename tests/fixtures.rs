//! Per-category precision and recall over the fixture postings, judged
//! against `fixtures/expected.json` (written independently of the rules).
//! A category is raised when a posting has an error or warning finding in it.

use std::collections::BTreeMap;
use std::path::Path;

use driftlint::document::Format;
use driftlint::{Linter, Severity};
use serde_json::Value;

#[derive(Default, Debug)]
struct Counts {
    tp: usize,
    fp: usize,
    fn_: usize,
}

#[test]
fn categories_match_expected_json() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let expected: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("expected.json")).expect("expected.json"),
    )
    .expect("valid JSON");
    let linter = Linter::builtin().expect("built-in rules");
    let fixtures = expected["fixtures"].as_object().expect("fixtures object");
    assert!(fixtures.len() >= 15, "at least 15 fixtures");

    let mut counts: BTreeMap<String, Counts> = BTreeMap::new();
    let mut mistakes = Vec::new();
    for (name, exp) in fixtures {
        let path = dir.join(name);
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
        let findings = linter.check(&text, Format::from_path(name));
        let raised = |cat: &str| {
            findings
                .iter()
                .filter(|f| f.category == cat && f.severity >= Severity::Warning)
                .map(|f| format!("{} {:?} line {}", f.rule, f.matched, f.line))
                .collect::<Vec<_>>()
        };
        for cat in exp["must"].as_array().expect("must") {
            let cat = cat.as_str().expect("category");
            let c = counts.entry(cat.to_string()).or_default();
            if raised(cat).is_empty() {
                c.fn_ += 1;
                mistakes.push(format!("{name}: missed {cat}"));
            } else {
                c.tp += 1;
            }
        }
        for cat in exp["must_not"].as_array().expect("must_not") {
            let cat = cat.as_str().expect("category");
            let got = raised(cat);
            if !got.is_empty() {
                counts.entry(cat.to_string()).or_default().fp += 1;
                mistakes.push(format!("{name}: wrongly raised {cat}: {}", got.join("; ")));
            }
        }
    }
    let mut table = String::new();
    for (cat, c) in &counts {
        let p = if c.tp + c.fp == 0 {
            1.0
        } else {
            c.tp as f64 / (c.tp + c.fp) as f64
        };
        let r = if c.tp + c.fn_ == 0 {
            1.0
        } else {
            c.tp as f64 / (c.tp + c.fn_) as f64
        };
        table.push_str(&format!("{cat:<26} precision {p:.2} recall {r:.2}\n"));
    }
    eprintln!("{table}");
    assert!(mistakes.is_empty(), "{table}\n{}", mistakes.join("\n"));
}
