//! Helpers the integration tests share: the built binary, temporary
//! folders that are removed when a test ends, and output as text.

// Each test crate uses some of these, none uses all.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The built `driftlint`, with `NO_COLOR` cleared so tests that expect
/// colour are not fooled by the environment they run in.
pub fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_driftlint"));
    c.env_remove("NO_COLOR");
    c
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A fresh temporary folder for one test, removed when the test ends.
pub struct TempDir(PathBuf);

impl std::ops::Deref for TempDir {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.0
    }
}

impl AsRef<Path> for TempDir {
    fn as_ref(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// `name` must be unique among the tests of one test file; test files run
/// as separate processes, whose ids keep them apart.
pub fn tempdir(name: &str) -> TempDir {
    let d = std::env::temp_dir().join(format!("driftlint-test-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("temp dir");
    TempDir(d)
}

/// Writes `dir/name` (creating folders on the way) and returns its path.
pub fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
    let p = dir.join(name);
    if let Some(parent) = p.parent() {
        std::fs::create_dir_all(parent).expect("parent folder");
    }
    std::fs::write(&p, bytes).expect("write input");
    p
}

/// A valid organisation rule (DL650, plant care as a menial duty) that
/// tests load with `--rules`, or break one part of.
pub const PLANT_RULE: &str = r###"
[[rule]]
id = "DL650"
name = "plant-care"
category = "menial-duty"
summary = "Plant care is given to the peer worker"
scope = ["duties"]
patterns = ['''\bwater\s+the\s+(?:office\s+)?plants\b''']
severity = { required = "warning", preferred = "info", unspecified = "info" }
message = "Plant care is assigned"
rationale = "Watering plants is not peer support."
suggestion = "Remove the duty."
citations = ["S6.menial"]

[rule.examples]
fire = ["## Duties\n- Water the office plants every morning"]
pass = ["## Duties\n- Support peers in their own goals", "## About us\nOur staff water the plants."]
"###;

/// A posting on which [`PLANT_RULE`] fires.
pub const PLANT_POSTING: &str = "## Duties\n\n- Water the office plants every morning\n";
