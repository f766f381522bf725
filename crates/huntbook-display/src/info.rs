//! A frame's summary, like pandas' `DataFrame.info(verbose=True)`: every column with its
//! non-null count and type, the count of columns per type, and the memory used.

use std::fmt::{self, Write as _};

use polars::prelude::*;

use crate::escape;

/// One column of an [`Info`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnInfo {
    /// The column name.
    pub name: String,
    /// Values that are not null.
    pub non_null: usize,
    /// The polars type (`i64`, `str`, `list[str]`, ...).
    pub dtype: String,
    /// The type pandas gives the same column (`int64`, `float64`, `bool`, `object`, ...).
    pub pandas_dtype: &'static str,
}

/// The summary of a frame, as [`info`] makes it. Shows as an HTML table in evcxr, and as
/// pandas' text layout through `Display`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Info {
    /// Rows of the frame.
    pub rows: usize,
    /// Its columns, in order.
    pub columns: Vec<ColumnInfo>,
    /// Columns per polars type, in order of first appearance.
    pub dtype_counts: Vec<(String, usize)>,
    /// Estimated heap size of the frame, in bytes (polars' `estimated_size`).
    pub memory_bytes: usize,
}

/// The pandas type name of a polars type, as `read_json` would have typed the column.
pub fn pandas_dtype(dtype: &DataType) -> &'static str {
    match dtype {
        DataType::Boolean => "bool",
        DataType::Int8 => "int8",
        DataType::Int16 => "int16",
        DataType::Int32 => "int32",
        DataType::Int64 => "int64",
        DataType::UInt8 => "uint8",
        DataType::UInt16 => "uint16",
        DataType::UInt32 => "uint32",
        DataType::UInt64 => "uint64",
        DataType::Float32 => "float32",
        DataType::Float64 => "float64",
        DataType::Datetime(_, _) => "datetime64[ns]",
        _ => "object",
    }
}

/// Summarizes `df` (see [`Info`]).
pub fn info(df: &DataFrame) -> Info {
    let mut dtype_counts: Vec<(String, usize)> = Vec::new();
    let columns = df
        .columns()
        .iter()
        .map(|c| {
            let dtype = c.dtype().to_string();
            match dtype_counts.iter_mut().find(|(d, _)| *d == dtype) {
                Some((_, n)) => *n += 1,
                None => dtype_counts.push((dtype.clone(), 1)),
            }
            ColumnInfo {
                name: c.name().to_string(),
                non_null: c.len() - c.null_count(),
                dtype,
                pandas_dtype: pandas_dtype(c.dtype()),
            }
        })
        .collect();
    Info {
        rows: df.height(),
        columns,
        dtype_counts,
        memory_bytes: df.estimated_size(),
    }
}

fn memory(bytes: usize) -> String {
    let units = ["bytes", "KB", "MB", "GB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < units.len() {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} bytes")
    } else {
        format!("{value:.1} {}", units[unit])
    }
}

impl Info {
    /// pandas' own line: `dtypes: float64(3), int64(5), object(10)`, types sorted by name.
    pub fn pandas_dtypes_line(&self) -> String {
        let mut counts: std::collections::BTreeMap<&str, usize> = Default::default();
        for c in &self.columns {
            *counts.entry(c.pandas_dtype).or_default() += 1;
        }
        let parts: Vec<String> = counts.iter().map(|(d, n)| format!("{d}({n})")).collect();
        format!("dtypes: {}", parts.join(", "))
    }

    fn dtypes_line(&self) -> String {
        let parts: Vec<String> = self
            .dtype_counts
            .iter()
            .map(|(d, n)| format!("{d}({n})"))
            .collect();
        format!("dtypes: {}", parts.join(", "))
    }

    /// The summary as an HTML table.
    pub fn to_html(&self) -> String {
        let mut html = String::from("<div>\n<p>DataFrame: ");
        let _ = write!(
            html,
            "{} entries, data columns (total {} columns):</p>\n<table border=\"1\" class=\"dataframe\">\n  <thead>\n    <tr style=\"text-align: right;\">\n      <th>#</th>\n      <th>Column</th>\n      <th>Non-Null Count</th>\n      <th>Dtype (pandas)</th>\n      <th>polars</th>\n    </tr>\n  </thead>\n  <tbody>\n",
            self.rows,
            self.columns.len()
        );
        for (i, c) in self.columns.iter().enumerate() {
            let _ = writeln!(
                html,
                "    <tr>\n      <th>{i}</th>\n      <td style=\"text-align: left;\">{}</td>\n      <td>{} non-null</td>\n      <td>{}</td>\n      <td>{}</td>\n    </tr>",
                escape(&c.name),
                c.non_null,
                c.pandas_dtype,
                escape(&c.dtype)
            );
        }
        let _ = write!(
            html,
            "  </tbody>\n</table>\n<p>{}<br>polars {}<br>memory usage: {}</p>\n</div>",
            escape(&self.pandas_dtypes_line()),
            escape(&self.dtypes_line()),
            memory(self.memory_bytes)
        );
        html
    }

    /// Shows the summary in an evcxr notebook (HTML, with the text layout as fallback).
    pub fn evcxr_display(&self) {
        crate::evcxr::show(&[
            ("text/html", &self.to_html()),
            ("text/plain", &self.to_string()),
        ]);
    }
}

impl fmt::Display for Info {
    /// pandas' text layout.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "DataFrame: {} entries", self.rows)?;
        writeln!(f, "Data columns (total {} columns):", self.columns.len())?;
        let name_width = self
            .columns
            .iter()
            .map(|c| c.name.chars().count())
            .chain([6])
            .max()
            .unwrap_or(6);
        let index_width = self.columns.len().to_string().len().max(2);
        writeln!(
            f,
            " {:>index_width$}  {:<name_width$}  Non-Null Count  Dtype",
            "#", "Column"
        )?;
        writeln!(
            f,
            " {}  {}  --------------  -----",
            "-".repeat(index_width),
            "-".repeat(name_width)
        )?;
        for (i, c) in self.columns.iter().enumerate() {
            writeln!(
                f,
                " {i:>index_width$}  {:<name_width$}  {:<14}  {}",
                c.name,
                format!("{} non-null", c.non_null),
                c.dtype
            )?;
        }
        writeln!(f, "{}", self.dtypes_line())?;
        write!(f, "memory usage: {}", memory(self.memory_bytes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_non_null_values_and_types() -> PolarsResult<()> {
        let df = df!(
            "EventID" => [Some(1i64), Some(3), None],
            "Image" => [Some("a.exe"), None, None],
            "LogonType" => [None, Some(3.0f64), None],
        )?;
        let info = info(&df);
        assert_eq!(info.rows, 3);
        let counts: Vec<(&str, usize, &str)> = info
            .columns
            .iter()
            .map(|c| (c.name.as_str(), c.non_null, c.pandas_dtype))
            .collect();
        assert_eq!(
            counts,
            [
                ("EventID", 2, "int64"),
                ("Image", 1, "object"),
                ("LogonType", 1, "float64")
            ]
        );
        assert_eq!(info.dtype_counts.len(), 3);
        let text = info.to_string();
        assert!(
            text.contains(" 1  Image      1 non-null      str"),
            "{text}"
        );
        assert!(info.to_html().contains("<td>2 non-null</td>"));
        assert_eq!(
            info.pandas_dtypes_line(),
            "dtypes: float64(1), int64(1), object(1)"
        );
        Ok(())
    }

    #[test]
    fn memory_is_human_readable() {
        assert_eq!(memory(512), "512 bytes");
        assert_eq!(memory(3 * 1024 * 1024 / 2), "1.5 MB");
    }
}
