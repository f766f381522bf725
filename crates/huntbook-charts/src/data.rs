//! Reading chart data out of polars frames, and the counts-of-counts helper.

use polars::prelude::*;

use crate::{Error, Result};

fn column<'a>(df: &'a DataFrame, name: &str) -> Result<&'a Column> {
    df.column(name).map_err(|_| Error::NoColumn {
        column: name.to_string(),
        columns: df
            .get_column_names()
            .iter()
            .map(|c| c.to_string())
            .collect::<Vec<_>>()
            .join(", "),
    })
}

/// A column's values as text (categories). Nulls read as `null`.
pub(crate) fn labels(df: &DataFrame, name: &str) -> Result<Vec<String>> {
    Ok(labels_opt(df, name)?
        .into_iter()
        .map(|v| v.unwrap_or_else(|| "null".to_string()))
        .collect())
}

/// A column's values as text, nulls kept as `None`.
pub(crate) fn labels_opt(df: &DataFrame, name: &str) -> Result<Vec<Option<String>>> {
    let col = column(df, name)?;
    let text = col
        .cast(&DataType::String)
        .map_err(|e| Error::Invalid(format!("column {name:?} cannot be read as text: {e}")))?;
    let text = text
        .str()
        .map_err(|e| Error::Invalid(format!("column {name:?}: {e}")))?;
    Ok(text.iter().map(|v| v.map(str::to_string)).collect())
}

/// A numeric column (booleans too when `booleans`) as `f64` values, finite or `None`.
fn finite_values(df: &DataFrame, name: &str, booleans: bool) -> Result<Vec<Option<f64>>> {
    let col = column(df, name)?;
    let boolean = booleans && col.dtype() == &DataType::Boolean;
    if !col.dtype().is_primitive_numeric() && !boolean {
        return Err(Error::Invalid(format!(
            "column {name:?} holds {}, not numbers",
            col.dtype()
        )));
    }
    let values = col
        .cast(&DataType::Float64)
        .map_err(|e| Error::Invalid(format!("column {name:?}: {e}")))?;
    let values = values
        .f64()
        .map_err(|e| Error::Invalid(format!("column {name:?}: {e}")))?;
    Ok(values.iter().map(|v| v.filter(|v| v.is_finite())).collect())
}

/// A column's values as numbers, nulls and non-finite values as `None`.
pub(crate) fn numbers_opt(df: &DataFrame, name: &str) -> Result<Vec<Option<f64>>> {
    finite_values(df, name, false)
}

/// A column's values as numbers (booleans as 0 and 1). Nulls are an error: a bar of unknown
/// height cannot be drawn.
pub(crate) fn numbers(df: &DataFrame, name: &str) -> Result<Vec<f64>> {
    finite_values(df, name, true)?
        .into_iter()
        .enumerate()
        .map(|(i, v)| {
            v.ok_or_else(|| {
                Error::Invalid(format!("column {name:?} has no finite number in row {i}"))
            })
        })
        .collect()
}

/// Counts of counts: how many groups of `column` have each number of rows.
///
/// The seed notebook's "number of data sources per technique": group the exploded rows by
/// technique, count each group's rows, then count how many techniques share each count.
/// Returns a frame `[count_column, "groups"]` sorted by the count, both `u32`.
pub fn counts_of_counts(
    df: &DataFrame,
    column_name: &str,
    count_column: &str,
) -> Result<DataFrame> {
    let keys = labels(df, column_name)?;
    let mut per_group: std::collections::HashMap<&str, u32> = Default::default();
    for k in &keys {
        *per_group.entry(k.as_str()).or_default() += 1;
    }
    let mut histogram: std::collections::BTreeMap<u32, u32> = Default::default();
    for n in per_group.values() {
        *histogram.entry(*n).or_default() += 1;
    }
    let (counts, groups): (Vec<u32>, Vec<u32>) = histogram.into_iter().unzip();
    DataFrame::new(
        counts.len(),
        vec![
            Column::new(count_column.into(), counts),
            Column::new("groups".into(), groups),
        ],
    )
    .map_err(|e| Error::Invalid(e.to_string()))
}
