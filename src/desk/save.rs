//! Writing what an editor sent back into the article files, as they would by hand: the front
//! matter edited in place with `toml_edit` (comments, key order and keys the desk does not
//! know are kept), the file replaced atomically, and a file that changed on disk since it was
//! opened never overwritten. Deleting moves a file to the trash folder.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{anyhow, Context as _, Result};
use toml_edit::{Array, ArrayOfTables, DocumentMut, Item, Table, Value};

use crate::content::frontmatter;

/// Where deleted files go, under the site root (not under `content/`: the build never sees it).
pub const TRASH_DIR: &str = ".twinpress-trash";

/// The fields an article's languages share: written alike into each language file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Shared {
    pub date: String,
    pub region: String,
    pub partners: Vec<String>,
    /// The photos' file names, the lead first.
    pub photos: Vec<String>,
}

/// One language's fields.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Words {
    pub title: String,
    pub tags: Vec<String>,
    pub summary: String,
    pub source: String,
    pub source_url: String,
    pub photo_credit: String,
    pub draft: bool,
    /// Per photo of [`Shared::photos`], in order: alt text and caption.
    pub photos: Vec<(String, String)>,
    pub body: String,
}

/// `text` (a whole article file) with its front matter changed in place by `edit`, and its
/// body replaced by `body` when given and different. What the edit leaves alone stays byte for
/// byte as it was (the opening lines, the closing fence, the body), so a file whose fields did
/// not change comes back identical and is not written.
pub(crate) fn edit_front(
    text: &str,
    body: Option<&str>,
    edit: impl FnOnce(&mut DocumentMut),
) -> Result<String, String> {
    let split = frontmatter::split(text).map_err(|e| format!("line {}: {}", e.line, e.message))?;
    let mut doc: DocumentMut = split
        .front
        .parse()
        .map_err(|e: toml_edit::TomlError| format!("the front matter is not TOML: {}", e.message()))?;
    edit(&mut doc);
    // The pieces of the file around the front matter, as they are.
    let offset = |piece: &str| piece.as_ptr() as usize - text.as_ptr() as usize;
    let front_start = offset(split.front);
    let front_end = front_start + split.front.len();
    let body_start = offset(split.body);
    let mut front = doc.to_string();
    if !front.is_empty() && !front.ends_with('\n') {
        front.push('\n');
    }
    let new_body = body
        .map(|b| b.replace("\r\n", "\n"))
        .filter(|b| b.trim() != split.body.replace("\r\n", "\n").trim());
    let mut out = String::with_capacity(text.len() + 64);
    out.push_str(&text[..front_start]);
    out.push_str(if front == split.front { split.front } else { &front });
    out.push_str(&text[front_end..body_start]);
    match new_body {
        Some(body) => {
            out.push('\n');
            out.push_str(body.trim_end());
            out.push('\n');
        }
        None => out.push_str(&text[body_start..]),
    }
    Ok(out)
}

/// `text` with the photo `file` added last to `[[photos]]`, with its alt text in this file's
/// language.
pub fn add_photo(text: &str, file: &str, alt: &str) -> Result<String, String> {
    edit_front(text, None, |doc| {
        let mut table = Table::new();
        table["file"] = toml_edit::value(file);
        table["alt"] = toml_edit::value(alt.trim());
        match doc.get_mut("photos") {
            Some(Item::ArrayOfTables(a)) => a.push(table),
            _ => {
                let mut a = ArrayOfTables::new();
                a.push(table);
                doc.insert("photos", Item::ArrayOfTables(a));
            }
        }
    })
}

/// `text` (a whole article file) with `shared` and `words` written into it.
pub fn rewrite(text: &str, shared: &Shared, words: &Words) -> Result<String, String> {
    edit_front(text, Some(&words.body), |doc| write_fields(doc, shared, words))
}

fn write_fields(doc: &mut DocumentMut, shared: &Shared, words: &Words) {
    set_str(doc, "title", words.title.trim(), true);
    let date = shared.date.trim();
    match date.parse::<toml_edit::Datetime>() {
        Ok(d) => set(doc, "date", Value::from(d)),
        // Left as text: the build's check says what is wrong with it, beside the field.
        Err(_) => set(doc, "date", Value::from(date)),
    }
    set_str(doc, "region", shared.region.trim(), true);
    set(doc, "partners", Value::Array(strings(&shared.partners)));
    set(doc, "tags", Value::Array(strings(&words.tags)));
    for (key, value) in [
        ("summary", &words.summary),
        ("source", &words.source),
        ("source_url", &words.source_url),
        ("photo_credit", &words.photo_credit),
    ] {
        set_str(doc, key, value.trim(), false);
    }
    // `draft = false` is what a missing key says: not added to a file that does not have it.
    if words.draft || doc.contains_key("draft") {
        set(doc, "draft", Value::from(words.draft));
    }
    set_photos(doc, shared, words);
}

fn strings(list: &[String]) -> Array {
    let mut a = Array::new();
    for s in list.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
        a.push(s);
    }
    a
}

/// Sets `key` to `value`, keeping the comments around the old value; a value equal to the old
/// one (however it is written) leaves the key as it was, and an empty list is not added.
pub(crate) fn set(doc: &mut DocumentMut, key: &str, mut value: Value) {
    match doc.get_mut(key) {
        Some(Item::Value(old)) if same(old, &value) => {}
        Some(Item::Value(old)) => {
            *value.decor_mut() = old.decor().clone();
            *old = value;
        }
        None if value.as_array().is_some_and(Array::is_empty) => {}
        _ => {
            doc.insert(key, Item::Value(value));
        }
    }
}

/// Whether two TOML values say the same, whatever their formatting.
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::String(x), Value::String(y)) => x.value() == y.value(),
        (Value::Boolean(x), Value::Boolean(y)) => x.value() == y.value(),
        (Value::Datetime(x), Value::Datetime(y)) => x.value() == y.value(),
        (Value::Integer(x), Value::Integer(y)) => x.value() == y.value(),
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y.iter()).all(|(x, y)| same(x, y)),
        _ => false,
    }
}

/// Sets a string `key`; an empty value removes an optional key (`required`: kept, empty).
pub(crate) fn set_str(doc: &mut DocumentMut, key: &str, value: &str, required: bool) {
    if value.is_empty() && !required {
        doc.remove(key);
    } else {
        set(doc, key, Value::from(value));
    }
}

/// `[[photos]]` in the shared order, each with this language's words; a photo's table keeps
/// its comments and any key the desk does not edit (`credit`).
fn set_photos(doc: &mut DocumentMut, shared: &Shared, words: &Words) {
    if photos_as_they_are(doc, shared, words) {
        return;
    }
    let mut old: Vec<Table> = match doc.remove("photos") {
        Some(Item::ArrayOfTables(a)) => a.into_iter().collect(),
        _ => Vec::new(),
    };
    if shared.photos.is_empty() {
        return;
    }
    let mut tables = ArrayOfTables::new();
    for (n, file) in shared.photos.iter().enumerate() {
        let found = old
            .iter()
            .position(|t| t.get("file").and_then(Item::as_str) == Some(file.as_str()));
        let mut table = found.map(|i| old.remove(i)).unwrap_or_default();
        // Written in the new order, after the other tables (a kept table remembers its place).
        table.set_position(None);
        let (alt, caption) = words.photos.get(n).cloned().unwrap_or_default();
        table["file"] = toml_edit::value(file.as_str());
        table["alt"] = toml_edit::value(alt.trim());
        if caption.trim().is_empty() {
            table.remove("caption");
        } else {
            table["caption"] = toml_edit::value(caption.trim());
        }
        tables.push(table);
    }
    doc.insert("photos", Item::ArrayOfTables(tables));
}

/// Whether `[[photos]]` already lists `shared.photos` in order with this language's words.
fn photos_as_they_are(doc: &DocumentMut, shared: &Shared, words: &Words) -> bool {
    let tables: Vec<&Table> = match doc.get("photos") {
        Some(Item::ArrayOfTables(a)) => a.iter().collect(),
        None => Vec::new(),
        Some(_) => return false,
    };
    let text = |t: &Table, key: &str| t.get(key).and_then(Item::as_str).unwrap_or("").to_string();
    tables.len() == shared.photos.len()
        && tables.iter().zip(&shared.photos).enumerate().all(|(n, (t, file))| {
            let (alt, caption) = words.photos.get(n).cloned().unwrap_or_default();
            t.get("file").and_then(Item::as_str) == Some(file.as_str())
                && text(t, "alt") == alt.trim()
                && text(t, "caption") == caption.trim()
        })
}

/// The front-matter key written on `line` of `text` (1-based): the form field a problem of that
/// line belongs to; `body` for the Markdown, `photos` inside `[[photos]]`.
pub fn field_of_line(text: &str, line: usize) -> Option<String> {
    let split = frontmatter::split(text).ok()?;
    if line >= split.body_line {
        return Some("body".into());
    }
    let front: Vec<&str> = split.front.lines().collect();
    let index = line.checked_sub(split.front_line)?;
    // Inside [[photos]]?
    if front[..=index.min(front.len().saturating_sub(1))]
        .iter()
        .rev()
        .find(|l| l.trim_start().starts_with('['))
        .is_some_and(|l| l.trim() == "[[photos]]")
    {
        return Some("photos".into());
    }
    let l = front.get(index)?;
    let key = l.split('=').next()?.trim();
    (!key.is_empty() && !key.starts_with('#')).then(|| key.to_string())
}

/// Replaces `path` with `text` atomically: a temporary file beside it, renamed over it. The
/// new file keeps the old one's permissions and, where this process may give them, its owner
/// and group (a file the deploy user or a second account could read stays readable); a new
/// file gets the permissions any new file gets here (the umask's).
pub fn write_atomically(path: &Path, text: &str) -> Result<()> {
    use std::os::unix::fs::{MetadataExt as _, PermissionsExt as _};
    let dir = path
        .parent()
        .ok_or_else(|| anyhow!("{} has no folder", path.display()))?;
    std::fs::create_dir_all(dir).with_context(|| format!("Cannot create {}", dir.display()))?;
    let old = std::fs::metadata(path).ok();
    let mut tmp = tempfile::Builder::new()
        .prefix(".twinpress-desk-")
        .suffix(".tmp")
        .permissions(std::fs::Permissions::from_mode(0o666))
        .tempfile_in(dir)
        .with_context(|| format!("Cannot write in {}", dir.display()))?;
    if let Some(old) = &old {
        std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(old.mode() & 0o7777))
            .with_context(|| format!("Cannot set the permissions of {}", tmp.path().display()))?;
        // Only root may give a file away; anyone may keep what is already theirs.
        let _ = rustix::fs::fchown(
            tmp.as_file(),
            Some(rustix::fs::Uid::from_raw(old.uid())),
            Some(rustix::fs::Gid::from_raw(old.gid())),
        );
    }
    tmp.write_all(text.as_bytes())
        .and_then(|_| tmp.as_file().sync_all())
        .with_context(|| format!("Cannot write {}", path.display()))?;
    tmp.persist(path)
        .map_err(|e| e.error)
        .with_context(|| format!("Cannot replace {}", path.display()))?;
    sync_folder(dir);
    Ok(())
}

/// Asks the system to put a folder's entries (a rename, a new file) on disk, as the file's own
/// `sync_all` puts its bytes: after a power cut the saved file is there, not the old one or
/// none. A folder that cannot be opened or synced (some file systems) is left as it is.
fn sync_folder(dir: &Path) {
    if let Ok(folder) = std::fs::File::open(dir) {
        let _ = folder.sync_all();
    }
}

/// Writes a new file; refuses to replace one that exists.
pub fn write_new(path: &Path, bytes: &[u8]) -> Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("Cannot create {}", dir.display()))?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .with_context(|| format!("Cannot create {} (is there a file of that name?)", path.display()))?;
    file.write_all(bytes)
        .and_then(|_| file.sync_all())
        .with_context(|| format!("Cannot write {}", path.display()))?;
    if let Some(dir) = path.parent() {
        sync_folder(dir);
    }
    Ok(())
}

/// Moves `rel` (relative to `root`) into the trash folder, keeping its path under a folder named
/// by `stamp`; returns where it went, relative to `root`.
pub fn to_trash(root: &Path, rel: &Path, stamp: &str) -> Result<PathBuf> {
    let dest_rel = Path::new(TRASH_DIR).join(stamp).join(rel);
    let dest = root.join(&dest_rel);
    if let Some(dir) = dest.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("Cannot create {}", dir.display()))?;
    }
    std::fs::rename(root.join(rel), &dest)
        .with_context(|| format!("Cannot move {} to {}", rel.display(), dest_rel.display()))?;
    Ok(dest_rel)
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "+++\n# Written by the press service.\ntitle = \"Old\" # the headline\ndate = 2025-08-29\nregion = \"almaty-region\"\npartners = [\"qinghai\"]\ntags = [\"a\"]\nsummary = \"S\"\ndraft = true\n\n[extra]\nnote = 1\n\n[[photos]]\nfile = \"x-1.jpg\"\nalt = \"Old alt\"\ncredit = \"gov.kz\"\n\n[[photos]]\nfile = \"x-2.jpg\"\nalt = \"Second\"\n+++\n\nOld body.\n";

    fn words() -> Words {
        Words {
            title: "New title".into(),
            tags: vec!["b".into(), " ".into(), "c".into()],
            summary: String::new(),
            source: "Gov".into(),
            draft: false,
            photos: vec![
                ("Second, now first".into(), "A caption".into()),
                ("First alt".into(), String::new()),
            ],
            body: "New body.\r\n".into(),
            ..Words::default()
        }
    }

    fn shared() -> Shared {
        Shared {
            date: "2025-09-01".into(),
            region: "almaty".into(),
            partners: vec!["shanghai".into(), "qinghai".into()],
            photos: vec!["x-2.jpg".into(), "x-1.jpg".into()],
        }
    }

    #[test]
    fn fields_are_written_in_place_keeping_comments_order_and_unknown_keys() {
        let out = rewrite(FILE, &shared(), &words()).unwrap();
        assert!(
            out.starts_with(
                "+++\n# Written by the press service.\ntitle = \"New title\" # the headline\ndate = 2025-09-01\n"
            ),
            "{out}"
        );
        assert!(out.contains("partners = [\"shanghai\", \"qinghai\"]"), "{out}");
        assert!(out.contains("tags = [\"b\", \"c\"]"), "{out}");
        assert!(!out.contains("summary"), "an emptied optional field goes: {out}");
        assert!(out.contains("source = \"Gov\""), "{out}");
        assert!(out.contains("draft = false"), "{out}");
        assert!(out.contains("[extra]\nnote = 1"), "{out}");
        let second = out.find("file = \"x-2.jpg\"").unwrap();
        let first = out.find("file = \"x-1.jpg\"").unwrap();
        assert!(second < first, "photos in the new order: {out}");
        assert!(out.contains("credit = \"gov.kz\""), "a photo keeps its credit: {out}");
        assert!(out.contains("caption = \"A caption\""), "{out}");
        assert!(out.ends_with("+++\n\nNew body.\n"), "{out}");
        // And the build reads it.
        let (source, body) = crate::content::article::parse(Path::new("x.ru.md"), "x", "ru", &out).unwrap();
        assert_eq!(source.title, "New title");
        assert_eq!(source.photos[0].alt, "Second, now first");
        assert_eq!(body.trim(), "New body.");
    }

    #[test]
    fn a_file_whose_fields_are_unchanged_comes_back_byte_for_byte() {
        let file = "\u{feff}+++\r\ntitle = 'Кавычки \"так\"'\ndate = 2025-09-01\nregion = \"almaty\"\npartners = [ \"shanghai\",\"qinghai\" ]\ntags = [\"b\", \"c\"]\nsource = \"Gov\"\n\n[[photos]]\nfile = \"x-2.jpg\"\nalt = \"Second, now first\"\ncaption = \"A caption\"\n\n[[photos]]\nfile = \"x-1.jpg\"\nalt = \"First alt\"\n+++\n\n\nNew body.\n\n";
        let mut w = words();
        w.title = "Кавычки \"так\"".into();
        assert_eq!(rewrite(file, &shared(), &w).unwrap(), file);
        // One changed key changes that line alone; no `draft = false` appears.
        w.summary = "Новое".into();
        let out = rewrite(file, &shared(), &w).unwrap();
        assert_eq!(out.replace("summary = \"Новое\"\n", ""), file, "{out}");
    }

    #[test]
    fn a_replaced_file_keeps_its_mode() {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.ru.md");
        std::fs::write(&path, "one").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o664)).unwrap();
        write_atomically(&path, "two").unwrap();
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o7777, 0o664);
        let new = dir.path().join("y.ru.md");
        write_atomically(&new, "new").unwrap();
        assert_ne!(
            std::fs::metadata(&new).unwrap().permissions().mode() & 0o777,
            0o600,
            "a new file is not private to its writer"
        );
    }

    #[test]
    fn a_bad_date_is_left_for_the_builds_own_words() {
        let mut s = shared();
        s.date = "29.08.2025".into();
        let out = rewrite(FILE, &s, &words()).unwrap();
        assert!(out.contains("date = \"29.08.2025\""), "{out}");
        let problems = crate::content::article::parse(Path::new("x.ru.md"), "x", "ru", &out).unwrap_err();
        let line = problems[0].line.unwrap();
        assert_eq!(field_of_line(&out, line).as_deref(), Some("date"));
    }

    #[test]
    fn a_new_photo_goes_last_with_its_alt_and_the_rest_untouched() {
        let out = add_photo(FILE, "x-3.jpg", " What it shows ").unwrap();
        assert!(
            out.starts_with("+++\n# Written by the press service.\ntitle = \"Old\" # the headline\n"),
            "{out}"
        );
        assert!(
            out.ends_with("[[photos]]\nfile = \"x-3.jpg\"\nalt = \"What it shows\"\n+++\n\nOld body.\n"),
            "{out}"
        );
        let bare = add_photo("+++\ntitle = \"T\"\n+++\n\nBody\n", "a.png", "A").unwrap();
        assert_eq!(
            bare,
            "+++\ntitle = \"T\"\n\n[[photos]]\nfile = \"a.png\"\nalt = \"A\"\n+++\n\nBody\n"
        );
    }

    #[test]
    fn lines_lead_to_their_fields() {
        assert_eq!(field_of_line(FILE, 3).as_deref(), Some("title"));
        assert_eq!(field_of_line(FILE, 6).as_deref(), Some("partners"));
        assert_eq!(field_of_line(FILE, 16).as_deref(), Some("photos"));
        assert_eq!(field_of_line(FILE, 24).as_deref(), Some("body"));
    }

    #[test]
    fn files_are_replaced_atomically_and_trashed_not_removed() {
        let dir = tempfile::tempdir().unwrap();
        let rel = Path::new("content/news/2025/x.ru.md");
        write_new(&dir.path().join(rel), b"one").unwrap();
        assert!(write_new(&dir.path().join(rel), b"two").is_err(), "never overwrites");
        write_atomically(&dir.path().join(rel), "three").unwrap();
        assert_eq!(std::fs::read_to_string(dir.path().join(rel)).unwrap(), "three");
        let names: Vec<_> = std::fs::read_dir(dir.path().join("content/news/2025"))
            .unwrap()
            .collect();
        assert_eq!(names.len(), 1, "no temporary file is left");
        let moved = to_trash(dir.path(), rel, "20261123T150000").unwrap();
        assert!(!dir.path().join(rel).exists());
        assert_eq!(std::fs::read_to_string(dir.path().join(&moved)).unwrap(), "three");
        assert!(moved.starts_with(TRASH_DIR));
    }
}
