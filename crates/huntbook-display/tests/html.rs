//! Snapshots of the HTML a frame shows as, and the cases that shape it.

use huntbook_display::{DisplayOptions, FrameDisplay};
use polars::prelude::*;

fn techniques(rows: usize) -> DataFrame {
    let ids: Vec<String> = (0..rows).map(|i| format!("T{:04}", 1000 + i)).collect();
    let names: Vec<String> = (0..rows)
        .map(|i| {
            if i == 1 {
                "A technique whose name is much longer than fifty characters, like a sentence"
                    .into()
            } else {
                format!("Technique <{i}> & co")
            }
        })
        .collect();
    let mut platform = ListStringChunkedBuilder::new("platform".into(), rows, rows * 2);
    for i in 0..rows {
        if i % 3 == 2 {
            platform.append_null();
        } else {
            platform.append_values_iter(["Windows", "macOS"].into_iter().take(1 + i % 2));
        }
    }
    DataFrame::new(
        rows,
        vec![
            Column::new("technique_id".into(), ids),
            Column::new("technique".into(), names),
            platform.finish().into_column(),
            Column::new(
                "revoked".into(),
                (0..rows).map(|i| i % 2 == 0).collect::<Vec<_>>(),
            ),
        ],
    )
    .unwrap()
}

#[test]
fn small_frame_snapshot() {
    insta::assert_snapshot!("small_frame", techniques(3).to_html());
}

#[test]
fn long_frame_shows_head_ellipsis_and_tail() {
    let html = techniques(100).to_html();
    insta::assert_snapshot!("long_frame", html);
    assert_eq!(
        html.matches("<tr>").count(),
        11,
        "5 head rows, the ellipsis, 5 tail rows"
    );
    assert!(html.contains("<th>99</th>") && !html.contains("<th>50</th>"));
    assert!(html.contains("<p>100 rows × 4 columns</p>"));
}

#[test]
fn cells_lists_nulls_and_escaping() {
    let html = techniques(3).to_html();
    assert!(html.contains("<td>[Windows]</td>"));
    assert!(html.contains("<td>[Windows, macOS]</td>"));
    assert!(html.contains("<td>null</td>"));
    assert!(html.contains("<td>Technique &lt;0&gt; &amp; co</td>"));
    // A cut cell keeps its whole text in its tooltip.
    assert!(html.contains(
        "<td title=\"A technique whose name is much longer than fifty characters, like a sentence\">\
         A technique whose name is much longer than fift...</td>"
    ));
    assert!(html.contains("<th title=\"list[str]\">platform</th>"));
}

#[test]
fn wide_frames_elide_middle_columns() {
    let columns: Vec<Column> = (0..30)
        .map(|i| Column::new(format!("c{i}").into(), [i as i64]))
        .collect();
    let df = DataFrame::new(1, columns).unwrap();
    let html = df.to_html();
    assert!(
        html.contains("<th title=\"i64\">c0</th>") && html.contains("<th title=\"i64\">c29</th>")
    );
    assert!(!html.contains(">c15<"));
    assert!(html.contains("<th>...</th>"));
    let narrow = df.to_html_with(&DisplayOptions {
        max_columns: 40,
        ..Default::default()
    });
    assert!(narrow.contains(">c15<"));
}

#[test]
fn evcxr_output_has_html_and_text() {
    let out = techniques(2).evcxr_output();
    assert!(out.starts_with("EVCXR_BEGIN_CONTENT text/html\n<div>"));
    assert!(out.contains("EVCXR_END_CONTENT\nEVCXR_BEGIN_CONTENT text/plain\nshape: (2, 4)"));
    assert!(out.ends_with("EVCXR_END_CONTENT\n"));
    let empty = DataFrame::empty().to_html();
    assert!(empty.contains("0 rows × 0 columns"));
}
