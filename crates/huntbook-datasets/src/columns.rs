//! Event fields gathered column by column as they are parsed, then typed the way pandas types
//! them (the rules are in [`crate::events`]).
//!
//! A column keeps the row of each value and the values themselves as they came: all its text
//! in one buffer while it holds only strings, a vector of integers while it holds only
//! integers, and one [`Cell`] per value only once kinds mix or for lists and objects. Most
//! event fields are strings or integers, so reading a file allocates per column, not per
//! value. A file read in pieces (one per thread) gives one [`Columns`] per piece; the frame
//! is built from all of them at once, each column on its own thread.

use std::borrow::Cow;

use polars::prelude::*;
use rayon::prelude::*;

use huntbook_frames::FrameError;

use crate::{Error, Result};

/// One value whose column mixes kinds, or a list or an object.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cell {
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(PlSmallStr),
    /// An array: its items as text.
    List(Vec<String>),
    /// A nested object, as JSON text.
    Json(String),
}

/// A column's values, typed as they came.
#[derive(Debug, Default)]
enum Data {
    #[default]
    Empty,
    /// Strings only: their text end to end, and where each ends.
    Text { text: String, ends: Vec<usize> },
    /// Integers only.
    Int(Vec<i64>),
    /// Anything else.
    Cells(Vec<Cell>),
}

/// One column of one piece: the row of each value (increasing) and the values.
#[derive(Debug, Default)]
pub(crate) struct Values {
    rows: Vec<u32>,
    data: Data,
}

impl Values {
    fn len(&self) -> usize {
        self.rows.len()
    }

    /// Makes room for `row`'s value: a key repeated within one object keeps its last value,
    /// as Python's json does.
    fn start(&mut self, row: u32) {
        if self.rows.last() == Some(&row) {
            self.pop();
        }
        self.rows.push(row);
    }

    /// Removes the last value.
    fn pop(&mut self) {
        if self.rows.pop().is_none() {
            return;
        }
        match &mut self.data {
            Data::Empty => {}
            Data::Text { text, ends } => {
                ends.pop();
                text.truncate(ends.last().copied().unwrap_or(0));
            }
            Data::Int(values) => {
                values.pop();
            }
            Data::Cells(cells) => {
                cells.pop();
            }
        }
        if self.rows.is_empty() {
            self.data = Data::Empty;
        }
    }

    /// `row` has no value here (a JSON null): one given before for it goes.
    pub(crate) fn push_null(&mut self, row: u32) {
        if self.rows.last() == Some(&row) {
            self.pop();
        }
    }

    pub(crate) fn push_str(&mut self, row: u32, s: &str) {
        self.start(row);
        match &mut self.data {
            Data::Text { text, ends } => {
                text.push_str(s);
                ends.push(text.len());
            }
            Data::Empty => {
                self.data = Data::Text {
                    text: s.to_owned(),
                    ends: vec![s.len()],
                }
            }
            _ => self.cells().push(Cell::Str(PlSmallStr::from_str(s))),
        }
    }

    pub(crate) fn push_int(&mut self, row: u32, i: i64) {
        self.start(row);
        match &mut self.data {
            Data::Int(values) => values.push(i),
            Data::Empty => self.data = Data::Int(vec![i]),
            _ => self.cells().push(Cell::Int(i)),
        }
    }

    pub(crate) fn push_cell(&mut self, row: u32, cell: Cell) {
        match cell {
            Cell::Str(s) => self.push_str(row, &s),
            Cell::Int(i) => self.push_int(row, i),
            other => {
                self.start(row);
                self.cells().push(other);
            }
        }
    }

    /// The values as cells, the column's storage turned into them first.
    fn cells(&mut self) -> &mut Vec<Cell> {
        if !matches!(self.data, Data::Cells(_)) {
            // The value being pushed has its row already.
            let before = self.rows.len() - 1;
            let cells = match std::mem::take(&mut self.data) {
                Data::Empty | Data::Cells(_) => Vec::with_capacity(before + 1),
                Data::Text { text, ends } => {
                    let mut cells = Vec::with_capacity(before + 1);
                    let mut start = 0;
                    for end in ends {
                        cells.push(Cell::Str(PlSmallStr::from_str(&text[start..end])));
                        start = end;
                    }
                    cells
                }
                Data::Int(values) => values.into_iter().map(Cell::Int).collect(),
            };
            self.data = Data::Cells(cells);
        }
        match &mut self.data {
            Data::Cells(cells) => cells,
            _ => unreachable!("turned into cells above"),
        }
    }

    /// Each value as a cell, with its row.
    fn to_cells(&self) -> Vec<(u32, Cow<'_, Cell>)> {
        let rows = self.rows.iter().copied();
        match &self.data {
            Data::Empty => Vec::new(),
            Data::Text { text, ends } => {
                let mut start = 0;
                rows.zip(ends)
                    .map(|(r, &end)| {
                        let cell = Cell::Str(PlSmallStr::from_str(&text[start..end]));
                        start = end;
                        (r, Cow::Owned(cell))
                    })
                    .collect()
            }
            Data::Int(values) => rows
                .zip(values)
                .map(|(r, &i)| (r, Cow::Owned(Cell::Int(i))))
                .collect(),
            Data::Cells(cells) => rows
                .zip(cells)
                .map(|(r, c)| (r, Cow::Borrowed(c)))
                .collect(),
        }
    }

    /// The strings of a text column, with their rows.
    fn texts(&self) -> impl Iterator<Item = (u32, &str)> {
        let (text, ends): (&str, &[usize]) = match &self.data {
            Data::Text { text, ends } => (text, ends),
            _ => ("", &[]),
        };
        let mut start = 0;
        self.rows.iter().zip(ends).map(move |(&r, &end)| {
            let s = &text[start..end];
            start = end;
            (r, s)
        })
    }
}

/// The columns of one piece of a file, in order of first appearance.
#[derive(Default)]
pub(crate) struct Columns {
    names: Vec<PlSmallStr>,
    index: PlHashMap<PlSmallStr, usize>,
    values: Vec<Values>,
    /// Events of one kind list their keys in the same order: `next[i]` is the column whose
    /// key came after column `i`'s the last time, `first` the first key of the last row. A
    /// key is checked against that guess before it is hashed.
    next: Vec<usize>,
    first: usize,
    /// Rows finished so far; values pushed go to this row.
    pub(crate) rows: u32,
}

impl Columns {
    /// The index of the column `name`, added when new.
    pub(crate) fn column(&mut self, name: &str) -> usize {
        if let Some(&i) = self.index.get(name) {
            return i;
        }
        let i = self.names.len();
        let name = PlSmallStr::from_str(name);
        self.names.push(name.clone());
        self.index.insert(name, i);
        self.values.push(Values::default());
        self.next.push(usize::MAX);
        i
    }

    /// The column of a key that follows the column `previous` in the current row (`None`:
    /// the row's first key).
    pub(crate) fn key(&mut self, previous: Option<usize>, name: &str) -> usize {
        let guess = match previous {
            Some(p) => self.next[p],
            None => self.first,
        };
        if self.names.get(guess).is_some_and(|n| n.as_str() == name) {
            return guess;
        }
        let i = self.column(name);
        match previous {
            Some(p) => self.next[p] = i,
            None => self.first = i,
        }
        i
    }

    /// The values of column `i`.
    pub(crate) fn values(&mut self, i: usize) -> &mut Values {
        &mut self.values[i]
    }

    /// Sets the current row's value in `column`.
    pub(crate) fn push(&mut self, column: usize, cell: Cell) {
        let row = self.rows;
        self.values[column].push_cell(row, cell);
    }

    /// Drops what the current row had pushed (a line that failed to parse).
    pub(crate) fn clear_row(&mut self) {
        let row = self.rows;
        for values in &mut self.values {
            if values.rows.last() == Some(&row) {
                values.pop();
            }
        }
    }
}

/// The frame of one or more pieces read in order: columns in order of first appearance,
/// each typed (module docs of [`crate::events`]) and built on its own thread.
pub(crate) fn to_frame(parts: Vec<Columns>) -> Result<DataFrame> {
    let mut height = 0u32;
    let mut names: Vec<PlSmallStr> = Vec::new();
    let mut index: PlHashMap<PlSmallStr, usize> = PlHashMap::default();
    // Per final column, its values in each piece with the piece's first row.
    let mut pieces: Vec<Vec<(u32, &Values)>> = Vec::new();
    for part in &parts {
        for (name, values) in part.names.iter().zip(&part.values) {
            let i = *index.entry(name.clone()).or_insert_with(|| {
                names.push(name.clone());
                pieces.push(Vec::new());
                names.len() - 1
            });
            pieces[i].push((height, values));
        }
        height += part.rows;
    }
    let height = height as usize;
    let columns: Vec<Column> = names
        .into_par_iter()
        .zip(pieces.into_par_iter())
        .map(|(name, pieces)| column(name, height, &pieces))
        .collect();
    DataFrame::new(height, columns).map_err(|source| {
        Error::Frame(FrameError {
            frame: "events",
            source,
        })
    })
}

/// One column from its pieces.
fn column(name: PlSmallStr, height: usize, pieces: &[(u32, &Values)]) -> Column {
    let n: usize = pieces.iter().map(|(_, v)| v.len()).sum();
    let all = |kind: fn(&Data) -> bool| pieces.iter().all(|(_, v)| kind(&v.data));
    if n > 0 && all(|d| matches!(d, Data::Text { .. } | Data::Empty)) {
        if let Some(column) = text_column(&name, height, pieces) {
            return column;
        }
    }
    if n == height && all(|d| matches!(d, Data::Int(_) | Data::Empty)) {
        // Integers on every row: the vectors end to end.
        let mut values = Vec::with_capacity(height);
        for (_, v) in pieces {
            if let Data::Int(ints) = &v.data {
                values.extend_from_slice(ints);
            }
        }
        return Column::new(name, values);
    }
    let cells: Vec<(u32, Cow<'_, Cell>)> = pieces
        .iter()
        .flat_map(|&(first, v)| v.to_cells().into_iter().map(move |(r, c)| (first + r, c)))
        .collect();
    typed_column(name, height, &cells)
}

/// A column of strings that are not all numbers, as text; `None` when every string reads as
/// a number (pandas then converts the column, [`typed_column`]).
fn text_column(name: &PlSmallStr, height: usize, pieces: &[(u32, &Values)]) -> Option<Column> {
    let numeric = pieces
        .iter()
        .flat_map(|(_, v)| v.texts())
        .all(|(_, s)| s.trim().parse::<i64>().is_ok() || parse_number(s).is_some());
    if numeric {
        return None;
    }
    let mut builder = StringChunkedBuilder::new(name.clone(), height);
    let mut next = 0usize;
    for &(first, v) in pieces {
        for (r, s) in v.texts() {
            let r = (first + r) as usize;
            while next < r {
                builder.append_null();
                next += 1;
            }
            builder.append_value(s);
            next += 1;
        }
    }
    while next < height {
        builder.append_null();
        next += 1;
    }
    Some(builder.finish().into_column())
}

/// A string as pandas' `astype("float64")` reads it, or `None` when it is not a number.
fn parse_number(s: &str) -> Option<f64> {
    let t = s.trim();
    if t.is_empty() {
        return None;
    }
    t.parse::<f64>().ok()
}

/// Decides the type of a column given cell by cell (module docs of [`crate::events`]) and
/// builds it.
fn typed_column(name: PlSmallStr, height: usize, cells: &[(u32, Cow<'_, Cell>)]) -> Column {
    let gaps = cells.len() < height;
    let (mut bools, mut lists, mut jsons) = (0, 0, 0);
    for (_, c) in cells {
        match c.as_ref() {
            Cell::Bool(_) => bools += 1,
            Cell::List(_) => lists += 1,
            Cell::Json(_) => jsons += 1,
            Cell::Int(_) | Cell::Float(_) | Cell::Str(_) => {}
        }
    }
    let n = cells.len();
    // A text column: values spread over all rows, strings borrowed, not copied.
    let dense_text = |cells: &[(u32, Cow<'_, Cell>)]| -> Column {
        let texts: Vec<(usize, Cow<'_, str>)> = cells
            .iter()
            .map(|(r, c)| {
                let text = match c.as_ref() {
                    Cell::Str(s) => Cow::Borrowed(s.as_str()),
                    Cell::Json(s) => Cow::Borrowed(s.as_str()),
                    other => Cow::Owned(text_of(other)),
                };
                (*r as usize, text)
            })
            .collect();
        let mut out: Vec<Option<&str>> = vec![None; height];
        for (r, text) in &texts {
            out[*r] = Some(text.as_ref());
        }
        Column::new(name.clone(), out)
    };
    if lists == n && n > 0 {
        let mut out: Vec<Option<Series>> = vec![None; height];
        for (r, c) in cells {
            if let Cell::List(items) = c.as_ref() {
                out[*r as usize] = Some(Series::new(PlSmallStr::EMPTY, items.as_slice()));
            }
        }
        let series = Series::new(name.clone(), out);
        return series
            .cast(&DataType::List(Box::new(DataType::String)))
            .unwrap_or(series)
            .into();
    }
    if lists > 0 || jsons > 0 {
        return dense_text(cells);
    }
    if bools == n && n > 0 && !gaps {
        let mut out = vec![false; height];
        for (r, c) in cells {
            if let Cell::Bool(b) = c.as_ref() {
                out[*r as usize] = *b;
            }
        }
        return Column::new(name, out);
    }
    // Numbers: every value must read as one, strings included.
    let mut numbers: Vec<Option<f64>> = vec![None; height];
    let mut exact: Vec<Option<i64>> = vec![None; height];
    for (r, c) in cells {
        let r = *r as usize;
        match c.as_ref() {
            Cell::Bool(b) => {
                numbers[r] = Some(f64::from(u8::from(*b)));
                exact[r] = Some(i64::from(*b));
            }
            Cell::Int(i) => {
                numbers[r] = Some(*i as f64);
                exact[r] = Some(*i);
            }
            Cell::Float(f) => numbers[r] = Some(*f),
            Cell::Str(s) => match s.trim().parse::<i64>() {
                Ok(i) => {
                    numbers[r] = Some(i as f64);
                    exact[r] = Some(i);
                }
                Err(_) => match parse_number(s) {
                    Some(f) => numbers[r] = Some(f),
                    None => return dense_text(cells),
                },
            },
            Cell::List(_) | Cell::Json(_) => unreachable!("handled above"),
        }
    }
    if n == 0 || gaps {
        return Column::new(name, numbers);
    }
    // No gaps: whole numbers become i64, exactly when they were written as integers.
    let all_whole = cells.iter().all(|(r, _)| {
        let r = *r as usize;
        exact[r].is_some()
            || numbers[r].is_some_and(|f| f.fract() == 0.0 && f.abs() < 9.007_199_254_740_992e15)
    });
    if all_whole {
        let values: Vec<i64> = (0..height)
            .map(|r| exact[r].unwrap_or_else(|| numbers[r].unwrap_or(0.0) as i64))
            .collect();
        return Column::new(name, values);
    }
    Column::new(name, numbers)
}

/// A value as text in a text column (a column mixing numbers and other strings).
fn text_of(c: &Cell) -> String {
    match c {
        Cell::Bool(b) => if *b { "True" } else { "False" }.to_string(),
        Cell::Int(i) => i.to_string(),
        Cell::Float(f) => f.to_string(),
        Cell::Str(s) => s.to_string(),
        Cell::Json(s) => s.clone(),
        Cell::List(items) => serde_json::to_string(items).unwrap_or_default(),
    }
}
