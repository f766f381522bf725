//! Bar charts: one bar per category, vertical or horizontal, colored by a category with a
//! legend, value labels on the bars (the seed's altair `mark_text` layer), sorted or not.

use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use polars::prelude::DataFrame;

use crate::chart::{Chart, Draw, DrawContext, Spec, Tip};
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

/// Title, axis titles, tick label rotation: what every chart has.
#[derive(Debug, Clone, Default)]
pub(crate) struct Labels {
    pub title: Option<String>,
    pub category_title: Option<String>,
    pub value_title: Option<String>,
    pub rotate: bool,
}

/// Distinct keys in order of first appearance, each with its own color.
pub(crate) fn legend_of(keys: &[String]) -> Vec<(String, RGBColor)> {
    let mut legend: Vec<(String, RGBColor)> = Vec::new();
    for k in keys {
        if !legend.iter().any(|(l, _)| l == k) {
            let color = palette::color(legend.len());
            legend.push((k.clone(), color));
        }
    }
    legend
}

pub(crate) fn color_of(legend: &[(String, RGBColor)], key: &str) -> RGBColor {
    legend
        .iter()
        .find(|(l, _)| l == key)
        .map(|(_, c)| *c)
        .unwrap_or(palette::PALETTE[0])
}

/// Splits off room for a legend on the right and draws it there.
pub(crate) fn with_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: Option<&str>,
    legend: &[(String, RGBColor)],
) -> Result<DrawingArea<DB, Shift>> {
    if legend.is_empty() {
        return Ok(area.clone());
    }
    let longest = legend
        .iter()
        .map(|(l, _)| l.chars().count())
        .max()
        .unwrap_or(0);
    let (w, _) = area.dim_in_pixel();
    let width = ((longest as u32) * 7 + 40).min(w / 2);
    let (plot, side) = area.split_horizontally(w - width);
    let font = ("sans-serif", 12).into_font();
    let mut y = 40;
    if let Some(title) = title {
        side.draw(&Text::new(
            title.to_string(),
            (8, y),
            font.clone().style(FontStyle::Bold),
        ))
        .drawn()?;
        y += 18;
    }
    let names: Vec<String> = legend.iter().map(|(l, _)| l.clone()).collect();
    for ((_, color), name) in legend.iter().zip(palette::shorten_distinct(&names, 40)) {
        side.draw(&Rectangle::new([(8, y), (20, y + 12)], color.filled()))
            .drawn()?;
        side.draw(&Text::new(name, (26, y), font.clone())).drawn()?;
        y += 18;
    }
    Ok(plot)
}

/// The width in pixels of `text` in the 12-pixel chart font (an estimate of 7 pixels a
/// character if the font cannot measure it).
pub(crate) fn text_width(text: &str) -> u32 {
    ("sans-serif", 12)
        .into_font()
        .box_size(text)
        .map(|(w, _)| w)
        .unwrap_or(text.chars().count() as u32 * 7)
}

/// Category labels as the axes show them: at most 40 characters, distinct.
pub(crate) fn tick_labels(categories: &[String]) -> Vec<String> {
    palette::shorten_distinct(categories, 40)
}

/// A value as a label: whole numbers without decimals.
pub(crate) fn format_value(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v:.2}")
    }
}

/// The category axis: `-0.5 .. n-0.5` with a tick exactly at each bar (plotters' own key
/// point picker would choose "nice" numbers between bars).
#[derive(Debug, Clone, Copy)]
pub(crate) struct CategoryAxis {
    n: usize,
}

impl Ranged for CategoryAxis {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        let span = self.n.max(1) as f64;
        let t = (value + 0.5) / span;
        limit.0 + ((limit.1 - limit.0) as f64 * t).round() as i32
    }

    fn key_points<Hint: KeyPointHint>(&self, _hint: Hint) -> Vec<f64> {
        (0..self.n).map(|i| i as f64).collect()
    }

    fn range(&self) -> std::ops::Range<f64> {
        -0.5..(self.n as f64 - 0.5)
    }
}

pub(crate) fn category_axis(n: usize) -> CategoryAxis {
    CategoryAxis { n }
}

/// Draws category labels (already shortened) turned 90 degrees under a vertical category
/// axis. plotters places rotated mesh labels off their ticks, so they are drawn here at each
/// tick's pixel.
pub(crate) fn draw_rotated_labels<DB: DrawingBackend, Y: Ranged<ValueType = f64>>(
    area: &DrawingArea<DB, Shift>,
    chart: &ChartContext<'_, DB, Cartesian2d<CategoryAxis, Y>>,
    categories: &[String],
    bottom: f64,
    style: FontDesc<'_>,
) -> Result<()> {
    let style = TextStyle::from(style)
        .color(&BLACK)
        .pos(Pos::new(HPos::Left, VPos::Center));
    for (i, label) in categories.iter().enumerate() {
        let (x, y) = chart.backend_coord(&(i as f64, bottom));
        area.draw(&Text::new(label.clone(), (x - 6, y + 6), style.clone()))
            .drawn()?;
    }
    Ok(())
}

/// Pixels the category axis' labels need across the axis: the longest label (already
/// shortened) when the labels run across it (rotated, or beside a horizontal chart's axis),
/// one line of text otherwise, plus the axis title when there is one.
pub(crate) fn label_room(labels: &[String], across: bool, titled: bool) -> u32 {
    let labels = if across {
        labels.iter().map(|l| text_width(l)).max().unwrap_or(0) + 12
    } else {
        20
    };
    labels + if titled { 20 } else { 4 }
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

/// A value as a tooltip shows it: whole numbers without decimals, others in full.
pub(crate) fn exact_value(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

impl Draw for BarSpec {
    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        tips: &mut Vec<Tip>,
    ) -> Result<()> {
        root.fill(&WHITE).drawn()?;
        let legend = self
            .colors
            .as_ref()
            .map(|(_, keys)| legend_of(keys))
            .unwrap_or_default();
        let area = with_legend(root, self.colors.as_ref().map(|(t, _)| t.as_str()), &legend)?;
        let n = self.categories.len();
        let ticks = tick_labels(&self.categories);
        let max = self.values.iter().copied().fold(0.0, f64::max);
        let top = if max > 0.0 { max * 1.12 } else { 1.0 };
        let min = self.values.iter().copied().fold(0.0, f64::min);
        let bottom = if min < 0.0 { min * 1.12 } else { 0.0 };
        let font = ("sans-serif", 12).into_font();
        let tick_style = font.clone().transform(FontTransform::Rotate90);
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
        let color = |i: usize| match &self.colors {
            Some((_, keys)) => color_of(&legend, &keys[i]),
            None => palette::PALETTE[0],
        };
        let titled = self.labels.category_title.is_some();
        let mut builder = ChartBuilder::on(&area);
        builder.margin(12);
        if let Some(title) = &self.labels.title {
            builder.caption(title, ("sans-serif", 16).into_font().style(FontStyle::Bold));
        }
        if self.horizontal {
            builder
                .y_label_area_size(label_room(&ticks, true, titled))
                .x_label_area_size(label_room(&[], false, self.labels.value_title.is_some()));
            let mut chart = builder
                .build_cartesian_2d(bottom..top, category_axis(n))
                .drawn()?;
            let mut mesh = chart.configure_mesh();
            mesh.disable_y_mesh()
                .max_light_lines(0)
                .y_labels(n)
                .y_label_formatter(&label_at)
                .x_label_formatter(&|v| format_value(*v))
                .label_style(font.clone());
            if let Some(t) = &self.labels.category_title {
                mesh.y_desc(t);
            }
            if let Some(t) = &self.labels.value_title {
                mesh.x_desc(t);
            }
            mesh.draw().drawn()?;
            for (i, v) in self.values.iter().enumerate() {
                let y = (n - 1 - i) as f64;
                let corners = [(0.0, y - 0.4), (*v, y + 0.4)];
                chart
                    .draw_series(std::iter::once(Rectangle::new(corners, color(i).filled())))
                    .drawn()?;
                tips.push(Tip::of(&chart, corners[0], corners[1], self.tip_text(i)));
                if self.value_labels {
                    let style = font
                        .clone()
                        .color(&BLACK)
                        .pos(Pos::new(HPos::Left, VPos::Center));
                    chart
                        .draw_series(std::iter::once(
                            EmptyElement::at((*v, y)) + Text::new(format_value(*v), (4, 0), style),
                        ))
                        .drawn()?;
                }
            }
        } else {
            builder
                .x_label_area_size(label_room(&ticks, self.labels.rotate, titled))
                .y_label_area_size(56);
            let mut chart = builder
                .build_cartesian_2d(category_axis(n), bottom..top)
                .drawn()?;
            let mut mesh = chart.configure_mesh();
            let no_label = |_: &f64| String::new();
            mesh.disable_x_mesh()
                .max_light_lines(0)
                .x_labels(n)
                .x_label_formatter(if self.labels.rotate {
                    &no_label
                } else {
                    &label_at
                })
                .y_label_formatter(&|v| format_value(*v))
                .x_label_style(font.clone())
                .y_label_style(font.clone());
            if let Some(t) = &self.labels.category_title {
                mesh.x_desc(t);
            }
            if let Some(t) = &self.labels.value_title {
                mesh.y_desc(t);
            }
            mesh.draw().drawn()?;
            if self.labels.rotate {
                draw_rotated_labels(&area, &chart, &ticks, bottom, tick_style)?;
            }
            for (i, v) in self.values.iter().enumerate() {
                let x = i as f64;
                let corners = [(x - 0.4, 0.0), (x + 0.4, *v)];
                chart
                    .draw_series(std::iter::once(Rectangle::new(corners, color(i).filled())))
                    .drawn()?;
                tips.push(Tip::of(&chart, corners[0], corners[1], self.tip_text(i)));
                if self.value_labels {
                    let style = font
                        .clone()
                        .color(&BLACK)
                        .pos(Pos::new(HPos::Center, VPos::Bottom));
                    chart
                        .draw_series(std::iter::once(
                            EmptyElement::at((x, *v)) + Text::new(format_value(*v), (0, -4), style),
                        ))
                        .drawn()?;
                }
            }
        }
        Ok(())
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
                "{} categories but {} values",
                categories.len(),
                values.len()
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
        Chart::new(Spec::Bar(spec), self.width, self.height)
    }
}
