//! The machine-facing formats: SARIF 2.1.0 (checked against the OASIS
//! schema in tests/data/), GitHub Actions annotations and the concise
//! one-line format. Review snapshot changes with `cargo insta review`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::LazyLock;

use serde_json::Value;

use driftlint::Linter;
use driftlint::check::{ReadOptions, check_all};
use driftlint::report::{FINGERPRINT_KEY, OutputFormat, escape_data, escape_property};
use driftlint::source::{self, DEFAULT_EXTENSIONS};

const HOSPITAL: &str = "fixtures/hospital-peer-support-worker.md";
const PEER_RUN: &str = "fixtures/peer-run-drop-in-peer-supporter.md";
const MISSING: &str = "fixtures/no-such-posting.md";

/// One linter for every test: compiling the rule set is the slow part.
static LINTER: LazyLock<Linter> = LazyLock::new(|| Linter::builtin().expect("built-in rules"));

fn render_paths(paths: &[PathBuf], format: OutputFormat) -> String {
    let linter = &*LINTER;
    let inputs = source::collect(paths, DEFAULT_EXTENSIONS);
    let mut reporter = format.reporter(false, linter.rules());
    let mut out = Vec::new();
    check_all(
        linter,
        &inputs,
        &ReadOptions::default(),
        reporter.as_mut(),
        &mut out,
        |_| {},
    )
    .expect("writes");
    String::from_utf8(out).expect("utf-8 output")
}

fn render(paths: &[&str], format: OutputFormat) -> String {
    let paths: Vec<PathBuf> = paths.iter().map(PathBuf::from).collect();
    render_paths(&paths, format)
}

fn sarif(paths: &[&str]) -> Value {
    serde_json::from_str(&render(paths, OutputFormat::Sarif)).expect("valid JSON")
}

/// SARIF for the two postings and the missing file, rendered once.
static SAMPLE: LazyLock<String> =
    LazyLock::new(|| render(&[HOSPITAL, PEER_RUN, MISSING], OutputFormat::Sarif));

/// SARIF for every fixture posting, rendered once.
static ALL_FIXTURES: LazyLock<Value> = LazyLock::new(|| sarif(&["fixtures"]));

fn sample() -> Value {
    serde_json::from_str(&SAMPLE).expect("valid JSON")
}

/// A scratch folder of this test process, emptied first.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("driftlint-formats-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("creates scratch folder");
    dir
}

fn run(v: &Value) -> &Value {
    &v["runs"][0]
}

fn results(v: &Value) -> &Vec<Value> {
    run(v)["results"].as_array().expect("results array")
}

// ---------------------------------------------------------------- snapshots

#[test]
fn sarif_for_two_postings_and_a_missing_file() {
    let mut v = sample();
    let driver = &mut v["runs"][0]["tool"]["driver"];
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    driver["version"] = "[version]".into();
    // The rule catalogue is checked on its own below and against the schema;
    // here it is cut to its ids so the snapshot follows the results.
    let ids: Vec<Value> = driver["rules"]
        .as_array()
        .expect("rules")
        .iter()
        .map(|r| r["id"].clone())
        .collect();
    driver["rules"] = Value::Array(ids);
    insta::assert_json_snapshot!(v);
}

#[test]
fn sarif_rule_descriptor() {
    let v = sample();
    let rules = run(&v)["tool"]["driver"]["rules"]
        .as_array()
        .expect("rules");
    let dl101 = rules.iter().find(|r| r["id"] == "DL101").expect("DL101");
    insta::assert_json_snapshot!(dl101);
}

#[test]
fn github_for_two_postings_and_a_missing_file() {
    insta::assert_snapshot!(render(&[HOSPITAL, PEER_RUN, MISSING], OutputFormat::Github));
}

#[test]
fn concise_for_two_postings_and_a_missing_file() {
    insta::assert_snapshot!(render(
        &[HOSPITAL, PEER_RUN, MISSING],
        OutputFormat::Concise
    ));
}

// ---------------------------------------------------------------- SARIF content

#[test]
fn sarif_results_point_at_their_rules() {
    let v = &*ALL_FIXTURES;
    let rules = run(v)["tool"]["driver"]["rules"].as_array().expect("rules");
    assert_eq!(rules.len(), LINTER.rules().rules().len());
    assert!(!results(v).is_empty());
    for r in results(v) {
        let i = r["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[i]["id"], r["ruleId"]);
        let region = &r["locations"][0]["physicalLocation"]["region"];
        assert!(
            region["snippet"]["text"]
                .as_str()
                .is_some_and(|s| !s.is_empty())
        );
        assert!(["error", "warning", "note"].contains(&r["level"].as_str().expect("level")));
    }
    assert_eq!(run(v)["invocations"][0]["executionSuccessful"], true);
    assert!(run(v)["invocations"][0]["toolExecutionNotifications"].is_null());
}

#[test]
fn sarif_reports_unreadable_files_as_notifications() {
    let v = sample();
    let inv = &run(&v)["invocations"][0];
    assert_eq!(inv["executionSuccessful"], false);
    let notes = inv["toolExecutionNotifications"]
        .as_array()
        .expect("notifications");
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0]["level"], "error");
    assert_eq!(
        notes[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        MISSING
    );
    assert!(
        notes[0]["message"]["text"]
            .as_str()
            .expect("text")
            .contains("no such file")
    );
}

#[test]
fn sarif_output_is_deterministic() {
    let again = render(&[HOSPITAL, PEER_RUN, MISSING], OutputFormat::Sarif);
    assert_eq!(*SAMPLE, again);
}

#[test]
fn sarif_uris_are_encoded_and_regions_match_the_text() {
    let dir = scratch("uri");
    let path = dir.join("job posting é #1.md");
    let text = "# Peer Support Worker \u{2013} Caf\u{e9}\n\n## Qualifications\n\n- Bachelor's degree in Social Work required\n";
    std::fs::write(&path, text).expect("writes posting");
    let v: Value = serde_json::from_str(&render_paths(
        std::slice::from_ref(&path),
        OutputFormat::Sarif,
    ))
    .expect("valid JSON");
    let found = results(&v);
    assert!(!found.is_empty(), "the degree requirement is found");
    for r in found {
        let loc = &r["locations"][0]["physicalLocation"];
        let uri = loc["artifactLocation"]["uri"].as_str().expect("uri");
        assert!(uri.starts_with("file:///"), "{uri}");
        assert!(uri.ends_with("/job%20posting%20%C3%A9%20%231.md"), "{uri}");
        assert!(!uri.contains('\\'));
        let region = &loc["region"];
        assert!(
            region["byteOffset"].is_null(),
            "byte offsets are into decoded text"
        );
        let chars: Vec<char> = text.chars().collect();
        let c = region["charOffset"].as_u64().expect("charOffset") as usize;
        let n = region["charLength"].as_u64().expect("charLength") as usize;
        let by_chars: String = chars[c..c + n].iter().collect();
        assert_eq!(by_chars, region["snippet"]["text"]);
    }
    validate(&v);
    let _ = std::fs::remove_dir_all(&dir);
}

// ---------------------------------------------------------------- fingerprints

/// (rule id, fingerprint, start line) of each result.
fn fingerprinted(v: &Value) -> Vec<(String, String, u64)> {
    results(v)
        .iter()
        .map(|r| {
            (
                r["ruleId"].as_str().expect("ruleId").to_string(),
                r["partialFingerprints"][FINGERPRINT_KEY]
                    .as_str()
                    .expect("fingerprint")
                    .to_string(),
                r["locations"][0]["physicalLocation"]["region"]["startLine"]
                    .as_u64()
                    .expect("startLine"),
            )
        })
        .collect()
}

#[test]
fn fingerprints_survive_an_unrelated_paragraph_above() {
    let original = std::fs::read_to_string(HOSPITAL).expect("reads fixture");
    let dir = scratch("fingerprints");
    let path = dir.join("posting.md");
    let lint = |text: &str| -> Value {
        std::fs::write(&path, text).expect("writes posting");
        serde_json::from_str(&render_paths(
            std::slice::from_ref(&path),
            OutputFormat::Sarif,
        ))
        .expect("valid JSON")
    };
    let before = fingerprinted(&lint(&original));
    let edited =
        format!("This posting was reissued on 3 March to correct the closing date.\n\n{original}");
    let after = fingerprinted(&lint(&edited));
    let _ = std::fs::remove_dir_all(&dir);

    assert!(!before.is_empty(), "the hospital posting has findings");
    assert_eq!(
        before.len(),
        after.len(),
        "the new paragraph adds no finding"
    );
    for ((rule_a, fp_a, line_a), (rule_b, fp_b, line_b)) in before.iter().zip(&after) {
        assert_eq!(rule_a, rule_b);
        assert_eq!(fp_a, fp_b, "{rule_a} keeps its fingerprint");
        assert_eq!(line_a + 2, *line_b, "{rule_a} moves down two lines");
    }
    let mut unique: Vec<_> = before.iter().map(|(_, fp, _)| fp).collect();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), before.len(), "fingerprints are distinct");
    for (_, fp, _) in &before {
        assert_eq!(fp.len(), 16);
        assert!(fp.chars().all(|c| c.is_ascii_hexdigit()));
    }
}

#[test]
fn fingerprints_tell_repeated_text_apart_and_ignore_case() {
    let linter = &*LINTER;
    let text = "## Qualifications\n\n- Bachelor's degree required.\n- A BACHELOR'S   DEGREE is required.\n";
    let findings = linter.check(text, driftlint::document::Format::Markdown);
    let same: Vec<_> = findings
        .iter()
        .filter(|f| f.rule == findings[0].rule)
        .cloned()
        .collect();
    assert_eq!(same.len(), 2, "both lines fire the same rule: {findings:?}");
    let fps = driftlint::report::fingerprints("p.md", &same);
    assert_ne!(
        fps[0], fps[1],
        "the second occurrence has its own fingerprint"
    );
    // Case and spacing do not matter: each is the same text to the fingerprint,
    // so swapping the two lines keeps the fingerprints in order.
    let swapped = "## Qualifications\n\n- A BACHELOR'S   DEGREE is required.\n- Bachelor's degree required.\n";
    let findings2 = linter.check(swapped, driftlint::document::Format::Markdown);
    let same2: Vec<_> = findings2
        .iter()
        .filter(|f| f.rule == same[0].rule)
        .cloned()
        .collect();
    assert_eq!(driftlint::report::fingerprints("p.md", &same2), fps);
    assert_ne!(
        driftlint::report::fingerprints("q.md", &same),
        fps,
        "the path counts"
    );
}

// ---------------------------------------------------------------- GitHub escaping

#[test]
fn github_escaping() {
    assert_eq!(
        escape_data("50% done\r\nnext: a, b"),
        "50%25 done%0D%0Anext: a, b"
    );
    assert_eq!(escape_property("dir,1/a:b%\n.md"), "dir%2C1/a%3Ab%25%0A.md");
    // `%` first, so an escape is never escaped twice.
    assert_eq!(escape_data("%0A"), "%250A");
}

#[test]
fn github_escapes_paths_in_annotations() {
    let dir = scratch("github");
    let path = dir.join("a,b:c%.md");
    std::fs::write(
        &path,
        "## Qualifications\n\n- Bachelor's degree in Social Work required\n",
    )
    .expect("writes posting");
    let out = render_paths(std::slice::from_ref(&path), OutputFormat::Github);
    let _ = std::fs::remove_dir_all(&dir);
    let first = out.lines().next().expect("an annotation");
    assert!(first.starts_with("::error file="), "{first}");
    assert!(first.contains("a%2Cb%3Ac%25.md,line=3,col="), "{first}");
    assert!(first.contains(",title=DL"), "{first}");
    let summary = out.lines().last().expect("summary");
    assert!(summary.starts_with("driftlint: "), "{summary}");
    assert!(summary.ends_with(" in 1 file"), "{summary}");
}

// ---------------------------------------------------------------- schema validation

/// Draft 4 has no `uri-reference` format (the schema uses it for artifact
/// URIs), so it is checked here: RFC 3986 characters and well-formed escapes.
fn is_uri_reference(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c == b'%' {
            let hex = |k: usize| b.get(k).is_some_and(u8::is_ascii_hexdigit);
            if !(hex(i + 1) && hex(i + 2)) {
                return false;
            }
            i += 3;
            continue;
        }
        if !(c.is_ascii_alphanumeric() || b"-._~:/?#[]@!$&'()*+,;=".contains(&c)) {
            return false;
        }
        i += 1;
    }
    true
}

fn validate(v: &Value) {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(Path::new("tests/data/sarif-schema-2.1.0.json"))
            .expect("reads schema"),
    )
    .expect("schema is JSON");
    let validator = jsonschema::draft4::options()
        .should_validate_formats(true)
        .with_format("uri-reference", is_uri_reference)
        .build(&schema)
        .expect("schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(v)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "SARIF output breaks the schema:\n{}",
        errors.join("\n")
    );
}

#[test]
fn sarif_validates_against_the_schema() {
    validate(&sample());
    validate(&ALL_FIXTURES);
}

#[test]
fn the_schema_check_catches_mistakes() {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string("tests/data/sarif-schema-2.1.0.json").expect("reads schema"),
    )
    .expect("schema is JSON");
    let validator = jsonschema::draft4::options()
        .should_validate_formats(true)
        .with_format("uri-reference", is_uri_reference)
        .build(&schema)
        .expect("schema compiles");
    let good = sample();
    assert!(validator.is_valid(&good));
    let mut bad_level = good.clone();
    bad_level["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(!validator.is_valid(&bad_level));
    let mut bad_uri = good.clone();
    bad_uri["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] =
        "a b.md".into();
    assert!(!validator.is_valid(&bad_uri));
    let mut bad_line = good;
    bad_line["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] =
        0.into();
    assert!(!validator.is_valid(&bad_line));
}

// ---------------------------------------------------------------- command line

#[test]
fn the_command_line_knows_the_formats() {
    use clap::ValueEnum;
    for (name, format) in [
        ("sarif", OutputFormat::Sarif),
        ("github", OutputFormat::Github),
        ("concise", OutputFormat::Concise),
    ] {
        assert_eq!(OutputFormat::from_str(name, false), Ok(format));
    }
    let out = Command::new(env!("CARGO_BIN_EXE_driftlint"))
        .args(["check", "--format", "sarif", HOSPITAL])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1), "findings exit 1");
    let v: Value = serde_json::from_slice(&out.stdout).expect("SARIF on stdout");
    assert_eq!(v["version"], "2.1.0");
    assert!(!results(&v).is_empty());
}
