//! Document::parse (markdown) on arbitrary bytes, decoded lossily.

#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    common::document(data, driftlint::document::Format::Markdown);
});
