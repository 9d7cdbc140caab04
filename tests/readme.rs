//! README.md's rule table is the catalogue as `driftlint rules --markdown`
//! prints it. Regenerate with:
//! `cargo run -q -- rules --markdown` and paste between the markers.

use std::process::Command;

#[test]
fn readme_rule_table_is_current() {
    let out = Command::new(env!("CARGO_BIN_EXE_driftlint"))
        .args(["rules", "--markdown"])
        .output()
        .expect("runs");
    assert!(out.status.success());
    let table = String::from_utf8(out.stdout).expect("utf-8");
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md");
    let start = readme
        .find("<!-- rules-table:start -->\n")
        .expect("start marker")
        + "<!-- rules-table:start -->\n".len();
    let end = readme.find("<!-- rules-table:end -->").expect("end marker");
    assert_eq!(
        &readme[start..end],
        table,
        "README.md rule table is stale: run `cargo run -q -- rules --markdown`"
    );
}
