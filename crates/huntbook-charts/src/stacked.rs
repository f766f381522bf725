//! Stacked bars, plain or normalized to shares (altair's `stack="normalize"`).

use plotters::coord::Shift;
use plotters::prelude::*;
use polars::prelude::DataFrame;

use crate::axes::{exact_value, format_value, Labels};
use crate::categorical::{Bar, Plot};
use crate::chart::Chart;
use crate::draw::{DrawOn, Tip};
use crate::legend::Legend;
use crate::{data, Error, Result};

#[derive(Debug, Clone)]
pub(crate) struct StackedSpec {
    categories: Vec<String>,
    keys: Vec<String>,
    key_title: String,
    /// `values[category][key]`.
    values: Vec<Vec<f64>>,
    normalize: bool,
    horizontal: bool,
    labels: Labels,
}

impl StackedSpec {
    fn totals(&self) -> Vec<f64> {
        self.values.iter().map(|row| row.iter().sum()).collect()
    }
}

impl DrawOn for StackedSpec {
    fn draw_on<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        tips: &mut Vec<Tip>,
    ) -> Result<()>
    where
        DB::ErrorType: 'static,
    {
        let legend = Legend::of(Some(&self.key_title), &self.keys);
        let totals = self.totals();
        let top = if self.normalize {
            1.0
        } else {
            totals.iter().copied().fold(0.0, f64::max).max(1e-9) * 1.05
        };
        let value_format = |v: &f64| {
            if self.normalize {
                format!("{:.0}%", v * 100.0)
            } else {
                format_value(*v)
            }
        };
        let mut segments = Vec::new();
        for (c, row) in self.values.iter().enumerate() {
            let scale = if self.normalize && totals[c] > 0.0 {
                1.0 / totals[c]
            } else {
                1.0
            };
            let mut start = 0.0;
            for (k, v) in row.iter().enumerate() {
                if *v == 0.0 {
                    continue;
                }
                let end = start + v * scale;
                let mut tip = format!(
                    "{}, {}: {}",
                    self.categories[c],
                    self.keys[k],
                    exact_value(*v)
                );
                if self.normalize {
                    tip.push_str(&format!(
                        " ({:.1}% of {})",
                        v * scale * 100.0,
                        exact_value(totals[c])
                    ));
                }
                segments.push(Bar {
                    category: c,
                    from: start,
                    to: end,
                    color: legend.color(&self.keys[k]),
                    tip,
                    label: None,
                });
                start = end;
            }
        }
        let plot = Plot {
            categories: &self.categories,
            horizontal: self.horizontal,
            labels: &self.labels,
            values: 0.0..top,
            value_format: &value_format,
            legend: &legend,
        };
        plot.draw(root, |chart| plot.draw_bars(chart, &segments, tips))
    }
}

/// Stacked bars: one bar per category, one colored segment per key, values summed over rows
/// with the same (category, key).
///
/// ```
/// use huntbook_charts::StackedBarChart;
/// use polars::prelude::*;
///
/// let df = df!(
///     "data_sources" => ["Windows Registry", "Windows Registry", "WMI"],
///     "platform" => ["Windows", "macOS", "Windows"],
///     "technique" => [30u32, 10, 5],
/// )?;
/// let chart = StackedBarChart::from_frame(&df, "data_sources", "platform", "technique")?
///     .normalize()
///     .horizontal()
///     .render()?;
/// assert!(chart.svg().contains("macOS"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct StackedBarChart {
    spec: StackedSpec,
    width: u32,
    height: u32,
}

impl StackedBarChart {
    /// From a frame: `category` (one bar each, in order of first appearance), `stack` (one
    /// segment each, colored, with a legend) and `value` (summed).
    pub fn from_frame(df: &DataFrame, category: &str, stack: &str, value: &str) -> Result<Self> {
        let cats = data::labels(df, category)?;
        let keys = data::labels(df, stack)?;
        let values = data::numbers(df, value)?;
        if let Some(bad) = values.iter().position(|v| *v < 0.0) {
            return Err(Error::Invalid(format!(
                "column {value:?} has a negative value in row {bad}: stacked bars need values >= 0"
            )));
        }
        let mut categories: Vec<String> = Vec::new();
        let mut stack_keys: Vec<String> = Vec::new();
        for c in &cats {
            if !categories.contains(c) {
                categories.push(c.clone());
            }
        }
        for k in &keys {
            if !stack_keys.contains(k) {
                stack_keys.push(k.clone());
            }
        }
        let mut grid = vec![vec![0.0; stack_keys.len()]; categories.len()];
        for ((c, k), v) in cats.iter().zip(&keys).zip(&values) {
            let ci = categories.iter().position(|x| x == c).unwrap_or(0);
            let ki = stack_keys.iter().position(|x| x == k).unwrap_or(0);
            grid[ci][ki] += v;
        }
        Ok(Self {
            spec: StackedSpec {
                categories,
                keys: stack_keys,
                key_title: stack.to_string(),
                values: grid,
                normalize: false,
                horizontal: false,
                labels: Labels {
                    category_title: Some(category.to_string()),
                    value_title: Some(value.to_string()),
                    ..Labels::default()
                },
            },
            width: 640,
            height: 400,
        })
    }

    /// Each bar shows shares of its total (0 to 100 %).
    pub fn normalize(mut self) -> Self {
        self.spec.normalize = true;
        self
    }

    /// Bars along the x axis, categories down the y axis (first on top).
    pub fn horizontal(mut self) -> Self {
        self.spec.horizontal = true;
        self
    }

    label_methods!("640x400");

    /// Draws the chart.
    pub fn render(self) -> Result<Chart> {
        Chart::new(self.spec, self.width, self.height)
    }
}
