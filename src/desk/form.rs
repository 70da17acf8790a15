//! What a browser sends the desk: URL-encoded forms and `multipart/form-data` uploads, both read
//! with a size cap and trusted for nothing (a file's name is never used; its bytes say what it is).

/// A form's fields in the order sent.
#[derive(Debug, Clone, Default)]
pub struct Form(pub Vec<(String, String)>);

impl Form {
    pub fn urlencoded(bytes: &[u8]) -> Form {
        Form(url::form_urlencoded::parse(bytes).into_owned().collect())
    }

    /// The first value of `name`, or "".
    pub fn get(&self, name: &str) -> &str {
        self.0.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str())
    }

    /// Every value of `name`.
    pub fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    }

    pub fn has(&self, name: &str) -> bool {
        self.0.iter().any(|(k, _)| k == name)
    }
}

/// A comma-separated list as editors type it: `делегация, Цинхай` → two items.
pub fn list(text: &str) -> Vec<String> {
    text.split([',', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// A `multipart/form-data` body: its text fields, and its file parts' bytes by field name.
#[derive(Debug, Default)]
pub struct Multipart {
    pub fields: Form,
    pub files: Vec<(String, Vec<u8>)>,
}

/// Parses a multipart body sent with `content_type`; `None` when it is not one.
pub fn multipart(content_type: &str, body: &[u8]) -> Option<Multipart> {
    let boundary = content_type
        .split(';')
        .map(str::trim)
        .find_map(|p| p.strip_prefix("boundary="))?
        .trim_matches('"');
    if boundary.is_empty() || boundary.len() > 200 {
        return None;
    }
    let delimiter = format!("--{boundary}");
    let mut out = Multipart::default();
    let mut rest = body;
    // Skip the preamble up to the first delimiter.
    let start = find(rest, delimiter.as_bytes())?;
    rest = &rest[start + delimiter.len()..];
    loop {
        if rest.starts_with(b"--") {
            return Some(out);
        }
        rest = rest.strip_prefix(b"\r\n")?;
        let head_end = find(rest, b"\r\n\r\n")?;
        let head = std::str::from_utf8(&rest[..head_end]).ok()?;
        rest = &rest[head_end + 4..];
        let end = find(rest, format!("\r\n{delimiter}").as_bytes())?;
        let data = &rest[..end];
        rest = &rest[end + 2 + delimiter.len()..];
        let disposition = head
            .lines()
            .find(|l| l.to_ascii_lowercase().starts_with("content-disposition:"))?;
        let param = |key: &str| {
            disposition.split(';').map(str::trim).find_map(|p| {
                p.strip_prefix(key)
                    .and_then(|v| v.strip_prefix('='))
                    .map(|v| v.trim_matches('"').to_string())
            })
        };
        let name = param("name")?;
        if param("filename").is_some() {
            if !data.is_empty() {
                out.files.push((name, data.to_vec()));
            }
        } else {
            out.fields.0.push((name, String::from_utf8_lossy(data).into_owned()));
        }
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urlencoded_fields_keep_order_and_repeats() {
        let f = Form::urlencoded("partners=shanghai&partners=qinghai&title=%D0%90+%D0%91&draft=on".as_bytes());
        assert_eq!(f.all("partners"), ["shanghai", "qinghai"]);
        assert_eq!(f.get("title"), "А Б");
        assert!(f.has("draft") && !f.has("summary"));
        assert_eq!(f.get("summary"), "");
        assert_eq!(list(" a, ,b ,\nc"), ["a", "b", "c"]);
    }

    #[test]
    fn multipart_gives_fields_and_files_and_refuses_nonsense() {
        let body = b"preamble\r\n--XyZ\r\nContent-Disposition: form-data; name=\"id\"\r\n\r\n2025/x\r\n--XyZ\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"../../etc/passwd.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n\xff\xd8\xff\r\n\x00\r\n--XyZ--\r\n";
        let m = multipart("multipart/form-data; boundary=XyZ", body).unwrap();
        assert_eq!(m.fields.get("id"), "2025/x");
        assert_eq!(m.files, [("photo".to_string(), b"\xff\xd8\xff\r\n\x00".to_vec())]);
        assert!(multipart("multipart/form-data", body).is_none());
        assert!(multipart("multipart/form-data; boundary=XyZ", b"--XyZ\r\nno end").is_none());
    }
}
