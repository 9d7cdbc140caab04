//! Word (.docx) postings to Markdown-like text.
//!
//! A .docx file is a zip archive; the text is in `word/document.xml`
//! (WordprocessingML), read here with `quick-xml`. Paragraph styles come from
//! `word/styles.xml` when it is there:
//!
//! - a paragraph styled Title or Heading 1-6 (by style name, style id such as
//!   `Heading2`, or the style's outline level) becomes a `#` heading;
//! - a numbered or bulleted paragraph (`w:numPr`, or a style whose name
//!   starts with "List") becomes `- item`;
//! - every other paragraph, including each paragraph of a table cell,
//!   becomes a paragraph. A line break (`w:br`) ends a block, a tab is a
//!   space. Deleted revisions, field codes, headers, footers and comments are
//!   not read.
//!
//! Each block's element is a path into `word/document.xml` such as
//! `w:body/w:tbl[1]/w:tr[2]/w:tc[1]/w:p[1]` (1-based positions among
//! elements of the same name).

use std::collections::HashMap;
use std::io::{Cursor, Read};

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::{BlockStyle, Extracted};

/// Extracts a .docx file's text. `max_size` bounds each XML part once
/// decompressed, so a zip bomb is refused rather than read.
pub fn extract(bytes: &[u8], max_size: u64) -> Result<Extracted, String> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| format!("not a readable .docx file (zip archive: {e})"))?;
    let styles = match part(&mut zip, "word/styles.xml", max_size) {
        Ok(Some(xml)) => read_styles(&xml),
        _ => HashMap::new(),
    };
    let doc = part(&mut zip, "word/document.xml", max_size)?
        .ok_or("not a Word document: the .docx file has no word/document.xml")?;
    read_document(&doc, &styles)
}

/// One part of the archive as text, or `None` when it is missing.
fn part<R: Read + std::io::Seek>(
    zip: &mut zip::ZipArchive<R>,
    name: &str,
    max_size: u64,
) -> Result<Option<String>, String> {
    let file = match zip.by_name(name) {
        Ok(f) => f,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(format!("cannot read {name} in the .docx file: {e}")),
    };
    let mut buf = Vec::new();
    file.take(max_size.saturating_add(1))
        .read_to_end(&mut buf)
        .map_err(|e| format!("cannot read {name} in the .docx file: {e}"))?;
    if buf.len() as u64 > max_size {
        return Err(format!(
            "{name} in the .docx file is larger than the {max_size}-byte limit (--max-file-size)"
        ));
    }
    Ok(Some(String::from_utf8_lossy(&buf).into_owned()))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    Heading(u8),
    List,
}

/// The value of an attribute such as `w:val`.
fn attr(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.try_get_attribute(name).ok().flatten().and_then(|a| {
        a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .ok()
            .map(|v| v.into_owned())
    })
}

/// What a style id or name says about a paragraph.
fn style_from_name(name: &str) -> Option<Style> {
    let n = name.to_ascii_lowercase().replace(' ', "");
    if n == "title" {
        return Some(Style::Heading(1));
    }
    if let Some(level) = n.strip_prefix("heading")
        && let Ok(l @ 1..=6) = level.parse::<u8>()
    {
        return Some(Style::Heading(l));
    }
    n.starts_with("list").then_some(Style::List)
}

/// Paragraph style ids that make headings or list items.
fn read_styles(xml: &str) -> HashMap<String, Style> {
    let mut out = HashMap::new();
    let mut reader = Reader::from_str(xml);
    let mut current: Option<(String, Option<Style>)> = None;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) => match e.name().as_ref() {
                "w:style" => {
                    let paragraph = attr(&e, "w:type").is_none_or(|t| t == "paragraph");
                    current = attr(&e, "w:styleId")
                        .filter(|_| paragraph)
                        .map(|id| (id.clone(), style_from_name(&id)));
                }
                "w:name" => {
                    if let (Some((_, style)), Some(v)) = (current.as_mut(), attr(&e, "w:val"))
                        && let Some(s) = style_from_name(&v)
                    {
                        *style = Some(s);
                    }
                }
                "w:outlineLvl" => {
                    if let (Some((_, style)), Some(v)) = (current.as_mut(), attr(&e, "w:val"))
                        && let Ok(l @ 0..=5) = v.parse::<u8>()
                    {
                        *style = Some(Style::Heading(l + 1));
                    }
                }
                "w:numPr" => {
                    if let Some((_, style @ None)) = current.as_mut() {
                        *style = Some(Style::List);
                    }
                }
                _ => {}
            },
            Ok(Event::End(e)) if e.name().as_ref() == "w:style" => {
                if let Some((id, Some(style))) = current.take() {
                    out.insert(id, style);
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    out
}

/// An open element: its name, and how many children of each name it has
/// had so far (for `[n]` positions).
struct Frame {
    name: String,
    index: usize,
    children: HashMap<String, usize>,
}

#[derive(Default)]
struct Paragraph {
    style: Option<String>,
    numbered: bool,
    text: String,
    path: String,
}

fn read_document(xml: &str, styles: &HashMap<String, Style>) -> Result<Extracted, String> {
    let mut out = Extracted::default();
    let mut reader = Reader::from_str(xml);
    let mut stack: Vec<Frame> = Vec::new();
    let mut para: Option<Paragraph> = None;
    let mut in_text = false;
    loop {
        let event = reader.read_event().map_err(|e| {
            format!(
                "word/document.xml in the .docx file is not well-formed XML (byte {}): {e}",
                reader.error_position()
            )
        })?;
        let empty = matches!(event, Event::Empty(_));
        match event {
            Event::Start(e) | Event::Empty(e) => {
                let name = e.name().as_ref().to_string();
                let index = stack.last_mut().map_or(1, |f| {
                    let n = f.children.entry(name.clone()).or_insert(0);
                    *n += 1;
                    *n
                });
                match name.as_str() {
                    "w:p" => {
                        para = Some(Paragraph {
                            path: path(&stack, &name, index),
                            ..Paragraph::default()
                        })
                    }
                    "w:pStyle" => {
                        if let Some(p) = para.as_mut() {
                            p.style = attr(&e, "w:val");
                        }
                    }
                    "w:numPr" => {
                        if let Some(p) = para.as_mut() {
                            p.numbered = true;
                        }
                    }
                    "w:t" => in_text = !empty,
                    "w:tab" | "w:noBreakHyphen" => {
                        if let Some(p) = para.as_mut() {
                            p.text.push(if name == "w:tab" { ' ' } else { '-' });
                        }
                    }
                    "w:br" | "w:cr" => {
                        if let Some(p) = para.as_mut() {
                            let text = std::mem::take(&mut p.text);
                            emit(&mut out, p, &text, styles);
                        }
                    }
                    _ => {}
                }
                if !empty {
                    stack.push(Frame {
                        name,
                        index,
                        children: HashMap::new(),
                    });
                }
            }
            Event::Text(t) if in_text => {
                if let Some(p) = para.as_mut() {
                    p.text.push_str(&t);
                }
            }
            Event::GeneralRef(r) if in_text => {
                if let Some(p) = para.as_mut() {
                    let c = match r.resolve_char_ref() {
                        Ok(Some(c)) => Some(c),
                        _ => quick_xml::escape::resolve_predefined_entity(&r)
                            .and_then(|s| s.chars().next()),
                    };
                    p.text.extend(c);
                }
            }
            Event::End(e) => {
                match e.name().as_ref() {
                    "w:t" => in_text = false,
                    "w:p" => {
                        if let Some(p) = para.take() {
                            emit(&mut out, &p, &p.text, styles);
                        }
                    }
                    _ => {}
                }
                stack.pop();
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(out)
}

/// `w:body/w:p[3]` for the element `name` at `index` under `stack`.
fn path(stack: &[Frame], name: &str, index: usize) -> String {
    let mut segs: Vec<String> = stack
        .iter()
        .filter(|f| f.name != "w:document")
        .map(|f| {
            if f.name == "w:body" {
                f.name.clone()
            } else {
                format!("{}[{}]", f.name, f.index)
            }
        })
        .collect();
    segs.push(format!("{name}[{index}]"));
    segs.join("/")
}

fn emit(out: &mut Extracted, p: &Paragraph, text: &str, styles: &HashMap<String, Style>) {
    let style = p
        .style
        .as_deref()
        .and_then(|s| styles.get(s).copied().or_else(|| style_from_name(s)));
    let block = match style {
        Some(Style::Heading(n)) => BlockStyle::Heading(n),
        Some(Style::List) => BlockStyle::Item,
        None if p.numbered => BlockStyle::Item,
        None => BlockStyle::Paragraph,
    };
    out.push_block(block, text, &p.path);
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>
<w:p><w:pPr><w:pStyle w:val="Title"/></w:pPr><w:r><w:t>Peer Support Worker</w:t></w:r></w:p>
<w:p><w:pPr><w:pStyle w:val="Berschrift2"/></w:pPr><w:r><w:t>Requirements</w:t></w:r></w:p>
<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:t xml:space="preserve">Police </w:t></w:r><w:r><w:t>check &amp; more</w:t></w:r></w:p>
<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Reports to</w:t><w:tab/><w:t>Nurse</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
</w:body></w:document>"#;

    #[test]
    fn styles_lists_and_tables() {
        let mut styles = HashMap::new();
        styles.insert("Berschrift2".to_string(), Style::Heading(2));
        let x = read_document(DOC, &styles).unwrap();
        assert_eq!(
            x.text,
            "# Peer Support Worker\n\n## Requirements\n\n- Police check & more\n\nReports to Nurse"
        );
        assert_eq!(x.elements[2].1, "w:body/w:p[3]");
        assert_eq!(x.elements[3].1, "w:body/w:tbl[1]/w:tr[1]/w:tc[1]/w:p[1]");
    }

    #[test]
    fn style_names_and_outline_levels() {
        let styles = read_styles(
            r#"<w:styles><w:style w:type="paragraph" w:styleId="berschrift1"><w:name w:val="heading 1"/></w:style>
            <w:style w:type="paragraph" w:styleId="Custom"><w:pPr><w:outlineLvl w:val="2"/></w:pPr></w:style>
            <w:style w:type="paragraph" w:styleId="Aufz"><w:name w:val="List Bullet"/></w:style>
            <w:style w:type="character" w:styleId="Heading1Char"/></w:styles>"#,
        );
        assert_eq!(styles.get("berschrift1"), Some(&Style::Heading(1)));
        assert_eq!(styles.get("Custom"), Some(&Style::Heading(3)));
        assert_eq!(styles.get("Aufz"), Some(&Style::List));
        assert_eq!(styles.get("Heading1Char"), None);
    }

    #[test]
    fn not_a_zip_is_an_error() {
        assert!(extract(b"plain text", 1000).unwrap_err().contains("docx"));
    }
}
