//! driftlint.toml discovery and precedence, inline suppression forms with
//! unused-directive reports, and exit codes for every --fail-on level.

mod common;

use std::path::Path;
use std::process::{Output, Stdio};

use common::{bin, tempdir};

fn run(dir: &Path, args: &[&str]) -> Output {
    bin()
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .expect("runs")
}

fn rules(o: &Output) -> Vec<String> {
    String::from_utf8_lossy(&o.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v["rule"].as_str().map(str::to_string))
        .collect()
}

const POSTING: &str = "# Peer Support Worker\n\n## Qualifications\n\n- Lived experience of mental health challenges\n- Bachelor of Social Work required\n- Satisfactory police check required\n";

#[test]
fn config_is_found_in_a_parent_and_flags_win() {
    let d = tempdir("discover");
    std::fs::create_dir_all(d.join("postings/2026")).unwrap();
    std::fs::write(d.join("postings/2026/p.md"), POSTING).unwrap();
    std::fs::write(d.join("driftlint.toml"), "ignore = [\"police-check\"]\n").unwrap();
    let sub = d.join("postings/2026");
    let got = rules(&run(&sub, &["check", "--format", "jsonl", "p.md"]));
    assert!(got.iter().any(|r| r.starts_with("DL1")), "{got:?}");
    assert!(
        !got.iter().any(|r| r.starts_with("DL2")),
        "config ignore applies: {got:?}"
    );
    // --isolated ignores the file; --select on the command line replaces the file's select.
    let got = rules(&run(
        &sub,
        &["check", "--isolated", "--format", "jsonl", "p.md"],
    ));
    assert!(got.iter().any(|r| r.starts_with("DL2")), "{got:?}");
    std::fs::write(d.join("driftlint.toml"), "select = [\"credential\"]\n").unwrap();
    let got = rules(&run(
        &sub,
        &[
            "check",
            "--select",
            "police-check",
            "--format",
            "jsonl",
            "p.md",
        ],
    ));
    assert!(
        got.iter().all(|r| r.starts_with("DL2")) && !got.is_empty(),
        "{got:?}"
    );
}

#[test]
fn config_errors_name_the_key_and_file() {
    let d = tempdir("cfgerr");
    std::fs::write(d.join("p.md"), POSTING).unwrap();
    std::fs::write(d.join("driftlint.toml"), "ignore = [\"DL999\"]\n").unwrap();
    let o = run(&d, &["check", "p.md"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("driftlint.toml") && err.contains("ignore") && err.contains("DL999"),
        "{err}"
    );
}

#[test]
fn severity_override_and_fail_on_from_config() {
    let d = tempdir("severity");
    std::fs::write(d.join("p.md"), POSTING).unwrap();
    std::fs::write(
        d.join("driftlint.toml"),
        "fail-on = \"error\"\n[severity]\ncredential = \"warning\"\npolice-check = \"off\"\n",
    )
    .unwrap();
    let o = run(&d, &["check", "--format", "jsonl", "p.md"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "only warnings left, fail-on error"
    );
    let o = run(&d, &["check", "--fail-on", "warning", "p.md"]);
    assert_eq!(o.status.code(), Some(1), "the flag wins over the file");
}

#[test]
fn every_fail_on_level() {
    let d = tempdir("failon");
    // Only an info-level finding: a credential with a lived-experience route.
    std::fs::write(
        d.join("info.md"),
        "## Qualifications\n\n- Lived experience of mental health challenges\n- Diploma in Social Service Work, or an equivalent combination of lived experience and peer support training\n",
    )
    .unwrap();
    let got = rules(&run(
        &d,
        &["check", "--isolated", "--format", "jsonl", "info.md"],
    ));
    assert!(!got.is_empty(), "an info finding exists");
    assert_eq!(
        run(&d, &["check", "--isolated", "--fail-on", "info", "info.md"])
            .status
            .code(),
        Some(1)
    );
    assert_eq!(
        run(
            &d,
            &["check", "--isolated", "--fail-on", "warning", "info.md"]
        )
        .status
        .code(),
        Some(0)
    );
    assert_eq!(
        run(
            &d,
            &["check", "--isolated", "--fail-on", "error", "info.md"]
        )
        .status
        .code(),
        Some(0)
    );
}

#[test]
fn markdown_suppression_forms() {
    let d = tempdir("suppress");
    let text = "## Qualifications\n\n\
<!-- driftlint-disable-next-line credential -- approved by the panel -->\n\
- Bachelor of Social Work required\n\
- Master of Social Work required\n\
<!-- driftlint-disable DL201 -->\n\
- Satisfactory police check required\n\
<!-- driftlint-enable DL201 -->\n\
- Criminal record check required\n\
<!-- driftlint-disable-next-line DL301 -->\n\
- Lived experience\n";
    std::fs::write(d.join("p.md"), text).unwrap();
    let o = run(&d, &["check", "--isolated", "--format", "jsonl", "p.md"]);
    let got = rules(&o);
    // Line 4 suppressed, line 5 reported; line 7 suppressed, line 9 reported;
    // the DL301 directive suppresses nothing and is reported.
    let lines: Vec<(String, u64)> = String::from_utf8_lossy(&o.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .map(|v| {
            (
                v["rule"].as_str().unwrap_or("").to_string(),
                v["line"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    assert!(!lines.iter().any(|(_, l)| *l == 4 || *l == 7), "{lines:?}");
    assert!(
        lines.iter().any(|(r, l)| r.starts_with("DL1") && *l == 5),
        "{lines:?}"
    );
    assert!(
        lines.iter().any(|(r, l)| r.starts_with("DL2") && *l == 9),
        "{lines:?}"
    );
    assert!(lines.contains(&("DL001".to_string(), 10)), "{lines:?}");
    // --no-inline-config ignores them all.
    let all = rules(&run(
        &d,
        &[
            "check",
            "--isolated",
            "--no-inline-config",
            "--format",
            "jsonl",
            "p.md",
        ],
    ));
    assert!(
        all.len() > got.len() - 1 && !all.contains(&"DL001".to_string()),
        "{all:?}"
    );
}

#[test]
fn disable_file_and_plain_text_directives() {
    let d = tempdir("plain");
    std::fs::write(
        d.join("f.md"),
        format!("<!-- driftlint-disable-file -->\n{POSTING}"),
    )
    .unwrap();
    assert!(
        rules(&run(
            &d,
            &["check", "--isolated", "--format", "jsonl", "f.md"]
        ))
        .is_empty()
    );
    std::fs::write(
        d.join("p.txt"),
        "QUALIFICATIONS\n# driftlint-disable-next-line credential\n- Bachelor of Social Work required\n// driftlint-disable-next-line police-check\n- Satisfactory police check required\n",
    )
    .unwrap();
    let got = rules(&run(
        &d,
        &["check", "--isolated", "--format", "jsonl", "p.txt"],
    ));
    assert!(got.is_empty(), "{got:?}");
}

#[test]
fn allow_list_accepts_reviewed_wording() {
    let d = tempdir("allow");
    std::fs::write(d.join("p.md"), POSTING).unwrap();
    std::fs::write(d.join("driftlint.toml"), "allow = [\"police check\"]\n").unwrap();
    let got = rules(&run(&d, &["check", "--format", "jsonl", "p.md"]));
    assert!(
        !got.iter().any(|r| r.starts_with("DL2")) && got.iter().any(|r| r.starts_with("DL1")),
        "{got:?}"
    );
}
