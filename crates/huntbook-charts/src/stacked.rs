//! Stacked bars, plain or normalized to shares (altair's `stack="normalize"`).

use plotters::coord::Shift;
use plotters::prelude::*;
use polars::prelude::DataFrame;

use crate::bar::{
    category_axis, color_of, exact_value, label_room, legend_of, tick_labels, with_legend, Labels,
};
use crate::chart::{Chart, Draw, DrawContext, Spec, Tip};
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

impl Draw for StackedSpec {
    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        tips: &mut Vec<Tip>,
    ) -> Result<()> {
        root.fill(&WHITE).drawn()?;
        let legend = legend_of(&self.keys);
        let ticks = tick_labels(&self.categories);
        let titled = self.labels.category_title.is_some();
        let area = with_legend(root, Some(&self.key_title), &legend)?;
        let n = self.categories.len();
        let totals = self.totals();
        let top = if self.normalize {
            1.0
        } else {
            totals.iter().copied().fold(0.0, f64::max).max(1e-9) * 1.05
        };
        let font = ("sans-serif", 12).into_font();
        let label_at = |v: &f64| -> String {
            let i = v.round();
            if i >= 0.0 && (i as usize) < n && (v - i).abs() < 1e-6 {
                let i = if self.horizontal {
                    n - 1 - i as usize
                } else {
                    i as usize
                };
                ticks[i].clone()
            } else {
                String::new()
            }
        };
        let value_format = |v: &f64| {
            if self.normalize {
                format!("{:.0}%", v * 100.0)
            } else {
                crate::bar::format_value(*v)
            }
        };
        let mut builder = ChartBuilder::on(&area);
        builder.margin(12);
        if let Some(title) = &self.labels.title {
            builder.caption(title, ("sans-serif", 16).into_font().style(FontStyle::Bold));
        }
        // (category position, start, end, color, tooltip) of every segment.
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
                let pos = if self.horizontal {
                    (n - 1 - c) as f64
                } else {
                    c as f64
                };
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
                segments.push((pos, start, end, color_of(&legend, &self.keys[k]), tip));
                start = end;
            }
        }
        if self.horizontal {
            builder
                .y_label_area_size(label_room(&ticks, true, titled))
                .x_label_area_size(label_room(&[], false, self.labels.value_title.is_some()));
            let mut chart = builder
                .build_cartesian_2d(0.0..top, category_axis(n))
                .drawn()?;
            let mut mesh = chart.configure_mesh();
            mesh.disable_y_mesh()
                .max_light_lines(0)
                .y_labels(n)
                .y_label_formatter(&label_at)
                .x_label_formatter(&value_format)
                .label_style(font.clone());
            if let Some(t) = &self.labels.category_title {
                mesh.y_desc(t);
            }
            if let Some(t) = &self.labels.value_title {
                mesh.x_desc(t);
            }
            mesh.draw().drawn()?;
            chart
                .draw_series(segments.iter().map(|(p, s, e, color, _)| {
                    Rectangle::new([(*s, p - 0.4), (*e, p + 0.4)], color.filled())
                }))
                .drawn()?;
            for (p, s, e, _, tip) in &segments {
                tips.push(Tip::of(&chart, (*s, p - 0.4), (*e, p + 0.4), tip.clone()));
            }
        } else {
            builder
                .x_label_area_size(label_room(&ticks, self.labels.rotate, titled))
                .y_label_area_size(56);
            let mut chart = builder
                .build_cartesian_2d(category_axis(n), 0.0..top)
                .drawn()?;
            let tick_style = if self.labels.rotate {
                font.clone().transform(FontTransform::Rotate90)
            } else {
                font.clone()
            };
            let mut mesh = chart.configure_mesh();
            mesh.disable_x_mesh()
                .max_light_lines(0)
                .x_labels(n)
                .x_label_formatter(&label_at)
                .y_label_formatter(&value_format)
                .x_label_style(tick_style)
                .y_label_style(font.clone());
            if let Some(t) = &self.labels.category_title {
                mesh.x_desc(t);
            }
            if let Some(t) = &self.labels.value_title {
                mesh.y_desc(t);
            }
            mesh.draw().drawn()?;
            chart
                .draw_series(segments.iter().map(|(p, s, e, color, _)| {
                    Rectangle::new([(p - 0.4, *s), (p + 0.4, *e)], color.filled())
                }))
                .drawn()?;
            for (p, s, e, _, tip) in &segments {
                tips.push(Tip::of(&chart, (p - 0.4, *s), (p + 0.4, *e), tip.clone()));
            }
        }
        Ok(())
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
        Chart::new(Spec::Stacked(self.spec), self.width, self.height)
    }
}
