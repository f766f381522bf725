//! Event logs to polars frames, typed the way pandas' `read_json(path, lines=True)` types
//! them, so that every number a notebook prints equals what the pandas notebooks printed:
//!
//! - columns are the union of all keys, in order of first appearance; a missing key is null;
//! - a column whose values are all integers is `i64`; with gaps it is `f64`;
//! - numeric strings are converted like the numbers they spell (`"@version": "1"` on every
//!   row is `i64`, `"LogonType": "3"` with gaps is `f64`); a column mixing numeric and other
//!   strings stays text (`ProcessId` with `"0x1e28"` and `"1234"`);
//! - floats that are all whole numbers, without gaps, are `i64` (pandas tries `int64`);
//! - booleans are `bool`, or `f64` (1.0 / 0.0) with gaps; arrays of strings (`tags`) are
//!   `list[str]`; nested objects are their JSON text; nothing is parsed as a date.
//!
//! A file is read on every core: it is cut at line ends into one piece per thread, and the
//! pieces' columns are merged in order.

use std::fmt;
use std::path::Path;

use polars::prelude::*;
use polars_io::csv::read::CsvReadOptions;
use polars_io::SerReader;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use huntbook_frames::{FrameBuilder, FrameError};

pub(crate) use crate::columns::Cell;
use crate::columns::{to_frame, Columns, Values};
use crate::{Error, Result};

/// Deserializes one JSON object into the current row of `Columns`.
struct RowSeed<'a>(&'a mut Columns);

impl<'de> DeserializeSeed<'de> for RowSeed<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for RowSeed<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object (one event)")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let row = self.0.rows;
        let mut previous = None;
        while let Some(column) = map.next_key_seed(KeySeed(self.0, previous))? {
            map.next_value_seed(ValueSeed(self.0.values(column), row))?;
            previous = Some(column);
        }
        Ok(())
    }
}

/// A key: its column, found without hashing when the keys come in the order they came in
/// before ([`Columns::key`]), and without allocating when the column exists.
struct KeySeed<'a>(&'a mut Columns, Option<usize>);

impl<'de> DeserializeSeed<'de> for KeySeed<'_> {
    type Value = usize;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<usize, D::Error> {
        d.deserialize_str(self)
    }
}

impl Visitor<'_> for KeySeed<'_> {
    type Value = usize;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a key")
    }
    fn visit_str<E>(self, v: &str) -> Result<usize, E> {
        Ok(self.0.key(self.1, v))
    }
}

/// A value, stored straight into its column for its row.
struct ValueSeed<'a>(&'a mut Values, u32);

impl<'de> DeserializeSeed<'de> for ValueSeed<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ValueSeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<(), E> {
        self.0.push_cell(self.1, Cell::Bool(v));
        Ok(())
    }
    fn visit_i64<E>(self, v: i64) -> Result<(), E> {
        self.0.push_int(self.1, v);
        Ok(())
    }
    fn visit_u64<E>(self, v: u64) -> Result<(), E> {
        match i64::try_from(v) {
            Ok(i) => self.0.push_int(self.1, i),
            Err(_) => self.0.push_cell(self.1, Cell::Float(v as f64)),
        }
        Ok(())
    }
    fn visit_f64<E>(self, v: f64) -> Result<(), E> {
        self.0.push_cell(self.1, Cell::Float(v));
        Ok(())
    }
    fn visit_str<E>(self, v: &str) -> Result<(), E> {
        self.0.push_str(self.1, v);
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        self.0.push_null(self.1);
        Ok(())
    }
    fn visit_none<E>(self) -> Result<(), E> {
        self.0.push_null(self.1);
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<serde_json::Value>()? {
            items.push(match item {
                serde_json::Value::String(s) => s,
                other => other.to_string(),
            });
        }
        self.0.push_cell(self.1, Cell::List(items));
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
        let value: serde_json::Value =
            de::Deserialize::deserialize(de::value::MapAccessDeserializer::new(map))?;
        self.0.push_cell(self.1, Cell::Json(value.to_string()));
        Ok(())
    }
}

/// Parses JSON lines into columns; `first_line` numbers the lines in errors.
fn parse_lines(bytes: &[u8], first_line: usize, source: &str) -> Result<Columns> {
    let mut columns = Columns::default();
    let mut start = 0;
    let mut number = first_line;
    while start < bytes.len() {
        let end = memchr::memchr(b'\n', &bytes[start..]).map_or(bytes.len(), |i| start + i);
        let line = &bytes[start..end];
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if !line.iter().all(u8::is_ascii_whitespace) {
            let mut de = serde_json::Deserializer::from_slice(line);
            let parsed = RowSeed(&mut columns)
                .deserialize(&mut de)
                .and_then(|()| de.end());
            if let Err(e) = parsed {
                columns.clear_row();
                return Err(Error::json_events(source, Some(number), &e));
            }
            columns.rows += 1;
        }
        start = end + 1;
        number += 1;
    }
    Ok(columns)
}

/// Cuts `bytes` into about `n` pieces at line ends: (piece, number of its first line).
fn pieces(bytes: &[u8], n: usize) -> Vec<(&[u8], usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut line = 1;
    let size = bytes.len().div_ceil(n.max(1)).max(1);
    while start < bytes.len() {
        let mut end = (start + size).min(bytes.len());
        if end < bytes.len() {
            end = match memchr::memchr(b'\n', &bytes[end..]) {
                Some(i) => end + i + 1,
                None => bytes.len(),
            };
        }
        let piece = &bytes[start..end];
        out.push((piece, line));
        line += memchr::memchr_iter(b'\n', piece).count();
        start = end;
    }
    out
}

/// Reads a JSON-lines file (LF or CRLF line ends).
pub fn read_json_lines(path: &Path) -> Result<DataFrame> {
    let bytes = std::fs::read(path).map_err(|e| Error::io("read", path, e))?;
    json_lines_to_frame(&bytes, &path.display().to_string())
}

/// Reads JSON lines held in memory; `source` names them in errors.
pub fn json_lines_to_frame(bytes: &[u8], source: &str) -> Result<DataFrame> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    // Small inputs are not worth a thread.
    let n = if bytes.len() < (4 << 20) { 1 } else { threads };
    let pieces = pieces(bytes, n);
    let parsed: Vec<Result<Columns>> = std::thread::scope(|scope| {
        let handles: Vec<_> = pieces
            .iter()
            .map(|&(piece, first)| scope.spawn(move || parse_lines(piece, first, source)))
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    });
    to_frame(parsed.into_iter().collect::<Result<Vec<_>>>()?)
}

/// Reads a file holding one JSON array of objects (the APT29 demo).
pub fn read_json_array(path: &Path) -> Result<DataFrame> {
    let bytes = std::fs::read(path).map_err(|e| Error::io("read", path, e))?;
    json_array_to_frame(&bytes, &path.display().to_string())
}

/// Reads one JSON array of objects held in memory.
pub fn json_array_to_frame(bytes: &[u8], source: &str) -> Result<DataFrame> {
    struct ArraySeed<'a>(&'a mut Columns);
    impl<'de> Visitor<'de> for ArraySeed<'_> {
        type Value = ();
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a JSON array of objects")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
            while seq.next_element_seed(RowSeed(self.0))?.is_some() {
                self.0.rows += 1;
            }
            Ok(())
        }
    }
    let mut columns = Columns::default();
    let mut de = serde_json::Deserializer::from_slice(bytes);
    de.deserialize_seq(ArraySeed(&mut columns))
        .and_then(|()| de.end())
        .map_err(|e| Error::json_events(source, None, &e))?;
    to_frame(vec![columns])
}

/// Reads an event file whatever its form: one JSON array (first non-blank byte `[`) or JSON
/// lines.
pub fn read_events(path: &Path) -> Result<DataFrame> {
    let bytes = std::fs::read(path).map_err(|e| Error::io("read", path, e))?;
    json_to_frame(&bytes, &path.display().to_string())
}

/// One JSON array (first non-blank byte `[`) or JSON lines, held in memory.
fn json_to_frame(bytes: &[u8], source: &str) -> Result<DataFrame> {
    match first_byte(bytes) {
        Some(b'[') => json_array_to_frame(bytes, source),
        _ => json_lines_to_frame(bytes, source),
    }
}

fn first_byte(bytes: &[u8]) -> Option<u8> {
    bytes.iter().copied().find(|b| !b.is_ascii_whitespace())
}

/// The forms of event file the datasets come in. [`EventFormat::sniff`] tells them apart,
/// the one place that does; [`read_event_file`] reads each, and [`write_json_lines`] writes each
/// as JSON lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum EventFormat {
    /// One JSON object per line (most Security-Datasets exports); an empty file too.
    JsonLines,
    /// One JSON array of objects (the APT29 demo).
    JsonArray,
    /// CSV with a header row: a file named `.csv`.
    Csv,
    /// Raw text lines (the Linux auditd datasets): one row each, in the column `line`.
    Lines,
    /// A Windows event log (`.evtx`), told by its signature `ElfFile` ([`crate::evtx`]).
    Evtx,
}

impl EventFormat {
    /// The form of the file at `path` whose first bytes are `head` (4 KiB are plenty): an
    /// event log by its signature, CSV by the `.csv` extension, otherwise by the first
    /// non-blank byte: `[` a JSON array, `{` (or none) JSON lines, anything else text lines.
    pub fn sniff(path: &Path, head: &[u8]) -> EventFormat {
        if head.starts_with(crate::evtx::EVTX_SIGNATURE) {
            return EventFormat::Evtx;
        }
        let is_csv = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
        if is_csv {
            return EventFormat::Csv;
        }
        match first_byte(head) {
            Some(b'[') => EventFormat::JsonArray,
            Some(b'{') | None => EventFormat::JsonLines,
            Some(_) => EventFormat::Lines,
        }
    }

    /// The form of the file at `path`, from its name and first 4 KiB.
    pub fn of_file(path: &Path) -> Result<EventFormat> {
        use std::io::Read;
        let mut head = Vec::with_capacity(4096);
        std::fs::File::open(path)
            .and_then(|f| f.take(4096).read_to_end(&mut head))
            .map_err(|e| Error::io("read", path, e))?;
        Ok(EventFormat::sniff(path, &head))
    }
}

/// Reads a text file as raw lines, one row each in the column `line` (the Linux auditd
/// datasets).
pub fn read_lines(path: &Path) -> Result<DataFrame> {
    let bytes = std::fs::read(path).map_err(|e| Error::io("read", path, e))?;
    lines_to_frame(&bytes)
}

/// The non-blank lines of a text, without their line ends.
fn text_lines(bytes: &[u8]) -> impl Iterator<Item = std::borrow::Cow<'_, str>> {
    bytes
        .split(|&b| b == b'\n')
        .map(|line| line.strip_suffix(b"\r").unwrap_or(line))
        .filter(|line| !line.iter().all(u8::is_ascii_whitespace))
        .map(String::from_utf8_lossy)
}

fn lines_to_frame(bytes: &[u8]) -> Result<DataFrame> {
    let lines: Vec<_> = text_lines(bytes).collect();
    Ok(FrameBuilder::new("lines", lines.len())
        .str("line", lines.iter().map(|l| Some(l.as_ref())))
        .finish()?)
}

/// Reads a CSV file with a header row. Types are inferred from every row (a column of whole
/// numbers is `i64`, with gaps too; one with decimals is `f64`; the rest is text).
pub fn read_csv(path: &Path) -> Result<DataFrame> {
    csv_options()
        .try_into_reader_with_file_path(Some(path.to_path_buf()))
        .and_then(|reader| reader.finish())
        .map_err(|e| not_csv(&path.display().to_string(), e))
}

/// Reads CSV held in memory, as [`read_csv`] reads a file; `source` names it in errors.
pub fn csv_to_frame(bytes: &[u8], source: &str) -> Result<DataFrame> {
    csv_options()
        .into_reader_with_file_handle(std::io::Cursor::new(bytes))
        .finish()
        .map_err(|e| not_csv(source, e))
}

fn csv_options() -> CsvReadOptions {
    CsvReadOptions::default()
        .with_has_header(true)
        .with_infer_schema_length(None)
}

fn not_csv(source: &str, e: PolarsError) -> Error {
    Error::events(source, format!("not a readable CSV file: {e}"))
}

/// Reads an event file by its form ([`EventFormat::sniff`]).
pub fn read_event_file(path: &Path) -> Result<DataFrame> {
    match contents(path)? {
        Contents::Csv => read_csv(path),
        Contents::Read(format, bytes) => {
            bytes_to_frame(format, &bytes, &path.display().to_string())
        }
    }
}

/// Reads an event file held in memory by its form: `name` (a file name or URL path) tells CSV
/// by its extension and names the events in errors; the bytes tell the other forms.
pub fn read_event_bytes(bytes: &[u8], name: &str) -> Result<DataFrame> {
    let format = EventFormat::sniff(Path::new(name), bytes);
    bytes_to_frame(format, bytes, name)
}

fn bytes_to_frame(format: EventFormat, bytes: &[u8], source: &str) -> Result<DataFrame> {
    match format {
        EventFormat::Csv => csv_to_frame(bytes, source),
        EventFormat::JsonArray => json_array_to_frame(bytes, source),
        EventFormat::Lines => lines_to_frame(bytes),
        EventFormat::JsonLines => json_lines_to_frame(bytes, source),
        EventFormat::Evtx => evtx_to_frame(bytes, source),
    }
}

/// An event log's frame when it reads whole; a damaged one is an error that names its faults
/// and points to [`crate::read_evtx`], which gives the readable records with the report.
fn evtx_to_frame(bytes: &[u8], source: &str) -> Result<DataFrame> {
    let read = crate::read_evtx_bytes(bytes.to_vec(), source)?;
    if read.skipped.is_empty() {
        return Ok(read.events);
    }
    let faults: Vec<String> = read.skipped.iter().map(ToString::to_string).collect();
    Err(Error::events(
        source,
        format!(
            "a damaged event log ({}); read_evtx reads its {} readable records and reports the \
             rest",
            faults.join("; "),
            read.events.height()
        ),
    ))
}

/// An event file as its readers take it: a CSV file is left to polars' CSV reader; any other
/// is read once, whole, and its form told from those bytes.
enum Contents {
    Csv,
    Read(EventFormat, Vec<u8>),
}

fn contents(path: &Path) -> Result<Contents> {
    if EventFormat::sniff(path, b"") == EventFormat::Csv {
        return Ok(Contents::Csv);
    }
    let bytes = std::fs::read(path).map_err(|e| Error::io("read", path, e))?;
    Ok(Contents::Read(EventFormat::sniff(path, &bytes), bytes))
}

/// Writes the events of `files` to `out` as JSON lines, one object per event, whatever each
/// file's form: JSON lines as they are, a JSON array one item per line, CSV rows as objects of
/// their typed values (as [`read_csv`] types them), text lines as `{"line": ...}` (the column
/// [`read_lines`] gives). What Spark reads from this equals what [`read_event_file`] reads from the
/// originals.
pub fn write_json_lines(files: &[&Path], out: &mut impl std::io::Write) -> Result<()> {
    for &file in files {
        let written = |e: std::io::Error| Error::io("write the JSON lines of", file, e);
        let (format, bytes) = match contents(file)? {
            Contents::Csv => {
                write_rows(&read_csv(file)?, out).map_err(written)?;
                continue;
            }
            Contents::Read(format, bytes) => (format, bytes),
        };
        match format {
            EventFormat::JsonArray => {
                let events: Vec<serde_json::Value> = serde_json::from_slice(&bytes)
                    .map_err(|e| Error::json_events(&file.display().to_string(), None, &e))?;
                for event in events {
                    serde_json::to_writer(&mut *out, &event)
                        .map_err(std::io::Error::from)
                        .and_then(|()| out.write_all(b"\n"))
                        .map_err(written)?;
                }
            }
            EventFormat::Lines => {
                for line in text_lines(&bytes) {
                    serde_json::to_writer(&mut *out, &serde_json::json!({ "line": line }))
                        .map_err(std::io::Error::from)
                        .and_then(|()| out.write_all(b"\n"))
                        .map_err(written)?;
                }
            }
            EventFormat::Evtx => {
                let frame = evtx_to_frame(&bytes, &file.display().to_string())?;
                write_rows(&frame, out).map_err(written)?;
            }
            EventFormat::JsonLines | EventFormat::Csv => {
                for line in text_lines(&bytes) {
                    out.write_all(line.trim_end().as_bytes())
                        .and_then(|()| out.write_all(b"\n"))
                        .map_err(written)?;
                }
            }
        }
    }
    Ok(())
}

/// A frame's rows as JSON objects, one per line: numbers, booleans and text as themselves,
/// null (and NaN) as null, other types as their text.
fn write_rows(frame: &DataFrame, out: &mut impl std::io::Write) -> std::io::Result<()> {
    use serde_json::{Map, Value};
    let columns = frame.columns();
    for row in 0..frame.height() {
        let mut object = Map::with_capacity(columns.len());
        for column in columns {
            let value = match column.get(row).unwrap_or(AnyValue::Null) {
                AnyValue::Null => Value::Null,
                AnyValue::Boolean(b) => Value::Bool(b),
                AnyValue::String(s) => Value::from(s),
                AnyValue::StringOwned(s) => Value::from(s.as_str()),
                AnyValue::Int64(n) => Value::from(n),
                AnyValue::Int32(n) => Value::from(n),
                AnyValue::UInt32(n) => Value::from(n),
                AnyValue::UInt64(n) => Value::from(n),
                AnyValue::Float64(f) => {
                    serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)
                }
                AnyValue::Float32(f) => {
                    serde_json::Number::from_f64(f64::from(f)).map_or(Value::Null, Value::Number)
                }
                other => Value::from(other.to_string()),
            };
            object.insert(column.name().to_string(), value);
        }
        serde_json::to_writer(&mut *out, &Value::Object(object))?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// Stacks frames whose columns differ: columns in order of first appearance, null where a
/// frame lacks one, types widened to a common one (`i64` and `f64` give `f64`; anything and
/// text gives text).
pub fn concat_diagonal(frames: Vec<DataFrame>) -> Result<DataFrame> {
    if frames.len() == 1 {
        return Ok(frames.into_iter().next().unwrap_or_default());
    }
    let lazy: Vec<LazyFrame> = frames.into_iter().map(IntoLazy::lazy).collect();
    concat_lf_diagonal(
        lazy,
        UnionArgs {
            to_supertypes: true,
            ..Default::default()
        },
    )
    .and_then(LazyFrame::collect)
    .map_err(|source| {
        Error::Frame(FrameError {
            frame: "stacked event files",
            source,
        })
    })
}

/// A parsed JSON value as a cell (`None` for null), as the readers above take it.
pub(crate) fn cell_of(value: &serde_json::Value) -> Option<Cell> {
    use serde_json::Value;
    Some(match value {
        Value::Null => return None,
        Value::Bool(b) => Cell::Bool(*b),
        Value::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => Cell::Int(i),
            (None, Some(u)) => Cell::Float(u as f64),
            _ => Cell::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        Value::String(s) => Cell::Str(PlSmallStr::from_str(s)),
        Value::Array(items) => Cell::List(
            items
                .iter()
                .map(|item| match item {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                })
                .collect(),
        ),
        Value::Object(_) => Cell::Json(value.to_string()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(text: &str) -> DataFrame {
        json_lines_to_frame(text.as_bytes(), "test").unwrap()
    }

    fn dtype(df: &DataFrame, name: &str) -> String {
        df.column(name).unwrap().dtype().to_string()
    }

    #[test]
    fn pandas_typing_rules() {
        let df = frame(concat!(
            r#"{"a": 1, "v": "1", "lt": "3", "pid": "0x1e28", "b": true, "f": 1.5, "w": 2.0, "tags": ["x"], "o": {"k": 1}}"#,
            "\r\n",
            r#"{"a": 2, "v": "1", "pid": "1234", "b": false, "f": 2, "w": 3.0, "tags": ["y", "z"], "gap": 7, "o": {"k": 2}}"#,
            "\n\n",
            r#"{"a": 3, "v": "1", "lt": "3", "pid": "12", "f": 3, "w": 4, "tags": [], "o": {"k": 3}, "a": 30}"#,
            "\n",
        ));
        assert_eq!(df.height(), 3);
        let names: Vec<&str> = df.get_column_names().iter().map(|s| s.as_str()).collect();
        assert_eq!(
            names,
            ["a", "v", "lt", "pid", "b", "f", "w", "tags", "o", "gap"]
        );
        assert_eq!(dtype(&df, "a"), "i64");
        assert_eq!(
            df.column("a").unwrap().i64().unwrap().get(2),
            Some(30),
            "last key wins"
        );
        assert_eq!(dtype(&df, "v"), "i64", "numeric strings on every row");
        assert_eq!(dtype(&df, "lt"), "f64", "numeric strings with gaps");
        assert_eq!(dtype(&df, "pid"), "str", "mixed numeric and other strings");
        assert_eq!(dtype(&df, "b"), "f64", "booleans with gaps");
        assert_eq!(dtype(&df, "f"), "f64");
        assert_eq!(dtype(&df, "w"), "i64", "whole floats without gaps");
        assert_eq!(dtype(&df, "tags"), "list[str]");
        assert_eq!(dtype(&df, "o"), "str");
        assert_eq!(dtype(&df, "gap"), "f64", "integers with gaps");
    }

    #[test]
    fn event_ids_written_as_text_in_some_rows_are_one_integer_column() {
        let df = frame("{\"EventID\": 4624}\n{\"EventID\": \"4688\"}\n{\"EventID\": 10}\n");
        assert_eq!(dtype(&df, "EventID"), "i64");
        let ids: Vec<Option<i64>> = df
            .column("EventID")
            .unwrap()
            .i64()
            .unwrap()
            .iter()
            .collect();
        assert_eq!(ids, [Some(4624), Some(4688), Some(10)]);
    }

    #[test]
    fn a_bad_line_is_named_by_number() {
        let err = json_lines_to_frame(b"{\"a\": 1}\n{\"a\": 2}\nnot json\n", "events.json")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("events.json") && err.contains("line 3"),
            "{err}"
        );
        let err = json_lines_to_frame(b"{\"a\": 1}\n[1, 2]\n", "x.json")
            .unwrap_err()
            .to_string();
        assert!(err.contains("line 2") && err.contains("object"), "{err}");
    }

    #[test]
    fn pieces_cut_at_line_ends_and_count_lines() {
        let text = b"{\"a\":1}\n{\"a\":2}\n{\"a\":3}\n{\"a\":4}\n";
        let cut = pieces(text, 3);
        assert!(cut.len() >= 2);
        assert_eq!(cut.iter().map(|(p, _)| p.len()).sum::<usize>(), text.len());
        for (piece, first) in &cut {
            assert!(piece.ends_with(b"\n"));
            let at = text.windows(piece.len()).position(|w| w == *piece).unwrap();
            assert_eq!(
                *first,
                1 + text[..at].iter().filter(|&&b| b == b'\n').count()
            );
        }
        // Merged pieces give what one piece gives.
        let parts = cut
            .iter()
            .map(|(p, f)| parse_lines(p, *f, "t").unwrap())
            .collect();
        let merged = to_frame(parts).unwrap();
        assert_eq!(
            merged,
            to_frame(vec![parse_lines(text, 1, "t").unwrap()]).unwrap()
        );
    }

    #[test]
    fn keys_in_any_order_find_their_columns() {
        let df = frame("{\"a\": 1, \"b\": \"x\"}\n{\"b\": \"y\", \"a\": 2}\n{\"c\": 3, \"a\": 4}\n{\"a\": 5, \"b\": \"z\"}\n");
        let a: Vec<Option<i64>> = df.column("a").unwrap().i64().unwrap().iter().collect();
        assert_eq!(a, [Some(1), Some(2), Some(4), Some(5)]);
        let b: Vec<Option<&str>> = df.column("b").unwrap().str().unwrap().iter().collect();
        assert_eq!(b, [Some("x"), Some("y"), None, Some("z")]);
        assert_eq!(dtype(&df, "c"), "f64");
    }

    #[test]
    fn a_repeated_key_keeps_its_last_value_null_included() {
        let df = frame(
            "{\"a\": \"x\", \"a\": null, \"b\": 1}\n{\"a\": \"y\", \"b\": 2, \"b\": \"z\"}\n",
        );
        let a: Vec<Option<&str>> = df.column("a").unwrap().str().unwrap().iter().collect();
        assert_eq!(a, [None, Some("y")]);
        let b: Vec<Option<&str>> = df.column("b").unwrap().str().unwrap().iter().collect();
        assert_eq!(
            b,
            [Some("1"), Some("z")],
            "an integer and a text: a text column"
        );
    }

    #[test]
    fn pieces_with_different_kinds_type_like_one_piece() {
        // Each line its own piece: a column is all integers in one piece, text in another.
        let text = concat!(
            r#"{"id": 1, "pid": "12", "s": "a", "l": ["x"], "n": 1.5, "t": true}"#,
            "\n",
            r#"{"id": "2", "pid": "0x1e28", "s": "b", "l": ["y", "z"], "n": 2, "t": false}"#,
            "\n",
            r#"{"id": 3, "s": null, "o": {"k": 1}, "n": "3"}"#,
            "\n",
        );
        let cut: Vec<Columns> = text
            .split_inclusive('\n')
            .enumerate()
            .map(|(i, line)| parse_lines(line.as_bytes(), i + 1, "t").unwrap())
            .collect();
        assert_eq!(cut.len(), 3);
        let whole = to_frame(vec![parse_lines(text.as_bytes(), 1, "t").unwrap()]).unwrap();
        assert_eq!(to_frame(cut).unwrap(), whole);
        assert_eq!(dtype(&whole, "id"), "i64");
        assert_eq!(dtype(&whole, "pid"), "str");
        assert_eq!(dtype(&whole, "s"), "str");
        assert_eq!(dtype(&whole, "l"), "list[str]");
        assert_eq!(dtype(&whole, "n"), "f64");
        assert_eq!(dtype(&whole, "t"), "f64", "booleans with a gap");
        assert_eq!(dtype(&whole, "o"), "str");
    }

    #[test]
    fn a_json_array_reads_like_lines() {
        let df = json_array_to_frame(br#"[{"a": 1, "b": "x"}, {"a": 2}]"#, "arr").unwrap();
        assert_eq!(df.shape(), (2, 2));
        assert_eq!(dtype(&df, "a"), "i64");
        let err = json_array_to_frame(b"{\"a\": 1}", "arr.json")
            .unwrap_err()
            .to_string();
        assert!(err.contains("arr.json"), "{err}");
    }
}
