//! A posting as driftlint reads it: normalised text cut into blocks
//! (headings, paragraphs, list items, table cells), each block in a section,
//! and each block cut into units (sentences) with byte spans.
//!
//! Nothing here knows about rules: this is the reading half of the pipeline.

mod mapped;
mod markdown;
mod plain;
pub mod sections;
mod sentences;

use std::ops::Range;

pub use mapped::{MappedBuilder, MappedText};
pub use sections::{SectionKind, Strength};

/// How a posting's text is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Markdown,
    Plain,
}

impl Format {
    /// Picks the format from a file name: `.txt` and `.text` are plain text,
    /// everything else is read as Markdown (plain prose is valid Markdown).
    pub fn from_path(path: &str) -> Format {
        let ends = |suffix: &str| {
            path.len() >= suffix.len()
                && path.as_bytes()[path.len() - suffix.len()..]
                    .eq_ignore_ascii_case(suffix.as_bytes())
        };
        if ends(".txt") || ends(".text") {
            Format::Plain
        } else {
            Format::Markdown
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    /// A heading with its level (1-6; plain-text headings are level 2).
    Heading(u8),
    Paragraph,
    ListItem,
    TableCell,
}

/// A block before sections are known, as a parser emits it.
#[derive(Debug, Clone)]
pub(crate) struct RawBlock {
    pub kind: BlockKind,
    pub clean: Range<usize>,
    /// Markdown paragraph whose text is all bold: a candidate pseudo-heading.
    pub all_bold: bool,
}

#[derive(Debug, Clone)]
pub struct Block {
    pub kind: BlockKind,
    /// Range in [`Document::text`].
    pub clean: Range<usize>,
    pub section: SectionKind,
    /// Strength implied by the heading (e.g. "Assets" -> preferred).
    pub hint: Option<Strength>,
}

impl Block {
    pub fn is_heading(&self) -> bool {
        matches!(self.kind, BlockKind::Heading(_))
    }
}

/// The unit a rule's context is judged in: a sentence, or a short list item.
#[derive(Debug, Clone)]
pub struct Unit {
    /// Range in [`Document::text`].
    pub clean: Range<usize>,
    pub block: usize,
    pub section: SectionKind,
    pub hint: Option<Strength>,
}

#[derive(Debug, Clone, Default)]
pub struct Document {
    /// Normalised text of all blocks, separated by `\n`, with its source map.
    pub mapped: MappedText,
    pub blocks: Vec<Block>,
    pub units: Vec<Unit>,
    /// Front matter fields (`key: value`) of a Markdown file.
    pub metadata: Vec<(String, String)>,
}

impl Document {
    pub fn parse(source: &str, format: Format) -> Document {
        let (mapped, raw, metadata) = match format {
            Format::Markdown => markdown::parse(source),
            Format::Plain => plain::parse(source),
        };
        let blocks = sections::assign(&mapped.text, &raw);
        let units = sentences::units(&mapped, &blocks);
        Document {
            mapped,
            blocks,
            units,
            metadata,
        }
    }

    /// The normalised text rules match against.
    pub fn text(&self) -> &str {
        &self.mapped.text
    }

    /// Source byte range of a normalised range.
    pub fn src_range(&self, clean: Range<usize>) -> Range<usize> {
        self.mapped.src_range(clean)
    }

    /// Index of the unit holding normalised offset `at`, if any.
    pub fn unit_at(&self, at: usize) -> Option<usize> {
        let idx = self.units.partition_point(|u| u.clean.end <= at);
        (idx < self.units.len() && self.units[idx].clean.start <= at).then_some(idx)
    }

    /// Text of a unit.
    pub fn unit_text(&self, unit: usize) -> &str {
        &self.mapped.text[self.units[unit].clean.clone()]
    }
}

/// Closes a block: records it and separates it from the next with `\n`.
pub(crate) fn close_block(
    b: &mut MappedBuilder,
    blocks: &mut Vec<RawBlock>,
    kind: BlockKind,
    start: usize,
    all_bold: bool,
    src_end: usize,
) {
    let text = &b.text()[start..];
    let lead = text.len() - text.trim_start().len();
    let trail = text.len() - text.trim_end().len();
    let (s, e) = (start + lead, b.len() - trail);
    if s < e {
        blocks.push(RawBlock {
            kind,
            clean: s..e,
            all_bold,
        });
    }
    if !b.is_empty() {
        b.push_synthetic("\n", src_end);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sections_of(doc: &Document) -> Vec<(String, SectionKind)> {
        doc.units
            .iter()
            .map(|u| (doc.text()[u.clean.clone()].to_string(), u.section))
            .collect()
    }

    #[test]
    fn format_from_the_file_name_in_any_case() {
        for plain in ["a.txt", "b.TXT", "c.Text", "caf\u{e9}.txt", "dir.md/d.txt"] {
            assert_eq!(Format::from_path(plain), Format::Plain, "{plain}");
        }
        for md in ["a.md", "txt", "", ".tx", "a.txt.md", "a.html"] {
            assert_eq!(Format::from_path(md), Format::Markdown, "{md}");
        }
    }

    #[test]
    fn markdown_sections_and_units() {
        let src = "# Peer Support Worker\n\n## Responsibilities\n\n- Facilitate groups. Drive clients.\n\n## Qualifications\n\n* Lived experience\n\n## About us\n\nWe are a hospital.\n";
        let doc = Document::parse(src, Format::Markdown);
        let got = sections_of(&doc);
        assert!(got.contains(&("Drive clients.".into(), SectionKind::Duties)));
        assert!(got.contains(&("Lived experience".into(), SectionKind::Qualifications)));
        assert!(got.contains(&("We are a hospital.".into(), SectionKind::About)));
    }

    #[test]
    fn plain_text_headings_bullets_and_labels() {
        let src = "PEER SUPPORT WORKER\r\nReports to: Clinical Manager\r\n\r\nWHAT YOU'LL DO\r\n\u{2022} Run groups\r\n\u{2022} Clean the kitchen\r\n\r\nBenefits:\r\nTuition support\r\n";
        let doc = Document::parse(src, Format::Plain);
        let got = sections_of(&doc);
        assert!(got.contains(&(
            "Reports to: Clinical Manager".into(),
            SectionKind::Reporting
        )));
        assert!(got.contains(&("Clean the kitchen".into(), SectionKind::Duties)));
        assert!(got.contains(&("Tuition support".into(), SectionKind::Benefits)));
        for u in &doc.units {
            let r = doc.src_range(u.clean.clone());
            assert_eq!(
                src[r].replace("\r\n", " ").replace('\u{2022}', "").trim(),
                doc.text()[u.clean.clone()].trim()
            );
        }
    }

    #[test]
    fn markdown_skips_code_html_and_front_matter() {
        let src = "---\ntitle: Peer Worker\nemployer: Acme\n---\n\nText `MSW required` here.\n\n```\nBSW required\n```\n\n<!-- RN required -->\n";
        let doc = Document::parse(src, Format::Markdown);
        assert!(!doc.text().contains("MSW"));
        assert!(!doc.text().contains("BSW"));
        assert!(!doc.text().contains("RN required"));
        assert!(doc.metadata.contains(&("employer".into(), "Acme".into())));
    }

    #[test]
    fn inline_markup_is_dropped_and_spans_map_back() {
        let src = "- **Bachelor\u{2019}s** degree in _social work_ required\n";
        let doc = Document::parse(src, Format::Markdown);
        let at = doc.text().find("Bachelor's degree in social work").unwrap();
        let r = doc.src_range(at..at + "Bachelor's degree in social work".len());
        assert_eq!(&src[r], "Bachelor\u{2019}s** degree in _social work");
    }

    #[test]
    fn bold_and_colon_paragraphs_are_headings() {
        let src = "**What you bring**\n\n- Degree in social work\n\nNice to have:\n\n- Driver's licence\n";
        let doc = Document::parse(src, Format::Markdown);
        let got = sections_of(&doc);
        assert!(got.contains(&("Degree in social work".into(), SectionKind::Qualifications)));
        let lic = doc
            .units
            .iter()
            .find(|u| doc.text()[u.clean.clone()].starts_with("Driver"))
            .unwrap();
        assert_eq!(lic.hint, Some(Strength::Preferred));
    }
}
