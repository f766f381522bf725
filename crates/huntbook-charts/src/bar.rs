//! Bar charts: one bar per category, vertical or horizontal, colored by a category with a
//! legend, value labels on the bars (the seed's altair `mark_text` layer), sorted or not.

use plotters::coord::Shift;
use plotters::prelude::*;
use polars::prelude::DataFrame;

use crate::axes::{exact_value, format_value, Labels};
use crate::categorical::{Bar, Plot};
use crate::chart::Chart;
use crate::draw::{DrawOn, Tip};
use crate::legend::Legend;
use crate::{data, palette, Error, Result};

/// Bar order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BarOrder {
    /// As given.
    #[default]
    None,
    /// Smallest value first.
    Ascending,
    /// Largest value first.
    Descending,
}

#[derive(Debug, Clone)]
pub(crate) struct BarSpec {
    categories: Vec<String>,
    values: Vec<f64>,
    colors: Option<(String, Vec<String>)>,
    horizontal: bool,
    value_labels: bool,
    labels: Labels,
}

impl BarSpec {
    /// A bar's tooltip text: its full category, its value, and its color key if that differs.
    fn tip_text(&self, i: usize) -> String {
        let mut text = format!("{}: {}", self.categories[i], exact_value(self.values[i]));
        if let Some((title, keys)) = &self.colors {
            if keys[i] != self.categories[i] {
                text.push_str(&format!(" ({title}: {})", keys[i]));
            }
        }
        text
    }
}

impl DrawOn for BarSpec {
    fn draw_on<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        tips: &mut Vec<Tip>,
    ) -> Result<()>
    where
        DB::ErrorType: 'static,
    {
        let legend = match &self.colors {
            Some((title, keys)) => Legend::of(Some(title), keys),
            None => Legend::default(),
        };
        let max = self.values.iter().copied().fold(0.0, f64::max);
        let min = self.values.iter().copied().fold(0.0, f64::min);
        let top = if max > 0.0 { max * 1.12 } else { 1.0 };
        let bottom = if min < 0.0 { min * 1.12 } else { 0.0 };
        let bars: Vec<Bar> = self
            .values
            .iter()
            .enumerate()
            .map(|(i, v)| Bar {
                category: i,
                from: 0.0,
                to: *v,
                color: match &self.colors {
                    Some((_, keys)) => legend.color(&keys[i]),
                    None => palette::PALETTE[0],
                },
                tip: self.tip_text(i),
                label: self.value_labels.then(|| format_value(*v)),
            })
            .collect();
        let plot = Plot {
            categories: &self.categories,
            horizontal: self.horizontal,
            labels: &self.labels,
            values: bottom..top,
            value_format: &|v| format_value(*v),
            legend: &legend,
        };
        plot.draw(root, |chart| plot.draw_bars(chart, &bars, tips))
    }
}

/// A bar chart: one bar per row.
///
/// ```
/// use huntbook_charts::{BarChart, BarOrder};
/// use polars::prelude::*;
///
/// let df = df!("matrix" => ["mitre-attack", "mitre-ics-attack"], "technique" => [563u32, 89])?;
/// let chart = BarChart::from_frame(&df, "matrix", "technique")?
///     .horizontal()
///     .color_by_category()
///     .value_labels()
///     .sort(BarOrder::Descending)
///     .title("Techniques per matrix")
///     .render()?;
/// assert!(chart.svg().contains("mitre-ics-attack"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct BarChart {
    spec: BarSpec,
    sort: BarOrder,
    width: u32,
    height: u32,
}

impl BarChart {
    /// Bars from category labels and their values (same length).
    pub fn new<S: Into<String>>(
        categories: impl IntoIterator<Item = S>,
        values: impl IntoIterator<Item = f64>,
    ) -> Result<Self> {
        let categories: Vec<String> = categories.into_iter().map(Into::into).collect();
        let values: Vec<f64> = values.into_iter().collect();
        if categories.len() != values.len() {
            return Err(Error::Invalid(format!(
                "a bar chart needs one value per category: {} categor{} but {} value{}",
                categories.len(),
                if categories.len() == 1 { "y" } else { "ies" },
                values.len(),
                if values.len() == 1 { "" } else { "s" }
            )));
        }
        if let Some(bad) = values.iter().position(|v| !v.is_finite()) {
            return Err(Error::Invalid(format!(
                "value {bad} is not a finite number"
            )));
        }
        Ok(Self {
            spec: BarSpec {
                categories,
                values,
                colors: None,
                horizontal: false,
                value_labels: false,
                labels: Labels::default(),
            },
            sort: BarOrder::None,
            width: 640,
            height: 400,
        })
    }

    /// Bars from two columns of a frame: the category and its value. Axis titles default to
    /// the column names.
    pub fn from_frame(df: &DataFrame, category: &str, value: &str) -> Result<Self> {
        let mut chart = Self::new(data::labels(df, category)?, data::numbers(df, value)?)?;
        chart.spec.labels.category_title = Some(category.to_string());
        chart.spec.labels.value_title = Some(value.to_string());
        Ok(chart)
    }

    /// Bars along the x axis, categories down the y axis (first on top).
    pub fn horizontal(mut self) -> Self {
        self.spec.horizontal = true;
        self
    }

    /// Colors each bar by its own category, with a legend (altair's `color=` on the
    /// category).
    pub fn color_by_category(mut self) -> Self {
        let title = self.spec.labels.category_title.clone().unwrap_or_default();
        self.spec.colors = Some((title, self.spec.categories.clone()));
        self
    }

    /// Colors each bar by a column of `df` (one value per bar), with a legend.
    pub fn color_by(mut self, df: &DataFrame, column: &str) -> Result<Self> {
        let keys = data::labels(df, column)?;
        if keys.len() != self.spec.categories.len() {
            return Err(Error::Invalid(format!(
                "color column {column:?} has {} rows for {} bars",
                keys.len(),
                self.spec.categories.len()
            )));
        }
        self.spec.colors = Some((column.to_string(), keys));
        Ok(self)
    }

    /// Writes each bar's value on it.
    pub fn value_labels(mut self) -> Self {
        self.spec.value_labels = true;
        self
    }

    /// Orders the bars by value.
    pub fn sort(mut self, sort: BarOrder) -> Self {
        self.sort = sort;
        self
    }

    label_methods!("640x400");

    /// Draws the chart.
    pub fn render(self) -> Result<Chart> {
        let mut spec = self.spec;
        if self.sort != BarOrder::None {
            let mut order: Vec<usize> = (0..spec.values.len()).collect();
            order.sort_by(|&a, &b| spec.values[a].total_cmp(&spec.values[b]));
            if self.sort == BarOrder::Descending {
                order.reverse();
            }
            spec.categories = order.iter().map(|&i| spec.categories[i].clone()).collect();
            spec.values = order.iter().map(|&i| spec.values[i]).collect();
            if let Some((_, keys)) = &mut spec.colors {
                *keys = order.iter().map(|&i| keys[i].clone()).collect();
            }
        }
        Chart::new(spec, self.width, self.height)
    }
}
