//! Charts for huntbook notebooks, drawn with plotters.
//!
//! - [`BarChart`]: vertical or horizontal bars from a frame's columns, colored by a category
//!   with a legend, value labels on the bars, sorted or not, rotated tick labels, title, axis
//!   titles, size;
//! - [`StackedBarChart`]: stacked bars, or normalized to shares;
//! - [`BoxPlot`]: one box per category (seaborn's box plot), with [`BoxStats`] as
//!   matplotlib computes them;
//! - [`MatrixHeatmap`]: columns of cells coloured by score (the ATT&CK matrix as Navigator
//!   draws it), with a gradient legend;
//! - [`counts_of_counts`]: the data of a "how many groups have N rows" chart.
//!
//! Every chart gives each category its own color (twenty fixed, more generated), shortens
//! long labels so that they stay distinct, draws major grid lines only, and carries each
//! bar's, segment's and box's exact values as an SVG tooltip.
//!
//! Every builder returns `Result` (plotters' own `evcxr_figure` panics on a drawing error)
//! and renders a [`Chart`]: the last expression of an evcxr cell shows it inline as SVG, and
//! [`Chart::save_svg`] / [`Chart::save_png`] write it to disk. Drawing is generic over the
//! plotters backend, so the notebook, PNG files and tests share one code path.
#![warn(missing_docs)]
#![forbid(unsafe_code)]

/// The builder methods every chart shares (rotated labels, titles, size), for a builder with
/// `spec.labels: Labels`, `width` and `height` fields; `$size` names the default size in the
/// docs.
macro_rules! label_methods {
    ($size:literal) => {
        /// Turns the category tick labels 90 degrees (for long labels).
        pub fn rotate_labels(mut self) -> Self {
            self.spec.labels.rotate = true;
            self
        }

        /// The chart title.
        pub fn title(mut self, title: impl Into<String>) -> Self {
            self.spec.labels.title = Some(title.into());
            self
        }

        /// The category axis title.
        pub fn category_title(mut self, title: impl Into<String>) -> Self {
            self.spec.labels.category_title = Some(title.into());
            self
        }

        /// The value axis title.
        pub fn value_title(mut self, title: impl Into<String>) -> Self {
            self.spec.labels.value_title = Some(title.into());
            self
        }

        #[doc = concat!("Size in pixels (default ", $size, ").")]
        pub fn size(mut self, width: u32, height: u32) -> Self {
            self.width = width;
            self.height = height;
            self
        }
    };
}

// Leaves: drawing, axes, legend, palette, frame columns. Then the one categorical drawing
// path, the chart that shows and saves, and the chart kinds built on them.
mod axes;
mod data;
mod draw;
mod legend;
mod palette;

mod categorical;
mod chart;

mod bar;
mod boxplot;
mod heatmap;
mod stacked;

pub use bar::{BarChart, BarOrder};
pub use boxplot::{BoxPlot, BoxStats};
pub use chart::Chart;
pub use data::counts_of_counts;
pub use heatmap::{HeatmapCell, HeatmapColumn, MatrixHeatmap};
pub use palette::{color, shorten_distinct, PALETTE};
pub use stacked::StackedBarChart;

use std::path::PathBuf;

/// What went wrong while building or drawing a chart.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A column the chart needs is not in the frame.
    #[error("no column {column:?} in the frame (columns: {columns})")]
    NoColumn {
        /// The column asked for.
        column: String,
        /// The frame's columns.
        columns: String,
    },
    /// The data or an option cannot make this chart.
    #[error("{0}")]
    Invalid(String),
    /// plotters failed to draw.
    #[error("failed to draw the chart: {source}")]
    Draw {
        /// plotters' error.
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// The bundled font cannot be read.
    #[error("the bundled font DejaVu Sans cannot be read")]
    Font,
    /// A PNG file could not be drawn or written.
    #[error("failed to write {}: {source}", path.display())]
    Png {
        /// The file.
        path: PathBuf,
        /// plotters' error.
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// A file could not be written.
    #[error("failed to write {}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
}

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
