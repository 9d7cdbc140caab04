//! The command line as users and CI meet it: exit codes, stdin, unreadable
//! inputs, folder walks and broken rule files.

mod common;

use std::io::Write;
use std::path::Path;
use std::process::{Output, Stdio};

use common::{PLANT_POSTING, PLANT_RULE, bin, stderr, stdout, tempdir};

fn run(args: &[&str], dir: &Path) -> Output {
    bin()
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .expect("runs")
}

fn run_stdin(args: &[&str], input: &str) -> Output {
    let mut child = bin()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawns");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("writes");
    child.wait_with_output().expect("waits")
}

const DRIFTED: &str = "# Peer Support Worker\n\n## Qualifications\n\n- Lived experience of mental health challenges\n- Bachelor's degree in Social Work required\n";
const CLEAN: &str = "# Peer Support Worker\n\n## Qualifications\n\n- Lived experience of mental health challenges\n- No degree is required\n";
const PREFERRED: &str = "# Peer Support Worker\n\n## Qualifications\n\n- Lived experience of mental health or substance use\n- A degree in social work is an asset\n";

#[test]
fn exit_codes_follow_fail_on() {
    let d = tempdir("exit");
    std::fs::write(d.join("drifted.md"), DRIFTED).unwrap();
    std::fs::write(d.join("clean.md"), CLEAN).unwrap();
    std::fs::write(d.join("preferred.md"), PREFERRED).unwrap();
    assert_eq!(run(&["check", "clean.md"], &d).status.code(), Some(0));
    assert_eq!(run(&["check", "drifted.md"], &d).status.code(), Some(1));
    assert_eq!(
        run(&["check", "--exit-zero", "drifted.md"], &d)
            .status
            .code(),
        Some(0)
    );
    // A warning fails at the default level but not with --fail-on error.
    assert_eq!(run(&["check", "preferred.md"], &d).status.code(), Some(1));
    assert_eq!(
        run(&["check", "--fail-on", "error", "preferred.md"], &d)
            .status
            .code(),
        Some(0)
    );
    assert_eq!(
        run(&["check", "--fail-on", "info", "clean.md"], &d)
            .status
            .code(),
        Some(0)
    );
}

#[test]
fn usage_errors_exit_2() {
    let d = tempdir("usage");
    assert_eq!(
        run(&["check", "--format", "nope"], &d).status.code(),
        Some(2)
    );
    assert_eq!(
        run(&["check", "--select", "DL999", "."], &d).status.code(),
        Some(2)
    );
    let o = run(&["explain", "no-such-rule"], &d);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no-such-rule"));
}

#[test]
fn stdin_with_a_name() {
    let o = run_stdin(
        &[
            "check",
            "-",
            "--stdin-filename",
            "posting.md",
            "--format",
            "jsonl",
        ],
        DRIFTED,
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let first = stdout(&o)
        .lines()
        .next()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .unwrap();
    assert_eq!(first["path"], "posting.md");
    assert_eq!(first["category"], "credential");
    assert_eq!(first["line"], 6);
}

#[test]
fn missing_file_is_reported_and_others_still_linted() {
    let d = tempdir("missing");
    std::fs::write(d.join("drifted.md"), DRIFTED).unwrap();
    let o = run(&["check", "--format", "jsonl", "nope.md", "drifted.md"], &d);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("nope.md: no such file or directory"),
        "{}",
        stderr(&o)
    );
    let lines: Vec<serde_json::Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines[0]["path"], "nope.md");
    assert!(lines[0]["error"].as_str().unwrap().contains("no such file"));
    assert!(
        lines
            .iter()
            .any(|l| l["path"] == "drifted.md" && l["category"] == "credential")
    );
}

#[test]
fn directory_walk_is_sorted_and_skips_hidden_and_other_extensions() {
    let d = tempdir("walk");
    std::fs::create_dir_all(d.join("postings/sub")).unwrap();
    std::fs::create_dir_all(d.join("postings/.hidden")).unwrap();
    std::fs::write(d.join("postings/b.md"), DRIFTED).unwrap();
    std::fs::write(
        d.join("postings/a.txt"),
        "QUALIFICATIONS\n- Bachelor's degree in Social Work required\n",
    )
    .unwrap();
    std::fs::write(d.join("postings/sub/c.markdown"), DRIFTED).unwrap();
    std::fs::write(d.join("postings/.hidden/d.md"), DRIFTED).unwrap();
    std::fs::write(d.join("postings/e.json"), DRIFTED).unwrap();
    let o = run(&["check", "--format", "json", "postings"], &d);
    assert_eq!(o.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let paths: Vec<&str> = doc["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        paths,
        vec!["postings/a.txt", "postings/b.md", "postings/sub/c.markdown"]
    );
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["summary"]["files"], 3);
}

#[test]
fn broken_rule_file_names_path_rule_and_field() {
    let d = tempdir("rules");
    std::fs::write(d.join("posting.md"), DRIFTED).unwrap();
    let bad_regex = r#"
[[rule]]
id = "DL150"
name = "our-own-rule"
category = "credential"
summary = "s"
patterns = ['''(unclosed''']
severity = { required = "error" }
message = "m"
rationale = "r"
suggestion = "s"
citations = ["S7.legal"]
"#;
    std::fs::write(d.join("bad.toml"), bad_regex).unwrap();
    let o = run(&["check", "--rules", "bad.toml", "posting.md"], &d);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("bad.toml") && err.contains("DL150") && err.contains("patterns"),
        "{err}"
    );

    std::fs::write(
        d.join("cite.toml"),
        bad_regex
            .replace("(unclosed", "ok")
            .replace("S7.legal", "S99"),
    )
    .unwrap();
    let err = stderr(&run(&["check", "--rules", "cite.toml", "posting.md"], &d));
    assert!(err.contains("citations") && err.contains("S99"), "{err}");

    std::fs::write(
        d.join("dup.toml"),
        bad_regex
            .replace("(unclosed", "ok")
            .replace("DL150", "DL101"),
    )
    .unwrap();
    let err = stderr(&run(&["check", "--rules", "dup.toml", "posting.md"], &d));
    assert!(
        err.contains("DL101") && err.contains("another rule"),
        "{err}"
    );

    std::fs::write(
        d.join("cat.toml"),
        bad_regex
            .replace("(unclosed", "ok")
            .replace("\"credential\"", "\"vibes\""),
    )
    .unwrap();
    let err = stderr(&run(&["check", "--rules", "cat.toml", "posting.md"], &d));
    assert!(err.contains("category") && err.contains("vibes"), "{err}");
}

#[test]
fn user_rules_are_added_to_the_builtin_set() {
    let d = tempdir("userrules");
    std::fs::write(d.join("posting.md"), PLANT_POSTING).unwrap();
    std::fs::write(d.join("org.toml"), PLANT_RULE).unwrap();
    let o = run(
        &[
            "check",
            "--rules",
            "org.toml",
            "--format",
            "jsonl",
            "posting.md",
        ],
        &d,
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    // The organisation's rule fires only when its file is given.
    let rules = rules_json(&stdout(&o));
    assert!(rules.contains(&"DL650".to_string()), "{rules:?}");
    let o = run(&["check", "--format", "jsonl", "posting.md"], &d);
    assert!(!stdout(&o).contains("DL650"));
}

/// The rule id of each JSON Lines finding.
fn rules_json(out: &str) -> Vec<String> {
    out.lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v["rule"].as_str().map(str::to_string))
        .collect()
}

#[test]
fn rules_and_explain_list_the_catalogue() {
    let d = tempdir("explain");
    let o = run(&["rules"], &d);
    assert_eq!(o.status.code(), Some(0));
    for cat in driftlint::rules::CATEGORIES {
        assert!(stdout(&o).contains(cat), "rules lists {cat}");
    }
    let o = run(&["explain", "DL101"], &d);
    let text = stdout(&o);
    assert!(
        text.contains("## Why this matters")
            && text.contains("Statement 7")
            && text.contains("## Wording that fires")
    );
}

#[test]
fn color_only_when_asked_and_never_with_no_color() {
    let d = tempdir("color");
    std::fs::write(d.join("drifted.md"), DRIFTED).unwrap();
    assert!(!stdout(&run(&["check", "drifted.md"], &d)).contains('\x1b'));
    assert!(stdout(&run(&["check", "--color", "always", "drifted.md"], &d)).contains('\x1b'));
    let o = bin()
        .args(["check", "--color", "always", "drifted.md"])
        .env("NO_COLOR", "1")
        .current_dir(&d)
        .output()
        .unwrap();
    assert!(!stdout(&o).contains('\x1b'));
}
