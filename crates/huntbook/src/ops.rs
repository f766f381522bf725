//! The pandas one-liners of the seed notebooks, as polars functions precompiled here so that
//! notebook cells stay short (and compile fast).

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
}
