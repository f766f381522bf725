//! Safe extraction of dataset archives: zip and tar.gz.
//!
//! - Members under `__MACOSX/` and AppleDouble `._*` files are skipped.
//! - A member whose path would land outside the target folder (`../`, an absolute path) is
//!   refused: [`Error::UnsafePath`]. Symbolic and hard links in tar files are skipped.
//! - The expanded size and the number of members are capped ([`Limits`]), counting the bytes
//!   actually written, not the sizes the archive claims.
//! - A tar.gz whose gzip stream is cut short yields the complete members before the cut, and
//!   [`Extracted::truncated`] says what was lost.
//! - Extraction goes to a temporary folder beside the target, renamed into place when
//!   complete: a failure leaves nothing behind.
//!
//! [`extract`] writes a file's members to a folder; [`read_members`] reads the members of an
//! archive held in memory, through the same walk and checks.

use std::fs;
use std::io::{self, Read, Write};
use std::path::{Component, Path, PathBuf};

use crate::{Error, Result};

/// Caps on what one archive may expand to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Total bytes written for all members.
    pub max_bytes: u64,
    /// Number of members extracted.
    pub max_members: usize,
}

impl Default for Limits {
    /// 4 GiB and 10,000 members: the largest Security-Datasets archive expands to a few
    /// hundred MB.
    fn default() -> Self {
        Limits {
            max_bytes: 4 << 30,
            max_members: 10_000,
        }
    }
}

/// The kind of an archive, told by its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A zip file (`PK\x03\x04`).
    Zip,
    /// A gzip stream holding a tar file.
    TarGz,
}

/// What [`extract`] wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extracted {
    /// The folder the members are in.
    pub dir: PathBuf,
    /// The extracted files, relative to `dir`, in archive order.
    pub files: Vec<PathBuf>,
    /// When the archive was cut short: what was lost. The files listed are complete.
    pub truncated: Option<String>,
}

impl Extracted {
    /// The full paths of the extracted files.
    pub fn paths(&self) -> Vec<PathBuf> {
        self.files.iter().map(|f| self.dir.join(f)).collect()
    }
}

impl Kind {
    /// The kind of archive whose first bytes are `head`, or `None` for neither.
    pub fn of_bytes(head: &[u8]) -> Option<Kind> {
        match head {
            [b'P', b'K', 3, 4, ..] | [b'P', b'K', 5, 6, ..] => Some(Kind::Zip),
            [0x1f, 0x8b, ..] => Some(Kind::TarGz),
            _ => None,
        }
    }
}

/// Tells a zip from a tar.gz by the first bytes of `path`.
pub fn kind(path: &Path) -> Result<Kind> {
    let mut head = [0u8; 4];
    let mut file = fs::File::open(path).map_err(|e| Error::io("open", path, e))?;
    let n = read_up_to(&mut file, &mut head).map_err(|e| Error::io("read", path, e))?;
    kind_of(&head[..n], path)
}

fn kind_of(head: &[u8], archive: &Path) -> Result<Kind> {
    Kind::of_bytes(head).ok_or_else(|| Error::Archive {
        path: archive.to_owned(),
        message: format!(
            "not a zip or tar.gz archive (starts with {:?})",
            String::from_utf8_lossy(&head[..head.len().min(4)])
        ),
    })
}

fn read_up_to(reader: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match reader.read(&mut buf[filled..])? {
            0 => break,
            n => filled += n,
        }
    }
    Ok(filled)
}

/// Extracts `archive` (zip or tar.gz) into the folder `dest`, replacing it if it exists.
pub fn extract(archive: &Path, dest: &Path, limits: &Limits) -> Result<Extracted> {
    let kind = kind(archive)?;
    let parent = dest
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::create_dir_all(parent).map_err(|e| Error::io("create", parent, e))?;
    let staging = tempfile::Builder::new()
        .prefix(".extracting-")
        .tempdir_in(parent)
        .map_err(|e| Error::io("create a temporary folder in", parent, e))?;
    let file = fs::File::open(archive).map_err(|e| Error::io("open", archive, e))?;
    let mut sink = Sink::new(archive, limits, Store::Folder(staging.path()));
    let truncated = walk(kind, io::BufReader::new(file), &mut sink)?;
    let files = sink.files;
    if dest.exists() {
        fs::remove_dir_all(dest).map_err(|e| Error::io("replace", dest, e))?;
    }
    let staged = staging.keep();
    fs::rename(&staged, dest).map_err(|e| {
        let _ = fs::remove_dir_all(&staged);
        Error::io("move the extracted files to", dest, e)
    })?;
    Ok(Extracted {
        dir: dest.to_owned(),
        files,
        truncated,
    })
}

/// The members of an archive held in memory, as [`extract`] would write them (the same
/// checks, limits and skipped entries), without touching the file system. `name` names the
/// archive in errors.
pub fn read_members(bytes: &[u8], name: &str, limits: &Limits) -> Result<Members> {
    let archive = Path::new(name);
    let kind = kind_of(&bytes[..bytes.len().min(4)], archive)?;
    let mut sink = Sink::new(archive, limits, Store::Memory(Vec::new()));
    let truncated = walk(kind, io::Cursor::new(bytes), &mut sink)?;
    let contents = match sink.store {
        Store::Memory(contents) => contents,
        Store::Folder(_) => unreachable!("the sink was made with a memory store"),
    };
    Ok(Members {
        files: sink.files.into_iter().zip(contents).collect(),
        truncated,
    })
}

/// What [`read_members`] read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Members {
    /// Each extracted member's relative path and contents, in archive order.
    pub files: Vec<(PathBuf, Vec<u8>)>,
    /// When the archive was cut short: what was lost. The members listed are complete.
    pub truncated: Option<String>,
}

fn walk<R: Read + io::Seek>(kind: Kind, reader: R, sink: &mut Sink<'_>) -> Result<Option<String>> {
    match kind {
        Kind::Zip => extract_zip(reader, sink),
        Kind::TarGz => extract_tar_gz(reader, sink),
    }
}

/// Where members go.
enum Store<'a> {
    /// Files under this folder.
    Folder(&'a Path),
    /// Each member's bytes, in the order of [`Sink::files`].
    Memory(Vec<Vec<u8>>),
}

/// Where members go, with the running totals the limits apply to.
struct Sink<'a> {
    archive: &'a Path,
    limits: &'a Limits,
    store: Store<'a>,
    written: u64,
    files: Vec<PathBuf>,
}

impl<'a> Sink<'a> {
    fn new(archive: &'a Path, limits: &'a Limits, store: Store<'a>) -> Self {
        Sink {
            archive,
            limits,
            store,
            written: 0,
            files: Vec::new(),
        }
    }

    /// Writes one member; on a read error the partial member is dropped and the error returned.
    fn write(&mut self, relative: PathBuf, reader: &mut dyn Read) -> Result<Result<(), io::Error>> {
        if self.files.len() >= self.limits.max_members {
            return Err(Error::TooLarge {
                archive: self.archive.to_owned(),
                what: "the number of members",
                limit: self.limits.max_members.to_string(),
            });
        }
        // A folder store writes each member to its file; a memory store keeps its bytes.
        let mut file = match &self.store {
            Store::Folder(root) => {
                let path = root.join(&relative);
                if let Some(folder) = path.parent() {
                    fs::create_dir_all(folder).map_err(|e| Error::io("create", folder, e))?;
                }
                let file = fs::File::create(&path).map_err(|e| Error::io("create", &path, e))?;
                Some((file, path))
            }
            Store::Memory(_) => None,
        };
        let mut member = Vec::new();
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            let n = match reader.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    if let Some((file, path)) = file {
                        drop(file);
                        let _ = fs::remove_file(path);
                    }
                    return Ok(Err(e));
                }
            };
            self.written += n as u64;
            if self.written > self.limits.max_bytes {
                return Err(Error::TooLarge {
                    archive: self.archive.to_owned(),
                    what: "the expanded size",
                    limit: format!("{} bytes", self.limits.max_bytes),
                });
            }
            match &mut file {
                Some((file, path)) => file
                    .write_all(&buf[..n])
                    .map_err(|e| Error::io("write", &*path, e))?,
                None => member.extend_from_slice(&buf[..n]),
            }
        }
        if let Store::Memory(contents) = &mut self.store {
            contents.push(member);
        }
        self.files.push(relative);
        Ok(Ok(()))
    }
}

/// `__MACOSX/...` and AppleDouble `._name` files: resource forks, not data.
fn is_mac_metadata(name: &str) -> bool {
    name.starts_with("__MACOSX/")
        || name.contains("/__MACOSX/")
        || name.rsplit('/').next().is_some_and(|f| f.starts_with("._"))
}

/// `name` as a relative path made of normal components only, or `None` when it would escape.
fn safe_relative(name: &str) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for component in Path::new(name).components() {
        match component {
            Component::Normal(part) => out.push(part),
            Component::CurDir => {}
            Component::ParentDir | Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    (!out.as_os_str().is_empty()).then_some(out)
}

fn extract_zip<R: Read + io::Seek>(reader: R, sink: &mut Sink<'_>) -> Result<Option<String>> {
    let archive_path = sink.archive;
    let corrupt = |e: zip::result::ZipError| Error::Archive {
        path: archive_path.to_owned(),
        message: format!("corrupt zip: {e}"),
    };
    let mut zip = zip::ZipArchive::new(reader).map_err(corrupt)?;
    for index in 0..zip.len() {
        let mut member = zip.by_index(index).map_err(corrupt)?;
        let name = member.name().to_owned();
        if member.is_dir() || is_mac_metadata(&name) {
            continue;
        }
        if member.is_symlink() {
            continue;
        }
        let relative = member
            .enclosed_name()
            .and_then(|p| safe_relative(&p.to_string_lossy()))
            .ok_or_else(|| Error::UnsafePath {
                archive: archive_path.to_owned(),
                entry: name.clone(),
            })?;
        if let Err(e) = sink.write(relative, &mut member)? {
            return Err(Error::Archive {
                path: archive_path.to_owned(),
                message: format!("corrupt zip: member `{name}`: {e}"),
            });
        }
    }
    Ok(None)
}

fn extract_tar_gz(reader: impl Read, sink: &mut Sink<'_>) -> Result<Option<String>> {
    let archive_path = sink.archive;
    let gz = flate2::read::GzDecoder::new(reader);
    let mut tar = tar::Archive::new(gz);
    let cut = |sink: &Sink<'_>, place: String, e: &io::Error| {
        format!(
            "the gzip stream ends early ({e}) {place}; the {} complete member(s) before it were kept",
            sink.files.len()
        )
    };
    let entries = tar.entries().map_err(|e| Error::Archive {
        path: archive_path.to_owned(),
        message: format!("not a tar.gz archive: {e}"),
    })?;
    for entry in entries {
        let mut entry = match entry {
            Ok(entry) => entry,
            Err(e) if is_cut(&e) => return Ok(Some(cut(sink, "between members".into(), &e))),
            Err(e) => {
                return Err(Error::Archive {
                    path: archive_path.to_owned(),
                    message: format!("corrupt tar.gz: {e}"),
                })
            }
        };
        let name = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        if !entry.header().entry_type().is_file() || is_mac_metadata(&name) {
            continue;
        }
        let relative = safe_relative(&name).ok_or_else(|| Error::UnsafePath {
            archive: archive_path.to_owned(),
            entry: name.clone(),
        })?;
        if let Err(e) = sink.write(relative, &mut entry)? {
            if is_cut(&e) {
                return Ok(Some(cut(
                    sink,
                    format!("inside member `{name}`, which was dropped"),
                    &e,
                )));
            }
            return Err(Error::Archive {
                path: archive_path.to_owned(),
                message: format!("corrupt tar.gz: member `{name}`: {e}"),
            });
        }
    }
    Ok(None)
}

/// A read error that means "the stream stopped", as opposed to "the bytes are wrong".
fn is_cut(e: &io::Error) -> bool {
    e.kind() == io::ErrorKind::UnexpectedEof
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_that_escape_are_refused() {
        assert_eq!(safe_relative("a/b.json"), Some(PathBuf::from("a/b.json")));
        assert_eq!(safe_relative("./a.json"), Some(PathBuf::from("a.json")));
        assert_eq!(safe_relative("../a.json"), None);
        assert_eq!(safe_relative("a/../../b"), None);
        assert_eq!(safe_relative("/etc/passwd"), None);
        assert_eq!(safe_relative(""), None);
    }

    #[test]
    fn mac_metadata_is_recognized() {
        assert!(is_mac_metadata("__MACOSX/x.json"));
        assert!(is_mac_metadata("dir/__MACOSX/x.json"));
        assert!(is_mac_metadata("dir/._x.json"));
        assert!(!is_mac_metadata("dir/x.json"));
    }
}
