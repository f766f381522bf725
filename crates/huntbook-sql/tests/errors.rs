//! The SQL engine's error classes, with the whole message a notebook prints.

use huntbook_sql::{Sql, SqlError};
use polars::prelude::*;

#[test]
fn a_polars_sql_fault_names_the_step() {
    let mut sql = Sql::polars();
    let events = df!("EventID" => [1i64, 4624]).unwrap();
    sql.register_frame("events", &events).unwrap();
    let text = sql
        .query("SELECT Image FROM events")
        .unwrap_err()
        .to_string();
    assert!(text.starts_with("polars SQL: "), "{text}");
    assert!(text.contains("Image"), "{text}");
}

#[test]
fn a_remote_without_the_spark_feature_says_how_to_get_it() {
    let error = SqlError::NoSparkFeature("sc://cluster:15002".into());
    assert_eq!(
        error.to_string(),
        "HUNTBOOK_SPARK_REMOTE is set (sc://cluster:15002), but huntbook was built without its \
         `spark` feature: load it with `:dep huntbook = { ..., features = [\"spark\"] }`, or \
         unset the variable to use polars"
    );
}
