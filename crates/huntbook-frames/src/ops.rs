//! The pandas one-liners of the seed notebooks as frame operations, compiled here once so
//! that notebook cells stay short (and compile fast). Each names the pandas idiom it stands
//! for and keeps its semantics (nulls, order, ties).

use polars::prelude::*;

/// Explodes list columns one after another, one row per item: pandas'
/// `df.apply(lambda x: pd.Series(x[c]), axis=1).stack()` idiom. Rows whose list is null or
/// empty are dropped, as `stack()` drops them.
pub fn explode(df: &DataFrame, columns: &[&str]) -> PolarsResult<DataFrame> {
    let options = ExplodeOptions {
        empty_as_null: false,
        keep_nulls: false,
    };
    let mut out = df.clone();
    for column in columns {
        out = out.explode([*column], options)?;
    }
    Ok(out)
}

/// Groups by `by` and counts the non-null values of `column` in each group (pandas'
/// `df.groupby(by)[column].count().reset_index()`), sorted by the keys. The count keeps the
/// name `column`.
pub fn count_by(df: &DataFrame, by: &[&str], column: &str) -> PolarsResult<DataFrame> {
    let keys: Vec<Expr> = by.iter().map(|c| col(*c)).collect();
    let order: Vec<PlSmallStr> = by.iter().map(|c| PlSmallStr::from(*c)).collect();
    df.clone()
        .lazy()
        .group_by(keys)
        .agg([col(column).count()])
        .sort(order, SortMultipleOptions::default())
        .collect()
}

/// Like [`count_by`], sorted by the count, largest first (ties by key).
pub fn count_by_desc(df: &DataFrame, by: &[&str], column: &str) -> PolarsResult<DataFrame> {
    let counted = count_by(df, by, column)?;
    let mut order: Vec<PlSmallStr> = vec![PlSmallStr::from(column)];
    order.extend(by.iter().map(|c| PlSmallStr::from(*c)));
    let mut descending = vec![true];
    descending.extend(by.iter().map(|_| false));
    counted.sort(
        order,
        SortMultipleOptions::default()
            .with_order_descending_multi(descending)
            .with_maintain_order(true),
    )
}

/// Rows whose text in `column` contains any of `terms`, ignoring case; nulls are `false`
/// (pandas' `str.contains(term, case=False) == True`, OR-ed over the terms).
pub fn contains_any(df: &DataFrame, column: &str, terms: &[&str]) -> PolarsResult<BooleanChunked> {
    let terms: Vec<String> = terms.iter().map(|t| t.to_lowercase()).collect();
    let values = df.column(column)?.str()?;
    Ok(values
        .iter()
        .map(|v| {
            v.is_some_and(|v| {
                let v = v.to_lowercase();
                terms.iter().any(|t| v.contains(t.as_str()))
            })
        })
        .collect::<BooleanChunked>()
        .with_name(column.into()))
}

/// Lists longer than this make [`subset_counts`] refuse: 2^n subsets per row.
pub const MAX_SUBSET_LIST: usize = 24;

/// Counts, over the rows of a list column, every subset of `min_size` or more items of each
/// row's list (items lower-cased and sorted, duplicates kept): the seed notebook's "most
/// relevant groups of data sources" (`itertools.combinations` of every size, joined with
/// `,`, then `groupby().count()`). Columns `subsets_name` and `subsets_count`, largest count
/// first, ties by name. Null lists are skipped.
///
/// The number of subsets doubles with each item, so a list of more than
/// [`MAX_SUBSET_LIST`] items is an error that names the row.
pub fn subset_counts(df: &DataFrame, column: &str, min_size: usize) -> PolarsResult<DataFrame> {
    let lists = df.column(column)?.list()?;
    let mut counts: std::collections::HashMap<String, u32> = std::collections::HashMap::new();
    for row in 0..lists.len() {
        let Some(list) = lists.get_as_series(row) else {
            continue;
        };
        let mut items: Vec<String> = list
            .str()?
            .iter()
            .flatten()
            .map(str::to_lowercase)
            .collect();
        items.sort();
        let n = items.len();
        if n > MAX_SUBSET_LIST {
            polars_bail!(ComputeError: "row {row} of `{column}` lists {n} items: counting its 2^{n} subsets is refused (at most {MAX_SUBSET_LIST} items)");
        }
        for mask in 1u32..(1u32 << n) {
            if (mask.count_ones() as usize) < min_size {
                continue;
            }
            let name: Vec<&str> = (0..n)
                .filter(|i| mask & (1 << i) != 0)
                .map(|i| items[i].as_str())
                .collect();
            *counts.entry(name.join(",")).or_default() += 1;
        }
    }
    let (names, counts): (Vec<String>, Vec<u32>) = counts.into_iter().unzip();
    df!("subsets_name" => names, "subsets_count" => counts)?.sort(
        ["subsets_count", "subsets_name"],
        SortMultipleOptions::default().with_order_descending_multi([true, false]),
    )
}

/// pandas' `df[c].str.contains(pattern, case=False, na=False, regex=False)` as an expression:
/// whether the text contains `pattern`, ignoring case, with null as `false`.
///
/// ```
/// use huntbook_frames::ops::icontains;
/// use polars::prelude::*;
///
/// let df = df!("Image" => [Some(r"C:\Windows\wsmprovhost.exe"), None, Some("cmd.exe")])?;
/// let kept = df.lazy().filter(icontains("Image", "WSMPROVHOST.exe")).collect()?;
/// assert_eq!(kept.height(), 1);
/// # Ok::<(), PolarsError>(())
/// ```
pub fn icontains(column: &str, pattern: &str) -> Expr {
    col(column)
        .str()
        .to_lowercase()
        .str()
        .contains_literal(lit(pattern.to_lowercase()))
        .fill_null(lit(false))
}

/// pandas' `df[c].str.len()`: the length of the text in characters (not bytes), null for
/// null, as `i64`.
pub fn char_len(column: &str) -> Expr {
    col(column).str().len_chars().cast(DataType::Int64)
}

/// pandas' `df.dropna(axis=1, how="all")`: the frame without the columns that are null on
/// every row. A frame without rows keeps its columns, as pandas does.
pub fn drop_null_columns(df: &DataFrame) -> DataFrame {
    if df.height() == 0 {
        return df.clone();
    }
    let kept: Vec<Column> = df
        .columns()
        .iter()
        .filter(|c| c.null_count() < c.len())
        .cloned()
        .collect();
    DataFrame::new(df.height(), kept).unwrap_or_else(|_| df.clone())
}

/// pandas' `df.groupby(by).size()` as a frame: the number of rows per key, in a column named
/// `name`, keys sorted ascending; rows with a null key are left out, as pandas leaves them.
pub fn size_by(df: &DataFrame, by: &[&str], name: &str) -> PolarsResult<DataFrame> {
    let keys: Vec<Expr> = by.iter().map(|c| col(*c)).collect();
    let order: Vec<PlSmallStr> = by.iter().map(|c| PlSmallStr::from(*c)).collect();
    let not_null = by
        .iter()
        .map(|c| col(*c).is_not_null())
        .reduce(|a, b| a.and(b))
        .unwrap_or(lit(true));
    df.clone()
        .lazy()
        .filter(not_null)
        .group_by(keys)
        .agg([len().cast(DataType::Int64).alias(name)])
        .sort(order, SortMultipleOptions::default())
        .collect()
}

/// pandas' `sort_values(column, ascending=False)` on a frame already in key order: largest
/// first, ties kept in their order (a stable sort).
pub fn sort_desc(df: &DataFrame, column: &str) -> PolarsResult<DataFrame> {
    df.sort(
        [column],
        SortMultipleOptions::default()
            .with_order_descending(true)
            .with_maintain_order(true),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame() -> DataFrame {
        let mut platform = ListStringChunkedBuilder::new("platform".into(), 3, 4);
        platform.append_values_iter(["Windows", "macOS"].into_iter());
        platform.append_null();
        platform.append_values_iter(["Linux"].into_iter());
        DataFrame::new(
            3,
            vec![
                Column::new("technique".into(), ["A", "B", "C"]),
                Column::new("matrix".into(), ["m1", "m2", "m1"]),
                platform.finish().into_column(),
            ],
        )
        .unwrap()
    }

    #[test]
    fn explode_drops_empty_like_stack() {
        let exploded = explode(&frame(), &["platform"]).unwrap();
        assert_eq!(exploded.height(), 3);
        let techniques: Vec<_> = exploded
            .column("technique")
            .unwrap()
            .str()
            .unwrap()
            .iter()
            .flatten()
            .map(str::to_string)
            .collect();
        assert_eq!(techniques, ["A", "A", "C"]);
    }

    #[test]
    fn subsets_of_each_row_are_counted() {
        let lists = Series::new(
            "ds".into(),
            [
                Some(Series::new("".into(), ["B", "a", "c"])),
                None,
                Some(Series::new("".into(), ["A", "b"])),
            ],
        );
        let df = DataFrame::new(3, vec![lists.into()]).unwrap();
        let counted = subset_counts(&df, "ds", 2).unwrap();
        let names: Vec<&str> = counted
            .column("subsets_name")
            .unwrap()
            .str()
            .unwrap()
            .iter()
            .flatten()
            .collect();
        let counts: Vec<u32> = counted
            .column("subsets_count")
            .unwrap()
            .u32()
            .unwrap()
            .iter()
            .flatten()
            .collect();
        assert_eq!(names, ["a,b", "a,b,c", "a,c", "b,c"]);
        assert_eq!(counts, [2, 1, 1, 1]);
    }

    #[test]
    fn subsets_of_a_long_list_are_refused() {
        let items: Vec<String> = (0..30).map(|i| format!("s{i}")).collect();
        let lists = Series::new("ds".into(), [Some(Series::new("".into(), items))]);
        let df = DataFrame::new(1, vec![lists.into()]).unwrap();
        let err = subset_counts(&df, "ds", 2).unwrap_err().to_string();
        assert!(err.contains("row 0 of `ds` lists 30 items"), "{err}");
    }

    #[test]
    fn contains_any_ignores_case_and_nulls() {
        let df =
            df!("ds" => [Some("Windows Registry"), None, Some("WMI: WMI Creation"), Some("File")])
                .unwrap();
        let mask = contains_any(&df, "ds", &["windows", "wmi"]).unwrap();
        assert_eq!(
            mask.iter().collect::<Vec<_>>(),
            [Some(true), Some(false), Some(true), Some(false)]
        );
    }

    #[test]
    fn counts_by_key_and_by_count() {
        let counted = count_by(&frame(), &["matrix"], "technique").unwrap();
        let keys: Vec<_> = counted
            .column("matrix")
            .unwrap()
            .str()
            .unwrap()
            .iter()
            .flatten()
            .map(str::to_string)
            .collect();
        assert_eq!(keys, ["m1", "m2"]);
        let n: Vec<_> = counted
            .column("technique")
            .unwrap()
            .u32()
            .unwrap()
            .iter()
            .flatten()
            .collect();
        assert_eq!(n, [2, 1]);
        let desc = count_by_desc(&frame(), &["matrix"], "technique").unwrap();
        assert_eq!(
            desc.column("technique").unwrap().u32().unwrap().get(0),
            Some(2)
        );
    }

    #[test]
    fn pandas_helpers_match_pandas_semantics() -> PolarsResult<()> {
        let df = df!(
            "Image" => [Some("C:\\WSMPROVHOST.EXE"), None, Some("cmd.exe"), Some("wsmprovhost.exe")],
            "CommandLine" => [Some("héllo"), None, Some("ab"), Some("")],
            "Empty" => [None::<&str>, None, None, None],
            "EventID" => [Some(7i64), Some(1), None, Some(7)],
        )?;
        let hits = df
            .clone()
            .lazy()
            .select([icontains("Image", "WsmProvHost.exe")])
            .collect()?;
        let hits: Vec<Option<bool>> = hits.column("Image")?.bool()?.iter().collect();
        assert_eq!(hits, [Some(true), Some(false), Some(false), Some(true)]);
        let lengths = df
            .clone()
            .lazy()
            .select([char_len("CommandLine")])
            .collect()?;
        let lengths: Vec<Option<i64>> = lengths.column("CommandLine")?.i64()?.iter().collect();
        assert_eq!(
            lengths,
            [Some(5), None, Some(2), Some(0)],
            "characters, not bytes"
        );
        assert_eq!(
            drop_null_columns(&df).get_column_names(),
            ["Image", "CommandLine", "EventID"]
        );
        let sizes = size_by(&df, &["EventID"], "size")?;
        assert_eq!(sizes.column("EventID")?.i64()?.to_vec(), [Some(1), Some(7)]);
        assert_eq!(sizes.column("size")?.i64()?.to_vec(), [Some(1), Some(2)]);
        let sorted = sort_desc(&sizes, "size")?;
        assert_eq!(
            sorted.column("EventID")?.i64()?.to_vec(),
            [Some(7), Some(1)]
        );
        Ok(())
    }
}
