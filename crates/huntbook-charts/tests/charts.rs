//! What is drawn matches the data: bars counted and measured in the SVG, labels present,
//! PNG files written; and snapshots of the SVG, reviewed when they change.

use huntbook_charts::{counts_of_counts, BarChart, BarOrder, Error, StackedBarChart, PALETTE};
use polars::prelude::*;

/// `(x, y, width, height, fill)` of every rectangle drawn in a palette color.
fn colored_rects(svg: &str) -> Vec<(i32, i32, i32, i32, String)> {
    let palette: Vec<String> = PALETTE
        .iter()
        .map(|c| format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2))
        .collect();
    svg.split("<rect ")
        .skip(1)
        .filter_map(|r| {
            let attr = |name: &str| -> Option<String> {
                let start = r
                    .find(&format!(" {name}=\""))
                    .or_else(|| r.starts_with(&format!("{name}=\"")).then_some(0).map(|_| 0))?;
                let rest = &r[start..];
                let rest = &rest[rest.find('"')? + 1..];
                Some(rest[..rest.find('"')?].to_string())
            };
            let fill = attr("fill")?;
            palette.contains(&fill).then(|| {
                let n = |k: &str| attr(k).and_then(|v| v.parse().ok()).unwrap_or(-1);
                (n("x"), n("y"), n("width"), n("height"), fill)
            })
        })
        .collect()
}

/// Bars are the palette rectangles that are not 12x12 legend swatches.
fn bars(svg: &str) -> Vec<(i32, i32, i32, i32, String)> {
    colored_rects(svg)
        .into_iter()
        .filter(|r| !(r.2 == 12 && r.3 == 12))
        .collect()
}

fn texts(svg: &str) -> Vec<String> {
    svg.split("<text")
        .skip(1)
        .filter_map(|t| {
            let body = &t[t.find('>')? + 1..];
            Some(body[..body.find("</text>")?].trim().to_string())
        })
        .collect()
}

fn per_matrix() -> DataFrame {
    df!(
        "matrix" => ["mitre-attack", "mitre-ics-attack", "mitre-mobile-attack", "mitre-pre-attack"],
        "technique" => [563u32, 89, 90, 174],
    )
    .unwrap()
}

#[test]
fn horizontal_bars_are_proportional_and_labelled() {
    let chart = BarChart::from_frame(&per_matrix(), "matrix", "technique")
        .unwrap()
        .horizontal()
        .color_by_category()
        .value_labels()
        .title("Techniques per matrix")
        .render()
        .unwrap();
    let svg = chart.svg();
    let bars = bars(svg);
    assert_eq!(bars.len(), 4);
    // Widths follow the values; the first row is drawn on top.
    let unit = bars[0].2 as f64 / 563.0;
    for (bar, value) in bars.iter().zip([563.0, 89.0, 90.0, 174.0]) {
        assert!(
            (bar.2 as f64 - value * unit).abs() <= 1.5,
            "{bar:?} for {value}"
        );
    }
    assert!(bars.windows(2).all(|w| w[0].1 < w[1].1));
    // One color per category, with a legend.
    let colors: std::collections::HashSet<_> = bars.iter().map(|b| b.4.clone()).collect();
    assert_eq!(colors.len(), 4);
    assert_eq!(colored_rects(svg).len(), 8);
    let texts = texts(svg);
    for needle in [
        "563",
        "89",
        "90",
        "174",
        "mitre-pre-attack",
        "Techniques per matrix",
        "technique",
    ] {
        assert!(texts.iter().any(|t| t == needle), "{needle} in {texts:?}");
    }
    assert_eq!(chart.size(), (640, 400));
}

#[test]
fn sorted_vertical_bars_with_rotated_labels() {
    let chart = BarChart::from_frame(&per_matrix(), "matrix", "technique")
        .unwrap()
        .sort(BarOrder::Descending)
        .rotate_labels()
        .render()
        .unwrap();
    let bars = bars(chart.svg());
    assert_eq!(bars.len(), 4);
    assert!(bars.windows(2).all(|w| w[0].0 < w[1].0), "left to right");
    assert!(
        bars.windows(2).all(|w| w[0].3 >= w[1].3),
        "tallest first: {bars:?}"
    );
    assert!(chart.svg().contains("rotate(90"), "rotated tick labels");
    let ascending = BarChart::from_frame(&per_matrix(), "matrix", "technique")
        .unwrap()
        .sort(BarOrder::Ascending)
        .render()
        .unwrap();
    let bars = self::bars(ascending.svg());
    assert!(bars.windows(2).all(|w| w[0].3 <= w[1].3), "{bars:?}");
}

#[test]
fn normalized_stacks_fill_the_same_width() {
    let df = df!(
        "data_sources" => ["Windows Registry", "Windows Registry", "WMI", "WMI", "Windows Error Reporting"],
        "platform" => ["Windows", "macOS", "Windows", "Linux", "Windows"],
        "technique" => [30u32, 10, 5, 5, 8],
    )
    .unwrap();
    let chart = StackedBarChart::from_frame(&df, "data_sources", "platform", "technique")
        .unwrap()
        .normalize()
        .horizontal()
        .render()
        .unwrap();
    let segments = bars(chart.svg());
    assert_eq!(segments.len(), 5);
    let mut rows: std::collections::BTreeMap<i32, Vec<i32>> = Default::default();
    for s in &segments {
        rows.entry(s.1).or_default().push(s.2);
    }
    assert_eq!(rows.len(), 3);
    let widths: Vec<i32> = rows.values().map(|w| w.iter().sum()).collect();
    assert!(
        widths.iter().all(|w| (w - widths[0]).abs() <= 2),
        "{widths:?}"
    );
    // Windows Registry: 75% Windows, 25% macOS.
    let registry = rows
        .values()
        .find(|w| w.len() == 2 && w[0] > 2 * w[1])
        .unwrap();
    assert!((registry[0] as f64 / (registry[0] + registry[1]) as f64 - 0.75).abs() < 0.02);
    assert!(texts(chart.svg()).iter().any(|t| t == "100%"));
    // Stacked but not normalized: the bars keep their totals.
    let plain = StackedBarChart::from_frame(&df, "data_sources", "platform", "technique")
        .unwrap()
        .render()
        .unwrap();
    assert_eq!(bars(plain.svg()).len(), 5);
}

#[test]
fn counts_of_counts_counts_groups_by_size() {
    let exploded = df!("technique" => ["a", "a", "a", "b", "c", "c", "d", "d", "d"]).unwrap();
    let counts = counts_of_counts(&exploded, "technique", "data_sources").unwrap();
    assert_eq!(counts.get_column_names(), ["data_sources", "groups"]);
    let n: Vec<Option<u32>> = counts
        .column("data_sources")
        .unwrap()
        .u32()
        .unwrap()
        .iter()
        .collect();
    let g: Vec<Option<u32>> = counts
        .column("groups")
        .unwrap()
        .u32()
        .unwrap()
        .iter()
        .collect();
    assert_eq!(n, [Some(1), Some(2), Some(3)]);
    assert_eq!(g, [Some(1), Some(1), Some(2)]);
    let chart = BarChart::from_frame(&counts, "data_sources", "groups")
        .unwrap()
        .value_labels()
        .render()
        .unwrap();
    assert_eq!(bars(chart.svg()).len(), 3);
}

#[test]
fn bad_input_is_an_error() {
    let df = per_matrix();
    let err = BarChart::from_frame(&df, "tactic", "technique").unwrap_err();
    assert!(matches!(err, Error::NoColumn { .. }));
    assert_eq!(
        err.to_string(),
        "no column \"tactic\" in the frame (columns: matrix, technique)"
    );
    let err = BarChart::from_frame(&df, "technique", "matrix")
        .unwrap_err()
        .to_string();
    assert!(err.contains("\"matrix\" holds str, not numbers"), "{err}");
    let with_null = df!("k" => ["a", "b"], "v" => [Some(1.0), None]).unwrap();
    let err = BarChart::from_frame(&with_null, "k", "v")
        .unwrap_err()
        .to_string();
    assert!(err.contains("row 1"), "{err}");
    assert!(BarChart::new(["a"], [1.0, 2.0]).is_err());
    assert!(BarChart::new(["a"], [f64::NAN]).is_err());
    let err = BarChart::new(["a"], [1.0])
        .unwrap()
        .size(10, 10)
        .render()
        .unwrap_err();
    assert!(err.to_string().contains("too small"), "{err}");
    let negative = df!("k" => ["a"], "s" => ["x"], "v" => [-1i32]).unwrap();
    assert!(StackedBarChart::from_frame(&negative, "k", "s", "v").is_err());
    let empty = BarChart::new(Vec::<String>::new(), Vec::<f64>::new())
        .unwrap()
        .render();
    assert!(empty.is_ok(), "an empty chart draws its axes");
}

#[test]
fn saves_svg_and_png() {
    let chart = BarChart::from_frame(&per_matrix(), "matrix", "technique")
        .unwrap()
        .color_by_category()
        .size(500, 300)
        .render()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    chart.save_svg(dir.path().join("c.svg")).unwrap();
    assert_eq!(
        std::fs::read_to_string(dir.path().join("c.svg")).unwrap(),
        chart.svg()
    );
    chart.save_png(dir.path().join("c.png")).unwrap();
    let png = std::fs::read(dir.path().join("c.png")).unwrap();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    let width = u32::from_be_bytes(png[16..20].try_into().unwrap());
    let height = u32::from_be_bytes(png[20..24].try_into().unwrap());
    assert_eq!((width, height), (500, 300));
    let err = chart
        .save_svg(dir.path().join("missing/c.svg"))
        .unwrap_err();
    assert!(err.to_string().contains("missing/c.svg"), "{err}");
    let out = chart.evcxr_output();
    assert!(out.starts_with("EVCXR_BEGIN_CONTENT image/svg+xml\n<svg"));
    assert!(out.ends_with("</svg>\nEVCXR_END_CONTENT\n"));
}

#[test]
fn svg_snapshots() {
    let bar = BarChart::from_frame(&per_matrix(), "matrix", "technique")
        .unwrap()
        .horizontal()
        .color_by_category()
        .value_labels()
        .title("Techniques per matrix")
        .size(640, 260)
        .render()
        .unwrap();
    insta::assert_snapshot!("horizontal_bar", bar.svg());
    let df = df!(
        "data_sources" => ["Windows Registry", "Windows Registry", "WMI"],
        "platform" => ["Windows", "macOS", "Windows"],
        "technique" => [30u32, 10, 5],
    )
    .unwrap();
    let stacked = StackedBarChart::from_frame(&df, "data_sources", "platform", "technique")
        .unwrap()
        .normalize()
        .horizontal()
        .size(640, 240)
        .render()
        .unwrap();
    insta::assert_snapshot!("normalized_stack", stacked.svg());
}

/// The fill of every rectangle but the white background and the transparent tooltips.
fn fills(svg: &str) -> std::collections::BTreeSet<String> {
    svg.split("<rect ")
        .skip(1)
        .filter_map(|r| {
            let start = r.find("fill=\"")? + 6;
            Some(r[start..start + r[start..].find('"')?].to_string())
        })
        .filter(|f| f != "#FFFFFF" && f != "#000")
        .collect()
}

#[test]
fn a_reader_sees_exact_values_distinct_colors_and_labels() {
    // 24 categories, three of them sharing their first 40 characters.
    let mut names: Vec<String> = (0..21).map(|i| format!("category {i}")).collect();
    names.push("network connection creation,network traffic content".into());
    names.push("network connection creation,network traffic flow".into());
    names.push("network connection creation,network traffic flow,process creation".into());
    let values: Vec<f64> = (0..24).map(|i| i as f64 + 0.25).collect();
    let svg = BarChart::new(names.clone(), values.clone())
        .unwrap()
        .color_by_category()
        .rotate_labels()
        .size(1400, 700)
        .render()
        .unwrap()
        .svg()
        .to_string();
    // Each bar carries its whole label and exact value as a tooltip.
    for (name, value) in names.iter().zip(&values) {
        assert!(
            svg.contains(&format!("<title>{name}: {value}</title>")),
            "no tooltip for {name}"
        );
    }
    // A color of its own for each of the 24 categories.
    assert_eq!(fills(&svg).len(), 24, "{:?}", fills(&svg));
    // Shortened labels stay distinct.
    let shown: std::collections::BTreeSet<String> = texts(&svg)
        .into_iter()
        .filter(|t| t.starts_with("network"))
        .collect();
    assert_eq!(shown.len(), 3, "{shown:?}");
    assert!(shown.iter().all(|t| t.chars().count() <= 40), "{shown:?}");
    // Major grid lines only: plotters draws the minor ones at opacity 0.1.
    assert!(!svg.contains("opacity=\"0.1\""));
}

#[test]
fn stacked_segments_and_boxes_carry_their_values() {
    let df = df!(
        "data_sources" => ["Windows Registry", "Windows Registry", "WMI"],
        "platform" => ["Windows", "macOS", "Windows"],
        "technique" => [30u32, 10, 5],
    )
    .unwrap();
    let svg = StackedBarChart::from_frame(&df, "data_sources", "platform", "technique")
        .unwrap()
        .normalize()
        .render()
        .unwrap()
        .svg()
        .to_string();
    assert!(
        svg.contains("<title>Windows Registry, macOS: 10 (25.0% of 40)</title>"),
        "{svg}"
    );
    assert!(svg.contains("<title>WMI, Windows: 5 (100.0% of 5)</title>"));
    let lengths = df!("User" => ["a", "a", "a", "b"], "len" => [1i64, 2, 3, 40]).unwrap();
    let svg = huntbook_charts::BoxPlot::from_frame(&lengths, "User", "len")
        .unwrap()
        .render()
        .unwrap()
        .svg()
        .to_string();
    assert!(
        svg.contains("<title>a: 3 values, median 2, quartiles 1.5 to 2.5, whiskers 1 to 3</title>"),
        "{svg}"
    );
}
