//! How a polars `DataFrame` shows in a notebook: an HTML table like the one pandas shows in
//! Jupyter (head and tail around an ellipsis row, a `rows × columns` footer, long and list
//! cells shortened, the whole text of a shortened cell in its tooltip), with polars' own text
//! table as the plain-text fallback. [`FrameDisplay::full_text`] shows every cell's whole
//! text instead, wrapped; an ATT&CK id links to its attack.mitre.org page when the frame
//! carries that page's URL in a `url` column.
//!
//! evcxr shows the last expression of a cell through its `evcxr_display` method; polars'
//! `DataFrame` is a foreign type, so the method comes from the [`FrameDisplay`] extension
//! trait, which the huntbook prelude brings into scope.
//!
//! ```
//! use huntbook_display::FrameDisplay;
//! use polars::prelude::*;
//!
//! let df = df!("technique_id" => ["T1003", "T1059"], "tactic" => ["credential-access", "execution"])?;
//! let html = df.to_html();
//! assert!(html.contains(">technique_id</th>"));
//! assert!(html.contains("2 rows × 2 columns"));
//! # Ok::<(), PolarsError>(())
//! ```
#![warn(missing_docs)]
#![forbid(unsafe_code)]

use std::fmt::Write as _;

use polars::prelude::*;

pub mod evcxr;
mod info;

use evcxr::escape;
pub use info::{info, pandas_dtype, ColumnInfo, Info};

/// Limits of the rendered table, with pandas' defaults.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DisplayOptions {
    /// Frames with more rows show only `min_rows` (pandas `display.max_rows`, 60).
    pub max_rows: usize,
    /// Rows shown when truncated, half from the head and half from the tail (pandas
    /// `display.min_rows`, 10).
    pub min_rows: usize,
    /// Frames with more columns show the first and last halves around an ellipsis column
    /// (pandas `display.max_columns`, 20).
    pub max_columns: usize,
    /// Longer cell text is cut with `...` (pandas `display.max_colwidth`, 50).
    pub max_colwidth: usize,
    /// List cells show at most this many items.
    pub max_list_items: usize,
}

impl Default for DisplayOptions {
    fn default() -> Self {
        Self {
            max_rows: 60,
            min_rows: 10,
            max_columns: 20,
            max_colwidth: 50,
            max_list_items: 10,
        }
    }
}

impl DisplayOptions {
    /// Every cell's whole text, wrapped in its column, up to `max_rows` rows (pandas'
    /// `display.max_colwidth = None`).
    pub fn full_text() -> Self {
        Self {
            max_colwidth: usize::MAX,
            max_list_items: usize::MAX,
            ..Self::default()
        }
    }
}

/// A table rendered for a notebook: shows as HTML (with a plain-text fallback) when it is the
/// last expression of an evcxr cell. What [`FrameDisplay::full_text`] and
/// [`FrameDisplay::table_with`] return.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// The HTML table.
    pub html: String,
    /// The plain-text fallback.
    pub text: String,
}

impl Table {
    /// What [`Table::evcxr_display`] prints: a `text/html` and a `text/plain` block of
    /// evcxr's protocol.
    pub fn evcxr_output(&self) -> String {
        evcxr::output(&[("text/html", &self.html), ("text/plain", &self.text)])
    }

    /// Shows the table in an evcxr notebook, in one locked write.
    pub fn evcxr_display(&self) {
        evcxr::show(&[("text/html", &self.html), ("text/plain", &self.text)]);
    }
}

/// Rich display of a `DataFrame` in notebooks.
pub trait FrameDisplay {
    /// The HTML table, with default [`DisplayOptions`].
    fn to_html(&self) -> String {
        self.to_html_with(&DisplayOptions::default())
    }

    /// The HTML table.
    fn to_html_with(&self, options: &DisplayOptions) -> String;

    /// The plain-text fallback.
    fn to_text(&self) -> String;

    /// The table with other limits, ready to show (the last expression of a cell).
    fn table_with(&self, options: &DisplayOptions) -> Table {
        Table {
            html: self.to_html_with(options),
            text: self.to_text(),
        }
    }

    /// The table with every cell's whole text (no `...` cut, long text wrapped), ready to
    /// show: `events.select(["CommandLine"])?.full_text()` as the last expression of a cell.
    fn full_text(&self) -> Table {
        self.table_with(&DisplayOptions::full_text())
    }

    /// The summary of columns, non-null counts, types and memory (pandas' `info()`).
    fn info(&self) -> Info;

    /// What [`FrameDisplay::evcxr_display`] prints: a `text/html` and a `text/plain` block
    /// of evcxr's protocol.
    fn evcxr_output(&self) -> String {
        evcxr::output(&[
            ("text/html", &self.to_html()),
            ("text/plain", &self.to_text()),
        ])
    }

    /// Shows the frame in an evcxr notebook, in one locked write.
    fn evcxr_display(&self) {
        evcxr::show(&[
            ("text/html", &self.to_html()),
            ("text/plain", &self.to_text()),
        ]);
    }
}

/// The text shown, and the whole text when it was cut.
fn shorten(text: String, max: usize) -> (String, Option<String>) {
    if text.chars().count() <= max {
        (text, None)
    } else {
        let mut t: String = text.chars().take(max.saturating_sub(3)).collect();
        t.push_str("...");
        (t, Some(text))
    }
}

/// Whether `text` reads as an ATT&CK id (`T1003`, `T1003.001`, `TA0006`, `G0016`, `S0002`,
/// `M1026`, `C0024`, `DS0009`, `DC0021`, `DET0001`, `AN0001`).
fn is_attack_id(text: &str) -> bool {
    let prefix_len = text.chars().take_while(|c| c.is_ascii_uppercase()).count();
    let prefix = &text[..prefix_len];
    let rest = &text[prefix_len..];
    let (number, sub) = match rest.split_once('.') {
        Some((n, s)) => (n, Some(s)),
        None => (rest, None),
    };
    matches!(
        prefix,
        "T" | "TA" | "G" | "S" | "M" | "C" | "DS" | "DC" | "DET" | "AN"
    ) && number.len() >= 4
        && number.chars().all(|c| c.is_ascii_digit())
        && sub.is_none_or(|s| s.len() == 3 && s.chars().all(|c| c.is_ascii_digit()))
}

/// The attack.mitre.org page of row `r`, from the frame's `url` column.
fn attack_url(url: Option<&Column>, r: usize) -> Option<String> {
    let value = url?.get(r).ok()?;
    let url = match value {
        AnyValue::String(s) => s.to_string(),
        AnyValue::StringOwned(s) => s.to_string(),
        _ => return None,
    };
    url.starts_with("https://attack.mitre.org/").then_some(url)
}

/// A cell as text, the way pandas writes it: strings bare, lists in brackets, nulls as
/// `null`.
fn cell_text(value: &AnyValue<'_>, options: &DisplayOptions) -> String {
    match value {
        AnyValue::Null => "null".to_string(),
        AnyValue::String(s) => s.to_string(),
        AnyValue::StringOwned(s) => s.to_string(),
        AnyValue::List(series) => {
            let mut items: Vec<String> = Vec::new();
            for i in 0..series.len().min(options.max_list_items) {
                items.push(match series.get(i) {
                    Ok(v) => cell_text(&v, options),
                    Err(_) => "?".into(),
                });
            }
            if series.len() > options.max_list_items {
                items.push("...".into());
            }
            format!("[{}]", items.join(", "))
        }
        other => other.to_string(),
    }
}

/// Positions to show: all, or head and tail halves with `None` for the ellipsis.
fn positions(len: usize, max: usize, shown: usize) -> Vec<Option<usize>> {
    if len <= max {
        (0..len).map(Some).collect()
    } else {
        let head = shown.div_ceil(2);
        let tail = shown / 2;
        (0..head)
            .map(Some)
            .chain(std::iter::once(None))
            .chain((len - tail..len).map(Some))
            .collect()
    }
}

/// Whole cell text wraps in its column, keeping its line breaks.
const FULL_STYLE: &str = "<style scoped>\n    .dataframe td { white-space: pre-wrap; word-break: break-word; text-align: left; vertical-align: top; }\n</style>\n";

const STYLE: &str = "<style scoped>\n    .dataframe tbody tr th:only-of-type { vertical-align: middle; }\n    .dataframe tbody tr th { vertical-align: top; }\n    .dataframe thead th { text-align: right; }\n</style>\n";

impl FrameDisplay for DataFrame {
    fn to_html_with(&self, options: &DisplayOptions) -> String {
        let rows = positions(self.height(), options.max_rows, options.min_rows.max(2));
        let cols = positions(
            self.width(),
            options.max_columns,
            options.max_columns.max(2),
        );
        let columns = self.columns();
        let url = self.column("url").ok();
        let full = options.max_colwidth == usize::MAX;
        let mut html = String::new();
        html.push_str("<div>\n");
        html.push_str(STYLE);
        if full {
            html.push_str(FULL_STYLE);
        }
        html.push_str("<table border=\"1\" class=\"dataframe\">\n  <thead>\n    <tr style=\"text-align: right;\">\n      <th></th>\n");
        for c in &cols {
            match c {
                Some(c) => {
                    let col = &columns[*c];
                    let _ = writeln!(
                        html,
                        "      <th title=\"{}\">{}</th>",
                        escape(&col.dtype().to_string()),
                        escape(col.name())
                    );
                }
                None => html.push_str("      <th>...</th>\n"),
            }
        }
        html.push_str("    </tr>\n  </thead>\n  <tbody>\n");
        for r in &rows {
            html.push_str("    <tr>\n");
            match r {
                Some(r) => {
                    let _ = writeln!(html, "      <th>{r}</th>");
                    for c in &cols {
                        let (text, whole) = match c {
                            Some(c) => match columns[*c].get(*r) {
                                Ok(v) => shorten(cell_text(&v, options), options.max_colwidth),
                                Err(_) => ("?".into(), None),
                            },
                            None => ("...".into(), None),
                        };
                        let link = c
                            .filter(|_| is_attack_id(&text))
                            .and_then(|_| attack_url(url, *r))
                            .filter(|u| u.contains(&text.replace('.', "/")));
                        match (link, whole) {
                            (Some(link), _) => {
                                let _ = writeln!(
                                    html,
                                    "      <td><a href=\"{}\" target=\"_blank\">{}</a></td>",
                                    escape(&link),
                                    escape(&text)
                                );
                            }
                            (None, Some(whole)) => {
                                let _ = writeln!(
                                    html,
                                    "      <td title=\"{}\">{}</td>",
                                    escape(&whole),
                                    escape(&text)
                                );
                            }
                            (None, None) => {
                                let _ = writeln!(html, "      <td>{}</td>", escape(&text));
                            }
                        }
                    }
                }
                None => {
                    html.push_str("      <th>...</th>\n");
                    for _ in &cols {
                        html.push_str("      <td>...</td>\n");
                    }
                }
            }
            html.push_str("    </tr>\n");
        }
        let _ = write!(
            html,
            "  </tbody>\n</table>\n<p>{} rows × {} columns</p>\n</div>",
            self.height(),
            self.width()
        );
        html
    }

    fn to_text(&self) -> String {
        self.to_string()
    }

    fn info(&self) -> Info {
        info(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_keep_head_and_tail() {
        assert_eq!(positions(3, 60, 10), [Some(0), Some(1), Some(2)]);
        let p = positions(100, 60, 10);
        assert_eq!(p.len(), 11);
        assert_eq!(p[4], Some(4));
        assert_eq!(p[5], None);
        assert_eq!(p[6], Some(95));
        assert_eq!(p[10], Some(99));
    }

    #[test]
    fn attack_ids_are_recognized() {
        for id in [
            "T1003",
            "T1003.001",
            "TA0006",
            "G0016",
            "S0002",
            "M1026",
            "DS0009",
            "DET0001",
        ] {
            assert!(is_attack_id(id), "{id}");
        }
        for text in [
            "T10",
            "T1003.1",
            "X1003",
            "T1003x",
            "t1003",
            "",
            "Process Creation",
        ] {
            assert!(!is_attack_id(text), "{text}");
        }
    }

    #[test]
    fn ids_link_to_their_page_and_cut_cells_keep_their_text() -> PolarsResult<()> {
        let long = "powershell.exe -nop -w hidden -c ".repeat(3);
        let df = df!(
            "technique_id" => ["T1003.001", "T1059"],
            "technique" => ["LSASS Memory", long.as_str()],
            "url" => ["https://attack.mitre.org/techniques/T1003/001", "https://example.org/T1059"],
        )?;
        let html = df.to_html();
        assert!(html.contains(
            "<td><a href=\"https://attack.mitre.org/techniques/T1003/001\" target=\"_blank\">T1003.001</a></td>"
        ), "{html}");
        // Not an attack.mitre.org page: no link.
        assert!(html.contains("<td>T1059</td>"), "{html}");
        assert!(
            html.contains(&format!("<td title=\"{}\">", long.trim_end()))
                || html.contains(&format!("<td title=\"{long}\">")),
            "{html}"
        );
        let full = df.full_text();
        assert!(
            full.html.contains(&format!("<td>{long}</td>")),
            "{}",
            full.html
        );
        assert!(full.html.contains("pre-wrap"));
        assert!(full
            .evcxr_output()
            .starts_with("EVCXR_BEGIN_CONTENT text/html\n"));
        Ok(())
    }

    #[test]
    fn cells_are_shortened_and_escaped() {
        assert_eq!(shorten("x".repeat(60), 50).0.chars().count(), 50);
        assert!(shorten("x".repeat(60), 50).0.ends_with("..."));
        assert_eq!(shorten("x".repeat(60), 50).1, Some("x".repeat(60)));
        assert_eq!(
            escape("<a href=\"x\">&"),
            "&lt;a href=&quot;x&quot;&gt;&amp;"
        );
    }
}
