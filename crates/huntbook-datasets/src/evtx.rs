//! Windows event logs (`.evtx`) as polars frames, in the columns and types of the
//! Security-Datasets JSON exports, so that a cell written for a dataset runs unchanged on a
//! user's own logs.
//!
//! Records are parsed with the `evtx` crate (the field's reference parser), on every core.
//! Each record is one row:
//!
//! - the `System` fields under the names Security-Datasets (NXLog) gives them: `EventID`,
//!   `Channel`, `Hostname` (the `Computer`), `SourceName` and `ProviderGuid` (the provider),
//!   `TimeCreated` and `@timestamp` (its `SystemTime`), `RecordNumber` (`EventRecordID`),
//!   `ExecutionProcessID`, `ThreadID`, `Version`, `Level`, `Task`, `OpcodeValue`, `Keywords`,
//!   `UserID`, `ActivityID`, `RelatedActivityID`;
//! - the `EventData` items by their names (`Image`, `CommandLine`, ...), items without a name
//!   as `param1`, `param2`, ...; the leaves of `UserData` by their names;
//! - `source_file`: the file the record came from.
//!
//! Columns are typed as the JSON reader types them ([`crate::events`]).
//!
//! A damaged file gives every record that can be read, and a report of what could not be
//! ([`EvtxEvents::skipped`]): a chunk with a bad signature, a checksum that does not match,
//! a record that does not parse, a file cut short. Nothing panics on a damaged file.

use std::fmt;
use std::path::{Path, PathBuf};

use evtx::{EvtxParser, ParserSettings};
use polars::prelude::DataFrame;
use serde_json::{Map, Value};

use crate::columns::{to_frame, Cell, Columns};
use crate::events::{cell_of, EventFormat};
use crate::{Error, Result};

/// The first bytes of an EVTX file.
pub const EVTX_SIGNATURE: &[u8; 8] = b"ElfFile\0";
const CHUNK_SIGNATURE: &[u8; 8] = b"ElfChnk\0";
const FILE_HEADER_SIZE: usize = 4096;
const CHUNK_SIZE: usize = 65536;

/// The events of one or more `.evtx` files, with what was read from each and what could not
/// be read.
#[derive(Debug, Clone)]
pub struct EvtxEvents {
    /// One row per record (module docs).
    pub events: DataFrame,
    /// Each file read, in the order of its rows.
    pub files: Vec<EvtxFile>,
    /// What could not be read, or was read from a damaged part: one line per fault.
    pub skipped: Vec<Skipped>,
}

/// One file read into [`EvtxEvents`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvtxFile {
    /// The file.
    pub path: PathBuf,
    /// How many records it gave.
    pub events: usize,
}

/// A fault in a file: where, and what was wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// The file.
    pub path: PathBuf,
    /// Where in the file: `chunk 3`, `chunk 3, record 120`, `file header`, or empty for the
    /// whole file.
    pub location: String,
    /// What was wrong, and what was done about it.
    pub reason: String,
}

impl fmt::Display for Skipped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if !self.location.is_empty() {
            write!(f, ", {}", self.location)?;
        }
        write!(f, ": {}", self.reason)
    }
}

impl fmt::Display for EvtxEvents {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} events from {} file{}",
            self.events.height(),
            self.files.len(),
            if self.files.len() == 1 { "" } else { "s" }
        )?;
        if self.skipped.is_empty() {
            return Ok(());
        }
        write!(
            f,
            "; {} fault{}:",
            self.skipped.len(),
            plural(self.skipped.len())
        )?;
        for s in &self.skipped {
            write!(f, "\n  {s}")?;
        }
        Ok(())
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// Reads an `.evtx` file, or every file under a folder (recursively, in path order).
///
/// A single file that is not an event log is an error naming it. In a folder, a file that
/// is not one is listed in [`EvtxEvents::skipped`] and the others are read.
pub fn read_evtx(path: impl AsRef<Path>) -> Result<EvtxEvents> {
    let path = path.as_ref();
    let meta = std::fs::metadata(path).map_err(|e| Error::io("read", path, e))?;
    if !meta.is_dir() {
        return read_evtx_files(&[path]);
    }
    let mut files = Vec::new();
    walk(path, &mut files)?;
    files.sort();
    let mut reader = Reader::default();
    for file in &files {
        // Only a log is read whole: other files (JSON exports beside the logs) are told by
        // their first bytes.
        if EventFormat::of_file(file)? != EventFormat::Evtx {
            reader.skipped.push(Skipped {
                path: file.clone(),
                location: String::new(),
                reason: "not an EVTX file (it does not start with `ElfFile`): not read".into(),
            });
            continue;
        }
        let bytes = std::fs::read(file).map_err(|e| Error::io("read", file, e))?;
        reader.read(bytes, file)?;
    }
    reader.finish()
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io("list", dir, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| Error::io("list", dir, e))?;
        let path = entry.path();
        let kind = entry.file_type().map_err(|e| Error::io("read", &path, e))?;
        if kind.is_dir() {
            walk(&path, out)?;
        } else {
            out.push(path);
        }
    }
    Ok(())
}

/// Reads a list of `.evtx` files into one frame; any file that is not an event log is an
/// error naming it.
pub fn read_evtx_files<P: AsRef<Path>>(paths: &[P]) -> Result<EvtxEvents> {
    let mut reader = Reader::default();
    for path in paths {
        let path = path.as_ref();
        let bytes = std::fs::read(path).map_err(|e| Error::io("read", path, e))?;
        reader.read(bytes, path)?;
    }
    reader.finish()
}

/// Reads an `.evtx` file held in memory; `name` names it in the report, in errors and in the
/// `source_file` column.
pub fn read_evtx_bytes(bytes: Vec<u8>, name: &str) -> Result<EvtxEvents> {
    let mut reader = Reader::default();
    reader.read(bytes, Path::new(name))?;
    reader.finish()
}

/// Reads the JSON rendering of event log records that `evtx_dump -o json` writes (one
/// `{"Event": ...}` object after another, as SigmaHQ keeps beside its regression logs) into
/// the same columns as [`read_evtx`] gives for the log itself.
pub fn read_evtx_json(path: impl AsRef<Path>) -> Result<DataFrame> {
    let path = path.as_ref();
    let bytes = std::fs::read(path).map_err(|e| Error::io("read", path, e))?;
    let source = path.display().to_string();
    let mut columns = Columns::default();
    let file = file_name(path);
    for (i, value) in serde_json::Deserializer::from_slice(&bytes)
        .into_iter::<Value>()
        .enumerate()
    {
        let value = value.map_err(|e| Error::json_events(&source, None, &e))?;
        let Some(event) = value.get("Event").and_then(Value::as_object) else {
            return Err(Error::events(
                &source,
                format!("record {} is not an `{{\"Event\": ...}}` object", i + 1),
            ));
        };
        push_event(&mut columns, event, &file);
    }
    to_frame(vec![columns])
}

/// The file's name as the `source_file` column shows it.
fn file_name(path: &Path) -> String {
    path.display().to_string()
}

/// Reads files one after another into one set of columns.
#[derive(Default)]
struct Reader {
    columns: Columns,
    files: Vec<EvtxFile>,
    skipped: Vec<Skipped>,
}

impl Reader {
    fn read(&mut self, mut bytes: Vec<u8>, path: &Path) -> Result<()> {
        if !bytes.starts_with(EVTX_SIGNATURE) {
            return Err(Error::events(
                path.display().to_string(),
                "not an EVTX file (it does not start with `ElfFile`)",
            ));
        }
        let mut faults = Faults::new(path);
        check_chunks(&mut bytes, &mut faults);
        let settings = ParserSettings::new()
            .num_threads(0)
            .validate_checksums(false)
            .separate_json_attributes(false)
            .indent(false);
        let mut parser = EvtxParser::from_buffer(bytes)
            .map_err(|e| {
                Error::events(
                    path.display().to_string(),
                    format!("not a readable EVTX file: {}", chain(&e)),
                )
            })?
            .with_configuration(settings);
        let file = file_name(path);
        let before = self.columns.rows;
        for record in parser.records_json_value() {
            match record {
                Ok(record) => match record.data.get("Event").and_then(Value::as_object) {
                    Some(event) => push_event(&mut self.columns, event, &file),
                    None => faults.push(
                        format!("record {}", record.event_record_id),
                        "rendered without an `Event` element: skipped".into(),
                    ),
                },
                Err(e) => faults.parser_error(&e),
            }
        }
        self.files.push(EvtxFile {
            path: path.to_path_buf(),
            events: (self.columns.rows - before) as usize,
        });
        self.skipped.extend(faults.list);
        Ok(())
    }

    fn finish(self) -> Result<EvtxEvents> {
        Ok(EvtxEvents {
            events: to_frame(vec![self.columns])?,
            files: self.files,
            skipped: self.skipped,
        })
    }
}

/// The faults of one file, each chunk's named once.
struct Faults<'a> {
    path: &'a Path,
    list: Vec<Skipped>,
    /// Chunks already reported by [`check_chunks`]: the parser's own error for them would
    /// say the same again.
    chunks: Vec<u64>,
}

impl<'a> Faults<'a> {
    fn new(path: &'a Path) -> Self {
        Faults {
            path,
            list: Vec::new(),
            chunks: Vec::new(),
        }
    }

    fn push(&mut self, location: String, reason: String) {
        self.list.push(Skipped {
            path: self.path.to_path_buf(),
            location,
            reason,
        });
    }

    fn chunk(&mut self, chunk: u64, reason: String) {
        self.chunks.push(chunk);
        self.push(format!("chunk {chunk}"), reason);
    }

    fn parser_error(&mut self, e: &evtx::err::EvtxError) {
        use evtx::err::EvtxError as E;
        match e {
            E::FailedToParseChunk { chunk_id, .. } => {
                if !self.chunks.contains(chunk_id) {
                    self.chunk(*chunk_id, format!("{}: its records were skipped", chain(e)));
                }
            }
            E::FailedToParseRecord { record_id, .. } => self.push(
                format!("record {record_id}"),
                format!("{}: skipped", chain(e)),
            ),
            E::FailedToReadRecordAt { chunk, offset, .. } => self.push(
                match chunk {
                    Some(c) => format!("chunk {c}, offset {offset}"),
                    None => format!("offset {offset}"),
                },
                format!("{}: skipped, with the rest of its chunk", chain(e)),
            ),
            other => self.push(String::new(), format!("{}: skipped", chain(other))),
        }
    }
}

/// An error and its sources, joined by `: `.
fn chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !out.ends_with(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        source = s.source();
    }
    out
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    b.get(at..at + 4)
        .and_then(|s| s.try_into().ok())
        .map_or(0, u32::from_le_bytes)
}

fn u16_at(b: &[u8], at: usize) -> u16 {
    b.get(at..at + 2)
        .and_then(|s| s.try_into().ok())
        .map_or(0, u16::from_le_bytes)
}

/// Checks the file header and each chunk's signature and checksums, reporting what does not
/// match. A last chunk cut short is padded with zeros, so that the records before the cut
/// are read.
fn check_chunks(bytes: &mut Vec<u8>, faults: &mut Faults<'_>) {
    if bytes.len() < FILE_HEADER_SIZE {
        // The parser's own error names this.
        return;
    }
    let header = &bytes[..FILE_HEADER_SIZE];
    let stored = u32_at(header, 124);
    let computed = evtx::checksum_ieee(&header[..120]);
    if stored != computed {
        faults.push(
            "file header".into(),
            format!(
                "checksum mismatch (stored {stored:#010x}, computed {computed:#010x}): read anyway"
            ),
        );
    }
    let declared = u64::from(u16_at(header, 42));
    let cut = (bytes.len() - FILE_HEADER_SIZE) % CHUNK_SIZE;
    if cut != 0 {
        let chunk = ((bytes.len() - FILE_HEADER_SIZE) / CHUNK_SIZE) as u64;
        faults.chunk(
            chunk,
            format!(
                "the file ends {cut} bytes into this chunk (it is cut short): the records \
                 before the cut were read"
            ),
        );
        bytes.resize(bytes.len() + CHUNK_SIZE - cut, 0);
    }
    let chunks = ((bytes.len() - FILE_HEADER_SIZE) / CHUNK_SIZE) as u64;
    let mut unused = Vec::new();
    for n in 0..chunks {
        let start = FILE_HEADER_SIZE + n as usize * CHUNK_SIZE;
        let chunk = &bytes[start..start + CHUNK_SIZE];
        if chunk.iter().all(|&b| b == 0) {
            continue;
        }
        let cut_here = cut != 0 && n + 1 == chunks;
        if !chunk.starts_with(CHUNK_SIGNATURE) {
            if n >= declared {
                // Space past the chunks the header counts: slack, not a damaged chunk.
                unused.push(n);
            } else if !cut_here {
                faults.chunk(
                    n,
                    "no chunk signature (`ElfChnk`): its records were skipped".into(),
                );
            }
            continue;
        }
        if cut_here {
            continue;
        }
        let stored = u32_at(chunk, 124);
        let mut hasher = Vec::with_capacity(504);
        hasher.extend_from_slice(&chunk[..120]);
        hasher.extend_from_slice(&chunk[128..512]);
        let computed = evtx::checksum_ieee(&hasher);
        if stored != computed {
            faults.chunk(
                n,
                format!(
                    "header checksum mismatch (stored {stored:#010x}, computed \
                     {computed:#010x}): its records were read, and may be damaged"
                ),
            );
            continue;
        }
        let free = u32_at(chunk, 48) as usize;
        if !(512..=CHUNK_SIZE).contains(&free) {
            faults.chunk(
                n,
                format!("free space offset {free} is outside the chunk: records read as far as they parse"),
            );
            continue;
        }
        let stored = u32_at(chunk, 52);
        let computed = evtx::checksum_ieee(&chunk[512..free]);
        if stored != computed {
            faults.chunk(
                n,
                format!(
                    "records checksum mismatch (stored {stored:#010x}, computed \
                     {computed:#010x}): its records were read, and may be damaged"
                ),
            );
        }
    }
    // Space past the chunks the header counts that holds no chunk is the slack of a log
    // file Windows grew ahead of use: no records were there, so it is not a fault. The
    // parser's own error for those chunks is not one either.
    faults.chunks.extend(unused);
}

/// The `System` fields and their column names (module docs): (element, attribute, column).
const SYSTEM: &[(&str, Option<&str>, &str)] = &[
    ("TimeCreated", Some("SystemTime"), "@timestamp"),
    ("EventID", None, "EventID"),
    ("Channel", None, "Channel"),
    ("Computer", None, "Hostname"),
    ("Provider", Some("Name"), "SourceName"),
    ("Provider", Some("Guid"), "ProviderGuid"),
    ("Provider", Some("EventSourceName"), "EventSourceName"),
    ("Version", None, "Version"),
    ("Level", None, "Level"),
    ("Task", None, "Task"),
    ("Opcode", None, "OpcodeValue"),
    ("Keywords", None, "Keywords"),
    ("TimeCreated", Some("SystemTime"), "TimeCreated"),
    ("EventRecordID", None, "RecordNumber"),
    ("Execution", Some("ProcessID"), "ExecutionProcessID"),
    ("Execution", Some("ThreadID"), "ThreadID"),
    ("Security", Some("UserID"), "UserID"),
    ("Correlation", Some("ActivityID"), "ActivityID"),
    (
        "Correlation",
        Some("RelatedActivityID"),
        "RelatedActivityID",
    ),
];

/// Adds one record's `Event` element as a row.
fn push_event(columns: &mut Columns, event: &Map<String, Value>, file: &str) {
    if let Some(system) = event.get("System").and_then(Value::as_object) {
        for &(element, attribute, name) in SYSTEM {
            let Some(value) = system.get(element) else {
                continue;
            };
            let value = match attribute {
                Some(a) => attributes(value).and_then(|m| m.get(a)),
                None => Some(text(value)),
            };
            let Some(value) = value else { continue };
            let value = if name == "ProviderGuid" {
                guid(value)
            } else {
                value.clone()
            };
            push(columns, name, &value);
        }
    }
    for (key, value) in event {
        match key.as_str() {
            "System" | "#attributes" => {}
            "EventData" => event_data(columns, value),
            _ => leaves(columns, value),
        }
    }
    let i = columns.column("source_file");
    columns.push(i, Cell::Str(file.into()));
    columns.rows += 1;
}

/// A value's text: the `#text` of an element with attributes, else the value.
fn text(value: &Value) -> &Value {
    match value {
        Value::Object(m) => m.get("#text").unwrap_or(value),
        _ => value,
    }
}

fn attributes(value: &Value) -> Option<&Map<String, Value>> {
    value.get("#attributes").and_then(Value::as_object)
}

/// A provider GUID as Security-Datasets writes it: lower case, in braces.
fn guid(value: &Value) -> Value {
    match value.as_str() {
        Some(s) => {
            let bare = s.trim_start_matches('{').trim_end_matches('}');
            Value::String(format!("{{{}}}", bare.to_ascii_lowercase()))
        }
        None => value.clone(),
    }
}

fn push(columns: &mut Columns, name: &str, value: &Value) {
    if let Some(cell) = cell_of(value) {
        let i = columns.column(name);
        columns.push(i, cell);
    }
}

/// `EventData`: named items by name, unnamed ones (`Data` holding a `#text` list, or one
/// text) as `param1`, `param2`, ...
fn event_data(columns: &mut Columns, value: &Value) {
    let Value::Object(items) = value else {
        // A lone text: the one unnamed item.
        if !value.is_null() {
            push(columns, "param1", value);
        }
        return;
    };
    for (key, value) in items {
        match key.as_str() {
            "#attributes" => {}
            "Data" | "#text" => match text(value) {
                Value::Array(list) => {
                    for (i, item) in list.iter().enumerate() {
                        push(columns, &format!("param{}", i + 1), item);
                    }
                }
                Value::Object(_) => leaves(columns, value),
                other => push(columns, "param1", other),
            },
            _ => push(columns, key, text(value)),
        }
    }
}

/// The leaves of an element (`UserData`, ...) by their names; attributes too, but for XML
/// namespaces.
fn leaves(columns: &mut Columns, value: &Value) {
    match value {
        Value::Object(map) => {
            for (key, value) in map {
                if key == "#attributes" {
                    if let Value::Object(attrs) = value {
                        for (name, v) in attrs {
                            if !name.starts_with("xmlns") {
                                push(columns, name, v);
                            }
                        }
                    }
                } else if matches!(value, Value::Object(m) if !m.contains_key("#text")) {
                    leaves(columns, value);
                } else {
                    push(columns, key, text(value));
                }
            }
        }
        Value::Null => {}
        other => push(columns, "param1", other),
    }
}
