//! driftlint::source::decode, then Linter::check as Markdown and as plain text.

#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../common.rs"]
mod common;

fuzz_target!(
    // Compiling the rule set takes seconds in an instrumented build: do it
    // before fuzzing starts, outside libFuzzer's per-input -timeout.
    init: {
        common::linter();
    },
    |data: &[u8]| {
        common::check_bytes(data);
    }
);
