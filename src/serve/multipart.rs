//! A minimal `multipart/form-data` reader (RFC 7578), enough for a form that
//! uploads one posting: it splits the body at the boundary and reads each
//! part's `Content-Disposition` (field name and file name) and `Content-Type`.
//!
//! It works on the whole body in memory (the server caps its size first) and
//! never panics: a malformed body is an `Err` with a reason for people.

/// One part of a multipart body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part<'a> {
    /// The form field's name (`name="file"`).
    pub name: String,
    /// The uploaded file's name, when the part is a file.
    pub filename: Option<String>,
    pub content_type: Option<String>,
    pub data: &'a [u8],
}

/// At most this many parts are read: a form for one posting has one or two.
const MAX_PARTS: usize = 64;

/// The `boundary` parameter of a `multipart/form-data` content type, or
/// `None` when the type is something else or has no usable boundary.
pub fn boundary(content_type: &str) -> Option<String> {
    let mut params = split_params(content_type).into_iter();
    let kind = params.next()?;
    if !kind.trim().eq_ignore_ascii_case("multipart/form-data") {
        return None;
    }
    params
        .filter_map(|p| param(&p))
        .find(|(k, _)| k.eq_ignore_ascii_case("boundary"))
        .map(|(_, v)| v)
        .filter(|b| (1..=70).contains(&b.len()))
}

/// Splits a multipart body into its parts.
pub fn parse<'a>(body: &'a [u8], boundary: &str) -> Result<Vec<Part<'a>>, String> {
    let delim = [b"--", boundary.as_bytes()].concat();
    let mut close = b"\r\n".to_vec();
    close.extend_from_slice(&delim);

    // The first delimiter opens the body or follows a preamble line.
    let mut pos = if body.starts_with(&delim) {
        0
    } else {
        find(body, &close, 0).ok_or("no multipart boundary found in the body")? + 2
    };
    let mut parts = Vec::new();
    loop {
        let mut p = pos + delim.len();
        let rest = &body[p..];
        if rest.starts_with(b"--") {
            return Ok(parts);
        }
        // Transport padding, then the line break that ends the delimiter line.
        while matches!(body.get(p), Some(b' ' | b'\t')) {
            p += 1;
        }
        if !body[p..].starts_with(b"\r\n") {
            return Err("malformed multipart body: a boundary line does not end".into());
        }
        p += 2;
        let (headers, start) = if body[p..].starts_with(b"\r\n") {
            (&body[p..p], p + 2)
        } else {
            let end = find(body, b"\r\n\r\n", p)
                .ok_or("malformed multipart body: a part's headers do not end")?;
            (&body[p..end], end + 4)
        };
        let end = find(body, &close, start)
            .ok_or("malformed multipart body: it ends before its closing boundary")?;
        if parts.len() == MAX_PARTS {
            return Err(format!(
                "too many parts in the upload (at most {MAX_PARTS})"
            ));
        }
        parts.push(part(headers, &body[start..end])?);
        pos = end + 2;
    }
}

/// Reads a part's headers.
fn part<'a>(headers: &[u8], data: &'a [u8]) -> Result<Part<'a>, String> {
    let headers = String::from_utf8_lossy(headers);
    let mut name = None;
    let mut filename = None;
    let mut content_type = None;
    for line in headers.split("\r\n") {
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        if key.trim().eq_ignore_ascii_case("content-disposition") {
            let mut params = split_params(value).into_iter();
            if !params
                .next()
                .is_some_and(|d| d.trim().eq_ignore_ascii_case("form-data"))
            {
                return Err("malformed multipart body: a part is not form-data".into());
            }
            for (k, v) in params.filter_map(|p| param(&p)) {
                if k.eq_ignore_ascii_case("name") {
                    name = Some(v);
                } else if k.eq_ignore_ascii_case("filename") {
                    filename = Some(v);
                } else if k.eq_ignore_ascii_case("filename*") {
                    // RFC 5987 `UTF-8''name%20here`: wins over `filename`.
                    if let Some((_, encoded)) = v.split_once("''") {
                        filename = Some(super::percent_decode(encoded, false));
                    }
                }
            }
        } else if key.trim().eq_ignore_ascii_case("content-type") {
            content_type = Some(value.trim().to_string());
        }
    }
    let name = name.ok_or("malformed multipart body: a part has no field name")?;
    Ok(Part {
        name,
        filename,
        content_type,
        data,
    })
}

/// Splits a header value at `;` outside double quotes.
fn split_params(value: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut quoted = false;
    let mut escaped = false;
    for c in value.chars() {
        let cur = out.last_mut().expect("never empty");
        if escaped {
            escaped = false;
            cur.push(c);
        } else if quoted && c == '\\' {
            escaped = true;
            cur.push(c);
        } else if c == '"' {
            quoted = !quoted;
            cur.push(c);
        } else if c == ';' && !quoted {
            out.push(String::new());
        } else {
            cur.push(c);
        }
    }
    out
}

/// `key=value` or `key="quoted \"value\""`.
fn param(p: &str) -> Option<(String, String)> {
    let (k, v) = p.split_once('=')?;
    let v = v.trim();
    let v = match v.strip_prefix('"').and_then(|v| v.strip_suffix('"')) {
        Some(inner) => {
            let mut s = String::with_capacity(inner.len());
            let mut chars = inner.chars();
            while let Some(c) = chars.next() {
                if c == '\\' {
                    s.extend(chars.next());
                } else {
                    s.push(c);
                }
            }
            s
        }
        None => v.to_string(),
    };
    Some((k.trim().to_string(), v))
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    if needle.is_empty() {
        return None;
    }
    haystack
        .get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|i| i + from)
}

#[cfg(test)]
mod tests {
    use super::*;

    const CT: &str = "multipart/form-data; boundary=----WebKitFormBoundaryA1b2";

    fn body(parts: &[(&str, Option<&str>, &[u8])]) -> Vec<u8> {
        let mut b = Vec::new();
        for (name, filename, data) in parts {
            b.extend_from_slice(b"------WebKitFormBoundaryA1b2\r\n");
            match filename {
                Some(f) => b.extend_from_slice(
                    format!("Content-Disposition: form-data; name=\"{name}\"; filename=\"{f}\"\r\nContent-Type: text/markdown\r\n\r\n").as_bytes(),
                ),
                None => b.extend_from_slice(
                    format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes(),
                ),
            }
            b.extend_from_slice(data);
            b.extend_from_slice(b"\r\n");
        }
        b.extend_from_slice(b"------WebKitFormBoundaryA1b2--\r\n");
        b
    }

    #[test]
    fn reads_the_boundary() {
        assert_eq!(boundary(CT).as_deref(), Some("----WebKitFormBoundaryA1b2"));
        assert_eq!(
            boundary("Multipart/Form-Data; charset=utf-8; boundary=\"a b;c\"").as_deref(),
            Some("a b;c")
        );
        assert_eq!(boundary("text/plain; boundary=x"), None);
        assert_eq!(boundary("multipart/form-data"), None);
        assert_eq!(boundary("multipart/form-data; boundary="), None);
    }

    #[test]
    fn reads_a_file_and_a_field() {
        let data: &[u8] = b"## Qualifications\r\n- Bachelor\xE2\x80\x99s degree required\r\n";
        let b = body(&[
            ("format", None, b"plain"),
            ("file", Some("posting.md"), data),
        ]);
        let parts = parse(&b, "----WebKitFormBoundaryA1b2").unwrap();
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0].name, "format");
        assert_eq!(parts[0].data, b"plain");
        assert_eq!(parts[0].filename, None);
        assert_eq!(parts[1].name, "file");
        assert_eq!(parts[1].filename.as_deref(), Some("posting.md"));
        assert_eq!(parts[1].content_type.as_deref(), Some("text/markdown"));
        assert_eq!(parts[1].data, data);
    }

    #[test]
    fn keeps_boundary_like_text_inside_data() {
        let data: &[u8] = b"a line\r\n------WebKitFormBoundaryA1b\r\n--not it";
        let b = body(&[("file", Some("x.txt"), data)]);
        let parts = parse(&b, "----WebKitFormBoundaryA1b2").unwrap();
        assert_eq!(parts[0].data, data);
    }

    #[test]
    fn skips_a_preamble_and_reads_empty_parts() {
        let b = b"preamble\r\n--xyz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\"\r\n\r\n\r\n--xyz--";
        let parts = parse(b, "xyz").unwrap();
        assert_eq!(parts.len(), 1);
        assert_eq!(parts[0].filename.as_deref(), Some(""));
        assert_eq!(parts[0].data, b"");
    }

    #[test]
    fn unescapes_quoted_and_extended_file_names() {
        let b = b"--xyz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"say \\\"hi\\\"; ok.md\"\r\n\r\nx\r\n--xyz\r\ncontent-disposition: form-data; name=file; filename*=UTF-8''caf%C3%A9.txt\r\n\r\ny\r\n--xyz--\r\n";
        let parts = parse(b, "xyz").unwrap();
        assert_eq!(parts[0].filename.as_deref(), Some("say \"hi\"; ok.md"));
        assert_eq!(parts[1].filename.as_deref(), Some("café.txt"));
        assert_eq!(parts[1].data, b"y");
    }

    #[test]
    fn refuses_malformed_bodies() {
        for (b, why) in [
            (&b"no boundary here"[..], "no multipart boundary"),
            (
                b"--xyz\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nnever closed",
                "closing boundary",
            ),
            (
                b"--xyz\r\nContent-Disposition: form-data; name=\"file\"",
                "headers do not end",
            ),
            (b"--xyzgarbage\r\n", "does not end"),
            (
                b"--xyz\r\nContent-Disposition: attachment; name=\"file\"\r\n\r\nx\r\n--xyz--",
                "not form-data",
            ),
            (
                b"--xyz\r\nContent-Type: text/plain\r\n\r\nx\r\n--xyz--",
                "no field name",
            ),
        ] {
            let err = parse(b, "xyz").unwrap_err();
            assert!(err.contains(why), "{err}");
        }
    }

    #[test]
    fn limits_the_number_of_parts() {
        let mut b = Vec::new();
        for _ in 0..=MAX_PARTS {
            b.extend_from_slice(
                b"--xyz\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n",
            );
        }
        b.extend_from_slice(b"--xyz--");
        assert!(parse(&b, "xyz").unwrap_err().contains("too many parts"));
    }
}
