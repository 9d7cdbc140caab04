//! Snapshots of what people and programs see: the human report and the JSON
//! document over the fixture postings. Review changes with `cargo insta review`.

use std::path::PathBuf;

use driftlint::Linter;
use driftlint::check::{ReadOptions, check_all};
use driftlint::report::OutputFormat;
use driftlint::source::{self, DEFAULT_EXTENSIONS};

fn render(paths: &[&str], format: OutputFormat) -> String {
    let linter = Linter::builtin().expect("built-in rules");
    let paths: Vec<PathBuf> = paths.iter().map(PathBuf::from).collect();
    let inputs = source::collect(&paths, DEFAULT_EXTENSIONS);
    let mut reporter = format.reporter(false, linter.rules());
    let mut out = Vec::new();
    check_all(
        &linter,
        &inputs,
        &ReadOptions::default(),
        reporter.as_mut(),
        &mut out,
        |_| {},
    )
    .expect("writes");
    String::from_utf8(out).expect("utf-8 output")
}

#[test]
fn human_report_over_fixtures() {
    insta::assert_snapshot!(render(&["fixtures"], OutputFormat::Human));
}

#[test]
fn json_report_for_a_drifted_and_a_clean_posting() {
    let out = render(
        &[
            "fixtures/hospital-peer-support-worker.md",
            "fixtures/peer-run-drop-in-peer-supporter.md",
        ],
        OutputFormat::Json,
    );
    let value: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
    insta::assert_json_snapshot!(value);
}

#[test]
fn jsonl_report_for_a_plain_text_posting() {
    insta::assert_snapshot!(render(
        &["fixtures/recovery-residence-house-peer.txt"],
        OutputFormat::Jsonl
    ));
}
