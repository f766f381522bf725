//! The one drawing path of every chart with a category axis (bars, stacked bars, boxes), in
//! both orientations: background, legend, title, axes with their ticks and titles, rotated
//! labels; then the marks, placed through [`Plot::point`] so that a chart kind never says
//! which way its bars run.

use std::ops::Range;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::axes::{label_room, tick_labels, Axis, Labels};
use crate::draw::{DrawContext, Tip};
use crate::legend::Legend;
use crate::Result;

/// The chart context every categorical chart draws its marks on.
pub(crate) type PlotChart<'a, DB> = ChartContext<'a, DB, Cartesian2d<Axis, Axis>>;

/// The frame of a categorical chart: its categories, orientation, value range and texts.
pub(crate) struct Plot<'a> {
    /// The categories, in order (first at the left, or on top when horizontal).
    pub categories: &'a [String],
    /// Categories down the y axis, values along the x axis.
    pub horizontal: bool,
    pub labels: &'a Labels,
    pub values: Range<f64>,
    pub value_format: &'a dyn Fn(&f64) -> String,
    pub legend: &'a Legend,
}

/// A bar or a stacked segment: the category it stands on, the values it spans, its color,
/// its tooltip and the label written at its end, if any.
pub(crate) struct Bar {
    pub category: usize,
    pub from: f64,
    pub to: f64,
    pub color: RGBColor,
    pub tip: String,
    pub label: Option<String>,
}

impl Plot<'_> {
    /// The data point of `value` at the category position `category` (fractions place marks
    /// beside a category's center).
    pub(crate) fn point(&self, category: f64, value: f64) -> (f64, f64) {
        if self.horizontal {
            (value, self.categories.len() as f64 - 1.0 - category)
        } else {
            (category, value)
        }
    }

    /// Draws the frame on `root`, then `marks` on the plot area.
    pub(crate) fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        marks: impl FnOnce(&mut PlotChart<'_, DB>) -> Result<()>,
    ) -> Result<()>
    where
        DB::ErrorType: 'static,
    {
        root.fill(&WHITE).drawn()?;
        let area = self.legend.draw(root)?;
        let n = self.categories.len();
        let ticks = tick_labels(self.categories);
        let font = ("sans-serif", 12).into_font();
        let category_titled = self.labels.category_title.is_some();
        let value_titled = self.labels.value_title.is_some();
        let mut builder = ChartBuilder::on(&area);
        builder.margin(12);
        if let Some(title) = &self.labels.title {
            builder.caption(title, ("sans-serif", 16).into_font().style(FontStyle::Bold));
        }
        let categories = Axis::Categories(n);
        let values = Axis::Values(self.values.clone());
        // Tick labels drawn by plotters; rotated ones are drawn below, at each tick.
        let rotated = self.labels.rotate && !self.horizontal;
        let tick_at = |v: &f64| -> String {
            let i = v.round();
            if rotated || i < 0.0 || i as usize >= n || (v - i).abs() > 1e-6 {
                return String::new();
            }
            let i = i as usize;
            ticks[if self.horizontal { n - 1 - i } else { i }].clone()
        };
        let mut chart = if self.horizontal {
            builder
                .y_label_area_size(label_room(&ticks, true, category_titled))
                .x_label_area_size(label_room(&[], false, value_titled))
                .build_cartesian_2d(values, categories)
                .drawn()?
        } else {
            builder
                .x_label_area_size(label_room(&ticks, self.labels.rotate, category_titled))
                .y_label_area_size(56)
                .build_cartesian_2d(categories, values)
                .drawn()?
        };
        let mut mesh = chart.configure_mesh();
        mesh.max_light_lines(0).label_style(font.clone());
        let (x_title, y_title) = if self.horizontal {
            mesh.disable_y_mesh()
                .y_labels(n)
                .y_label_formatter(&tick_at)
                .x_label_formatter(self.value_format);
            (&self.labels.value_title, &self.labels.category_title)
        } else {
            mesh.disable_x_mesh()
                .x_labels(n)
                .x_label_formatter(&tick_at)
                .y_label_formatter(self.value_format);
            (&self.labels.category_title, &self.labels.value_title)
        };
        if let Some(t) = x_title {
            mesh.x_desc(t);
        }
        if let Some(t) = y_title {
            mesh.y_desc(t);
        }
        mesh.draw().drawn()?;
        if rotated {
            // plotters places rotated mesh labels off their ticks: each is drawn here at its
            // tick's pixel.
            let style = TextStyle::from(font.transform(FontTransform::Rotate90))
                .color(&BLACK)
                .pos(Pos::new(HPos::Left, VPos::Center));
            for (i, label) in ticks.iter().enumerate() {
                let (x, y) = chart.backend_coord(&(i as f64, self.values.start));
                area.draw(&Text::new(label.clone(), (x - 6, y + 6), style.clone()))
                    .drawn()?;
            }
        }
        marks(&mut chart)
    }

    /// Draws `bars` (0.8 of a category wide), their tooltips and their end labels.
    pub(crate) fn draw_bars<DB: DrawingBackend>(
        &self,
        chart: &mut PlotChart<'_, DB>,
        bars: &[Bar],
        tips: &mut Vec<Tip>,
    ) -> Result<()>
    where
        DB::ErrorType: 'static,
    {
        let font = ("sans-serif", 12).into_font();
        let (anchor, offset) = if self.horizontal {
            (Pos::new(HPos::Left, VPos::Center), (4, 0))
        } else {
            (Pos::new(HPos::Center, VPos::Bottom), (0, -4))
        };
        for bar in bars {
            let c = bar.category as f64;
            let corners = [self.point(c - 0.4, bar.from), self.point(c + 0.4, bar.to)];
            chart
                .draw_series(std::iter::once(Rectangle::new(corners, bar.color.filled())))
                .drawn()?;
            tips.push(Tip::of(chart, corners[0], corners[1], bar.tip.clone()));
            if let Some(label) = &bar.label {
                let style = font.clone().color(&BLACK).pos(anchor);
                chart
                    .draw_series(std::iter::once(
                        EmptyElement::at(self.point(c, bar.to))
                            + Text::new(label.clone(), offset, style),
                    ))
                    .drawn()?;
            }
        }
        Ok(())
    }
}
