//! Frames built column by column, with the column types every huntbook frame shares.

use polars::prelude::*;

use crate::time::{day_millis, rfc3339_millis};

/// Building a frame failed: which frame, and polars' reason.
#[derive(Debug, thiserror::Error)]
#[error("failed to build the {frame} frame: {source}")]
pub struct FrameError {
    /// Which frame (`techniques`, `datasets`, ...).
    pub frame: &'static str,
    /// polars' error.
    #[source]
    pub source: PolarsError,
}

/// Builds a frame of `height` rows column by column: text, `list[str]`, `bool`, `u32` and
/// `datetime[ms]` columns from iterators of values, one per row.
///
/// ```
/// use huntbook_frames::FrameBuilder;
///
/// let frame = FrameBuilder::new("tactics", 2)
///     .str("tactic", [Some("Execution"), None])
///     .list("platforms", [Some(vec!["Windows", "Linux"]), None])
///     .datetime("created", [Some("2018-10-17T00:14:20.652Z"), None])
///     .finish()?;
/// assert_eq!(frame.shape(), (2, 3));
/// # Ok::<(), huntbook_frames::FrameError>(())
/// ```
#[derive(Debug)]
#[must_use]
pub struct FrameBuilder {
    frame: &'static str,
    height: usize,
    columns: Vec<Column>,
}

impl FrameBuilder {
    /// An empty builder for the frame named `frame` (named in errors), of `height` rows.
    pub fn new(frame: &'static str, height: usize) -> Self {
        Self {
            frame,
            height,
            columns: Vec::new(),
        }
    }

    /// A text column; `None` is null.
    pub fn str<'a>(
        mut self,
        name: &str,
        values: impl IntoIterator<Item = Option<&'a str>>,
    ) -> Self {
        let values: Vec<Option<&str>> = values.into_iter().collect();
        self.columns.push(Column::new(name.into(), values));
        self
    }

    /// A `list[str]` column; `None` is a null list.
    pub fn list<'a, I>(mut self, name: &str, values: impl IntoIterator<Item = Option<I>>) -> Self
    where
        I: IntoIterator<Item = &'a str>,
    {
        let mut builder = ListStringChunkedBuilder::new(name.into(), self.height, self.height * 2);
        for value in values {
            match value {
                Some(items) => builder.append_values_iter(items.into_iter()),
                None => builder.append_null(),
            }
        }
        self.columns.push(builder.finish().into_column());
        self
    }

    /// A `bool` column without nulls.
    pub fn bool(mut self, name: &str, values: impl IntoIterator<Item = bool>) -> Self {
        let values: Vec<bool> = values.into_iter().collect();
        self.columns.push(Column::new(name.into(), values));
        self
    }

    /// A `bool` column; `None` is null.
    pub fn opt_bool(mut self, name: &str, values: impl IntoIterator<Item = Option<bool>>) -> Self {
        let values: Vec<Option<bool>> = values.into_iter().collect();
        self.columns.push(Column::new(name.into(), values));
        self
    }

    /// A `u32` column without nulls.
    pub fn u32(mut self, name: &str, values: impl IntoIterator<Item = u32>) -> Self {
        let values: Vec<u32> = values.into_iter().collect();
        self.columns.push(Column::new(name.into(), values));
        self
    }

    /// A `datetime[ms]` column of RFC 3339 times; a missing or unreadable time is null.
    pub fn datetime<'a>(
        self,
        name: &str,
        values: impl IntoIterator<Item = Option<&'a str>>,
    ) -> Self {
        self.millis(name, values.into_iter().map(rfc3339_millis))
    }

    /// A `datetime[ms]` column of days (`2020/09/13`) at UTC midnight; a missing or
    /// unreadable day is null.
    pub fn date<'a>(self, name: &str, values: impl IntoIterator<Item = Option<&'a str>>) -> Self {
        self.millis(name, values.into_iter().map(day_millis))
    }

    fn millis(mut self, name: &str, values: impl Iterator<Item = Option<i64>>) -> Self {
        let ms: Int64Chunked = values.collect();
        let series = ms
            .with_name(name.into())
            .into_datetime(TimeUnit::Milliseconds, None)
            .into_series();
        self.columns.push(series.into_column());
        self
    }

    /// The frame; an error when a column's length is not the frame's height or two columns
    /// share a name.
    pub fn finish(self) -> Result<DataFrame, FrameError> {
        DataFrame::new(self.height, self.columns).map_err(|source| FrameError {
            frame: self.frame,
            source,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_have_the_shared_types() {
        let frame = FrameBuilder::new("test", 2)
            .str("s", [Some("a"), None])
            .list("l", [Some(["x", "y"]), None])
            .bool("b", [true, false])
            .opt_bool("o", [None, Some(true)])
            .u32("n", [1, 2])
            .datetime("t", [Some("1970-01-01T00:00:01Z"), Some("not a time")])
            .date("d", [Some("1970/01/02"), None])
            .finish()
            .unwrap();
        let types: Vec<String> = frame.dtypes().iter().map(ToString::to_string).collect();
        assert_eq!(
            types,
            [
                "str",
                "list[str]",
                "bool",
                "bool",
                "u32",
                "datetime[ms]",
                "datetime[ms]"
            ]
        );
        assert_eq!(frame.column("t").unwrap().null_count(), 1);
        assert_eq!(frame.column("l").unwrap().null_count(), 1);
    }

    #[test]
    fn a_column_of_the_wrong_length_names_the_frame() {
        let error = FrameBuilder::new("groups", 2)
            .str("group", [Some("APT29")])
            .finish()
            .unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("failed to build the groups frame: "),
            "{error}"
        );
        assert!(std::error::Error::source(&error).is_some());
    }
}
