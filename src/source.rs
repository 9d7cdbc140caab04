//! Finding and reading postings: walking folders, reading files and stdin,
//! decoding text. Every problem is reported with the path and the reason;
//! nothing here stops the other files from being read.

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::document::Format;

/// File extensions read when walking a folder.
pub const DEFAULT_EXTENSIONS: &[&str] = &["md", "markdown", "txt"];

/// Default `--max-file-size`: 100 MiB.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 100 * 1024 * 1024;

/// A posting's text, ready to lint.
#[derive(Debug, Clone)]
pub struct Source {
    /// The path as shown to people (`-` or `--stdin-filename` for stdin).
    pub path: String,
    pub text: String,
    pub format: Format,
    /// Things worth knowing that did not stop the file being linted
    /// (invalid UTF-8 replaced, a byte order mark removed).
    pub notes: Vec<String>,
}

/// Something to read: a file found on disk, or an error met while walking.
#[derive(Debug, Clone)]
pub enum Input {
    File(PathBuf),
    Stdin,
    /// A path that could not be walked, with the reason.
    Error(String, String),
}

impl Input {
    pub fn display(&self, stdin_name: Option<&str>) -> String {
        match self {
            Input::File(p) => display_path(p),
            Input::Stdin => stdin_name.unwrap_or("-").to_string(),
            Input::Error(p, _) => p.clone(),
        }
    }
}

/// A path as people expect to see it: relative to the working directory
/// where it lies below it, without a leading `./`.
pub fn display_path(p: &Path) -> String {
    let rel = std::env::current_dir()
        .ok()
        .and_then(|cwd| p.strip_prefix(cwd).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| p.to_path_buf());
    let s = rel.display().to_string();
    s.strip_prefix("./").map(str::to_string).unwrap_or(s)
}

fn is_hidden(entry: &walkdir::DirEntry) -> bool {
    entry.depth() > 0
        && entry
            .file_name()
            .to_str()
            .is_some_and(|n| n.starts_with('.'))
}

/// Expands the command line's paths into inputs, in a stable order: paths in
/// the order given, folder contents sorted by name, hidden entries skipped.
pub fn collect(paths: &[PathBuf], extensions: &[&str]) -> Vec<Input> {
    let mut out = Vec::new();
    for p in paths {
        if p.as_os_str() == "-" {
            out.push(Input::Stdin);
            continue;
        }
        let meta = match std::fs::metadata(p) {
            Ok(m) => m,
            Err(e) => {
                out.push(Input::Error(display_path(p), io_reason(&e)));
                continue;
            }
        };
        if !meta.is_dir() {
            // A file named on the command line is read whatever its extension.
            out.push(Input::File(p.clone()));
            continue;
        }
        let walker = walkdir::WalkDir::new(p)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| !is_hidden(e));
        for entry in walker {
            match entry {
                Ok(e) if e.file_type().is_file() => {
                    let ext = e.path().extension().and_then(|x| x.to_str()).unwrap_or("");
                    if extensions.iter().any(|x| x.eq_ignore_ascii_case(ext)) {
                        out.push(Input::File(e.into_path()));
                    }
                }
                Ok(_) => {}
                Err(e) => {
                    let path = e.path().map_or_else(|| display_path(p), display_path);
                    let reason = if e.loop_ancestor().is_some() {
                        "symbolic link loop".to_string()
                    } else if let Some(io) = e.io_error() {
                        io_reason(io)
                    } else {
                        e.to_string()
                    };
                    out.push(Input::Error(path, reason));
                }
            }
        }
    }
    out
}

/// A short reason for an I/O error, without the OS error number.
pub fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => {
            let s = e.to_string();
            match s.find(" (os error") {
                Some(i) => s[..i].to_string(),
                None => s,
            }
        }
    }
}

/// Reads one input. `stdin_name` names stdin for format detection and display.
pub fn read(input: &Input, stdin_name: Option<&str>, max_size: u64) -> Result<Source, String> {
    let (path, bytes) = match input {
        Input::Error(_, reason) => return Err(reason.clone()),
        Input::Stdin => {
            let mut buf = Vec::new();
            std::io::stdin()
                .take(max_size.saturating_add(1))
                .read_to_end(&mut buf)
                .map_err(|e| format!("cannot read standard input: {}", io_reason(&e)))?;
            if buf.len() as u64 > max_size {
                return Err(format!(
                    "larger than the {max_size}-byte limit (--max-file-size)"
                ));
            }
            (stdin_name.unwrap_or("-").to_string(), buf)
        }
        Input::File(p) => {
            let meta = std::fs::metadata(p).map_err(|e| io_reason(&e))?;
            if meta.len() > max_size {
                return Err(format!(
                    "file is {} bytes, larger than the {max_size}-byte limit (--max-file-size)",
                    meta.len()
                ));
            }
            let bytes = std::fs::read(p).map_err(|e| io_reason(&e))?;
            (display_path(p), bytes)
        }
    };
    let (text, notes) = decode(bytes)?;
    Ok(Source {
        format: Format::from_path(&path),
        path,
        text,
        notes,
    })
}

/// Decodes file bytes: UTF-8 (with or without a byte order mark), UTF-16 with
/// a byte order mark, or UTF-8 with invalid bytes replaced (noted). Binary
/// files are refused.
pub fn decode(bytes: Vec<u8>) -> Result<(String, Vec<String>), String> {
    let mut notes = Vec::new();
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return match String::from_utf8(rest.to_vec()) {
            Ok(s) => Ok((s, notes)),
            Err(e) => {
                notes.push("invalid UTF-8 replaced with U+FFFD".into());
                Ok((String::from_utf8_lossy(e.as_bytes()).into_owned(), notes))
            }
        };
    }
    let utf16 = |body: &[u8], le: bool| -> String {
        let units = body.chunks(2).map(|c| {
            let pair = [c[0], *c.get(1).unwrap_or(&0)];
            if le {
                u16::from_le_bytes(pair)
            } else {
                u16::from_be_bytes(pair)
            }
        });
        char::decode_utf16(units)
            .map(|r| r.unwrap_or(char::REPLACEMENT_CHARACTER))
            .collect()
    };
    if let Some(body) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return Ok((utf16(body, true), notes));
    }
    if let Some(body) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return Ok((utf16(body, false), notes));
    }
    if looks_binary(&bytes) {
        return Err("binary file (not a text posting); skipped".into());
    }
    match String::from_utf8(bytes) {
        Ok(s) => Ok((s, notes)),
        Err(e) => {
            notes.push("invalid UTF-8 replaced with U+FFFD".into());
            Ok((String::from_utf8_lossy(e.as_bytes()).into_owned(), notes))
        }
    }
}

/// A NUL byte in the first 8 KiB marks a binary file, as git and ripgrep judge.
fn looks_binary(bytes: &[u8]) -> bool {
    bytes[..bytes.len().min(8192)].contains(&0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_boms_and_utf16() {
        assert_eq!(decode(b"\xEF\xBB\xBFhi".to_vec()).unwrap().0, "hi");
        assert_eq!(decode(b"\xFF\xFEh\0i\0".to_vec()).unwrap().0, "hi");
        assert_eq!(decode(b"\xFE\xFF\0h\0i".to_vec()).unwrap().0, "hi");
    }

    #[test]
    fn invalid_utf8_is_replaced_with_a_note() {
        let (text, notes) = decode(b"degree \xFF required".to_vec()).unwrap();
        assert_eq!(text, "degree \u{FFFD} required");
        assert_eq!(notes.len(), 1);
    }

    #[test]
    fn binary_is_refused() {
        assert!(
            decode(b"\x7fELF\0\0\x01".to_vec())
                .unwrap_err()
                .contains("binary")
        );
    }
}
