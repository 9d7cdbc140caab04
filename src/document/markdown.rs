//! Markdown postings, read with pulldown-cmark's offset iterator so every
//! piece of text keeps its place in the file.

use pulldown_cmark::{Event, MetadataBlockKind, Options, Parser, Tag, TagEnd};

use super::{BlockKind, MappedBuilder, MappedText, RawBlock, close_block};

struct Open {
    kind: BlockKind,
    start: usize,
    /// Bytes of text seen outside and inside bold markup.
    plain_bytes: usize,
    bold_bytes: usize,
}

pub(crate) fn parse(src: &str) -> (MappedText, Vec<RawBlock>, Vec<(String, String)>) {
    let opts = Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
        | Options::ENABLE_PLUSES_DELIMITED_METADATA_BLOCKS;
    let mut b = MappedBuilder::with_capacity(src.len());
    let mut blocks = Vec::new();
    let mut metadata = Vec::new();
    let mut open: Option<Open> = None;
    // Inside code blocks, images, HTML blocks and front matter nothing is linted.
    let mut skip = 0usize;
    let mut in_metadata = false;
    let mut bold = 0usize;
    // One entry per open container: true for a list item.
    let mut items: Vec<bool> = Vec::new();

    let close = |b: &mut MappedBuilder, blocks: &mut Vec<RawBlock>, open: &mut Option<Open>, at| {
        if let Some(o) = open.take() {
            let all_bold = o.bold_bytes > 0 && o.plain_bytes == 0;
            close_block(b, blocks, o.kind, o.start, all_bold, at);
        }
    };

    for (event, range) in Parser::new_ext(src, opts).into_offset_iter() {
        match event {
            Event::Start(tag) => match tag {
                Tag::MetadataBlock(
                    MetadataBlockKind::YamlStyle | MetadataBlockKind::PlusesStyle,
                ) => {
                    in_metadata = true;
                    skip += 1;
                }
                Tag::CodeBlock(_) | Tag::Image { .. } | Tag::HtmlBlock => skip += 1,
                Tag::Strong => bold += 1,
                Tag::Heading { level, .. } => {
                    close(&mut b, &mut blocks, &mut open, range.start);
                    open = Some(Open::new(BlockKind::Heading(level as u8), b.len()));
                }
                Tag::Paragraph => {
                    close(&mut b, &mut blocks, &mut open, range.start);
                    let kind = if items.last() == Some(&true) {
                        BlockKind::ListItem
                    } else {
                        BlockKind::Paragraph
                    };
                    open = Some(Open::new(kind, b.len()));
                }
                Tag::Item => {
                    close(&mut b, &mut blocks, &mut open, range.start);
                    items.push(true);
                    open = Some(Open::new(BlockKind::ListItem, b.len()));
                }
                Tag::TableCell => {
                    close(&mut b, &mut blocks, &mut open, range.start);
                    open = Some(Open::new(BlockKind::TableCell, b.len()));
                }
                Tag::BlockQuote(_) | Tag::FootnoteDefinition(_) => {
                    close(&mut b, &mut blocks, &mut open, range.start);
                    items.push(false);
                }
                Tag::List(_) | Tag::Table(_) => close(&mut b, &mut blocks, &mut open, range.start),
                _ => {}
            },
            Event::End(tag) => match tag {
                TagEnd::MetadataBlock(_) => {
                    in_metadata = false;
                    skip = skip.saturating_sub(1);
                }
                TagEnd::CodeBlock | TagEnd::Image | TagEnd::HtmlBlock => {
                    skip = skip.saturating_sub(1)
                }
                TagEnd::Strong => bold = bold.saturating_sub(1),
                TagEnd::Heading(_) | TagEnd::Paragraph | TagEnd::TableCell => {
                    close(&mut b, &mut blocks, &mut open, range.end)
                }
                TagEnd::Item | TagEnd::BlockQuote(_) | TagEnd::FootnoteDefinition => {
                    close(&mut b, &mut blocks, &mut open, range.end);
                    items.pop();
                }
                _ => {}
            },
            Event::Text(text) if in_metadata => read_metadata(&text, &mut metadata),
            Event::Text(text) if skip == 0 => {
                let o = open.get_or_insert_with(|| {
                    let kind = if items.last() == Some(&true) {
                        BlockKind::ListItem
                    } else {
                        BlockKind::Paragraph
                    };
                    Open::new(kind, b.len())
                });
                if bold > 0 {
                    o.bold_bytes += text.len();
                } else if !text.trim().is_empty() {
                    o.plain_bytes += text.len();
                }
                match src.get(range.clone()) {
                    Some(s) if s == &*text => b.push_source(s, range.start),
                    _ => b.push_replacement(&text, range),
                }
            }
            Event::Code(_) | Event::InlineMath(_) | Event::DisplayMath(_) if skip == 0 => {
                // Code is not prose: keep a space so the words around it stay apart.
                if let Some(o) = open.as_mut() {
                    o.plain_bytes += 1;
                }
                b.push_synthetic(" ", range.start);
            }
            Event::SoftBreak | Event::HardBreak if skip == 0 && open.is_some() => {
                b.mark_break();
                b.push_synthetic(" ", range.start);
            }
            _ => {}
        }
    }
    close(&mut b, &mut blocks, &mut open, src.len());
    (b.finish(), blocks, metadata)
}

impl Open {
    fn new(kind: BlockKind, start: usize) -> Open {
        Open {
            kind,
            start,
            plain_bytes: 0,
            bold_bytes: 0,
        }
    }
}

/// Keeps simple `key: value` lines of YAML or TOML front matter.
fn read_metadata(text: &str, out: &mut Vec<(String, String)>) {
    for line in text.lines() {
        let Some((k, v)) = line.split_once(':').or_else(|| line.split_once('=')) else {
            continue;
        };
        let key = k.trim();
        if key.is_empty() || key.starts_with(['#', ' ', '-']) || k.starts_with([' ', '\t']) {
            continue;
        }
        let value = v.trim().trim_matches(['"', '\'']).trim();
        if !value.is_empty() {
            out.push((key.to_string(), value.to_string()));
        }
    }
}
