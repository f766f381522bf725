//! The on-disk cache: one file per URL, written atomically, with its SHA-256 beside it.
//!
//! Layout: `{cache_dir}/{host}[_{port}]/{url path}` for the content and the same path with
//! `.sha256` appended for its digest. A file without its digest file is not trusted (a crash
//! between the two renames leaves exactly that) and is fetched again.

use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use url::Url;

use crate::{Error, Result};

/// Where the cached copy of `url` lives under `cache_dir`. Path segments that could escape
/// the cache (`..`, empty) are replaced; a query string becomes a digest suffix.
pub fn cache_path(cache_dir: &Path, url: &Url) -> PathBuf {
    let mut path = cache_dir.to_path_buf();
    let host = url.host_str().unwrap_or("local");
    path.push(match url.port() {
        Some(port) => format!("{host}_{port}"),
        None => host.to_string(),
    });
    let segments: Vec<String> = url
        .path_segments()
        .map(|s| s.map(decode_segment).collect())
        .unwrap_or_default();
    for segment in segments.iter().filter(|s| !s.is_empty()) {
        path.push(match segment.as_str() {
            "." | ".." => "_".to_string(),
            s => s.replace(['/', '\\'], "_"),
        });
    }
    if segments.last().is_none_or(|s| s.is_empty()) {
        path.push("index");
    }
    if let Some(query) = url.query() {
        let digest = hex(&Sha256::digest(query.as_bytes()))[..16].to_string();
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        path.set_file_name(format!("{name}@{digest}"));
    }
    path
}

fn decode_segment(segment: &str) -> String {
    percent_encoding::percent_decode_str(segment)
        .decode_utf8_lossy()
        .into_owned()
}

/// Lower-case hex of a digest.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// The digest file of a cached file.
pub fn digest_path(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".sha256");
    PathBuf::from(name)
}

/// SHA-256 of a file, streamed.
pub fn sha256_file(path: &Path) -> Result<String> {
    let mut file = fs::File::open(path).map_err(|e| Error::io("failed to open", path, e))?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = file
            .read(&mut buf)
            .map_err(|e| Error::io("failed to read", path, e))?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hex(&hasher.finalize()))
}

/// State of a cache entry.
#[derive(Debug)]
pub enum Entry {
    /// Present, and its content matches the recorded digest.
    Valid,
    /// No usable entry (no file, or no digest recorded).
    Missing,
    /// Present but its content does not match the recorded digest.
    Corrupt(Error),
}

/// Checks a cache entry against its recorded SHA-256.
pub fn check(path: &Path) -> Result<Entry> {
    let digest_file = digest_path(path);
    if !path.is_file() || !digest_file.is_file() {
        return Ok(Entry::Missing);
    }
    let expected = fs::read_to_string(&digest_file)
        .map_err(|e| Error::io("failed to read", &digest_file, e))?
        .trim()
        .to_string();
    let actual = sha256_file(path)?;
    if actual == expected {
        Ok(Entry::Valid)
    } else {
        Ok(Entry::Corrupt(Error::CacheCorrupt {
            path: path.to_path_buf(),
            expected,
            actual,
        }))
    }
}

/// Removes a cache entry and its digest, ignoring files that are already gone.
pub fn remove(path: &Path) {
    let _ = fs::remove_file(path);
    let _ = fs::remove_file(digest_path(path));
}

/// A file being written into the cache: a temporary file in the target directory, hashed as
/// it is written, renamed into place by [`Writer::commit`]. Dropped without commit, it
/// leaves nothing behind.
pub struct Writer {
    target: PathBuf,
    file: tempfile::NamedTempFile,
    hasher: Sha256,
    written: u64,
}

impl Writer {
    /// Starts writing the cache entry `target`.
    pub fn create(target: &Path) -> Result<Self> {
        let dir = target.parent().unwrap_or(Path::new("."));
        fs::create_dir_all(dir)
            .map_err(|e| Error::io("failed to create cache directory", dir, e))?;
        let file = tempfile::Builder::new()
            .prefix(".partial-")
            .tempfile_in(dir)
            .map_err(|e| Error::io("failed to create a temporary file in", dir, e))?;
        Ok(Self {
            target: target.to_path_buf(),
            file,
            hasher: Sha256::new(),
            written: 0,
        })
    }

    /// Appends bytes.
    pub fn write(&mut self, bytes: &[u8]) -> Result<()> {
        self.hasher.update(bytes);
        self.written += bytes.len() as u64;
        self.file
            .write_all(bytes)
            .map_err(|e| Error::io("failed to write", self.file.path(), e))
    }

    /// Bytes written so far.
    pub fn written(&self) -> u64 {
        self.written
    }

    /// Renames the file into place, then records its digest (also atomically). Returns the
    /// digest.
    pub fn commit(self) -> Result<String> {
        let digest = hex(&self.hasher.finalize());
        let target = self.target;
        // A stale digest must never vouch for new content: drop it first.
        let digest_file = digest_path(&target);
        let _ = fs::remove_file(&digest_file);
        self.file
            .as_file()
            .sync_all()
            .map_err(|e| Error::io("failed to flush", &target, e))?;
        self.file
            .persist(&target)
            .map_err(|e| Error::io("failed to move into the cache", &target, e.error))?;
        let dir = target.parent().unwrap_or(Path::new("."));
        let mut tmp = tempfile::Builder::new()
            .prefix(".partial-")
            .tempfile_in(dir)
            .map_err(|e| Error::io("failed to create a temporary file in", dir, e))?;
        tmp.write_all(digest.as_bytes())
            .map_err(|e| Error::io("failed to write", &digest_file, e))?;
        tmp.persist(&digest_file)
            .map_err(|e| Error::io("failed to move into the cache", &digest_file, e.error))?;
        Ok(digest)
    }
}

/// Writes `bytes` as the cache entry `target`, atomically, with its digest.
pub fn store(target: &Path, bytes: &[u8]) -> Result<String> {
    let mut writer = Writer::create(target)?;
    writer.write(bytes)?;
    writer.commit()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cache_paths_stay_inside_the_cache() {
        let dir = Path::new("/c");
        let url = Url::parse("https://raw.example.org/mitre/cti/ATT%26CK-v9.0/a/b.json").unwrap();
        assert_eq!(
            cache_path(dir, &url),
            Path::new("/c/raw.example.org/mitre/cti/ATT&CK-v9.0/a/b.json")
        );
        let url = Url::parse("http://127.0.0.1:8080/x/%2e%2e/%2E%2E/y/").unwrap();
        let p = cache_path(dir, &url);
        assert!(p.starts_with("/c/127.0.0.1_8080"), "{p:?}");
        assert!(!p.components().any(|c| c.as_os_str() == ".."), "{p:?}");
        let q = Url::parse("http://h/objects/?next=abc").unwrap();
        assert!(cache_path(dir, &q)
            .to_string_lossy()
            .starts_with("/c/h/objects/index@"));
    }

    #[test]
    fn store_check_and_detect_corruption() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("a/b.json");
        assert!(matches!(check(&target).unwrap(), Entry::Missing));
        store(&target, b"hello").unwrap();
        assert!(matches!(check(&target).unwrap(), Entry::Valid));
        fs::write(&target, b"hellO").unwrap();
        match check(&target).unwrap() {
            Entry::Corrupt(e) => assert!(e.to_string().contains("b.json"), "{e}"),
            other => panic!("expected corrupt, got {other:?}"),
        }
        remove(&target);
        assert!(matches!(check(&target).unwrap(), Entry::Missing));
    }

    #[test]
    fn dropped_writer_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("x.bin");
        {
            let mut w = Writer::create(&target).unwrap();
            w.write(b"partial").unwrap();
        }
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
