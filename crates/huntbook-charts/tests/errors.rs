//! Every error class of the crate, caused through the API, with the whole message a notebook
//! prints (evcxr prints an error returned with `?` by `Display`).

use huntbook_charts::{BarChart, Error};
use polars::prelude::*;

fn message<T>(result: Result<T, Error>) -> String {
    match result {
        Ok(_) => panic!("expected an error"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn a_missing_column_lists_the_columns() {
    let df = df!("matrix" => ["enterprise"], "techniques" => [1u32]).unwrap();
    assert_eq!(
        message(BarChart::from_frame(&df, "tactic", "techniques")),
        "no column \"tactic\" in the frame (columns: matrix, techniques)"
    );
}

#[test]
fn data_that_cannot_make_the_chart_says_where() {
    let df = df!("k" => ["a", "b"], "v" => [Some(1.0), None]).unwrap();
    assert_eq!(
        message(BarChart::from_frame(&df, "k", "v")),
        "column \"v\" has no finite number in row 1"
    );
    assert_eq!(
        message(BarChart::new(["a"], [1.0, 2.0])),
        "a bar chart needs one value per category: 1 category but 2 values"
    );
    assert_eq!(
        message(BarChart::new(["a"], [1.0]).unwrap().size(10, 10).render()),
        "a chart of 10x10 pixels is too small (100x100 at least)"
    );
}

#[test]
fn a_file_that_cannot_be_written_is_named() {
    let chart = BarChart::new(["a"], [1.0]).unwrap().render().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let svg = dir.path().join("missing/c.svg");
    let text = message(chart.save_svg(&svg));
    assert!(
        text.starts_with(&format!("failed to write {}: ", svg.display())),
        "{text}"
    );
    let png = dir.path().join("missing/c.png");
    let text = message(chart.save_png(&png));
    assert!(
        text.starts_with(&format!("failed to write {}: ", png.display())),
        "{text}"
    );
}

#[test]
fn drawing_faults_keep_their_source() {
    let error = Error::Draw {
        source: "the drawing area is too small".into(),
    };
    assert_eq!(
        error.to_string(),
        "failed to draw the chart: the drawing area is too small"
    );
    assert!(std::error::Error::source(&error).is_some());
    assert_eq!(
        Error::Font.to_string(),
        "the bundled font DejaVu Sans cannot be read"
    );
}
