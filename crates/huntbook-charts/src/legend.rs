//! The legend: one color per distinct key, drawn on the right of the plot.

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::draw::DrawContext;
use crate::{palette, Result};

/// A legend: distinct keys in order of first appearance, each with its own color.
#[derive(Debug, Clone, Default)]
pub(crate) struct Legend {
    pub title: Option<String>,
    pub entries: Vec<(String, RGBColor)>,
}

impl Legend {
    /// The legend of `keys`, titled `title`.
    pub(crate) fn of(title: Option<&str>, keys: &[String]) -> Self {
        let mut entries: Vec<(String, RGBColor)> = Vec::new();
        for k in keys {
            if !entries.iter().any(|(l, _)| l == k) {
                let color = palette::color(entries.len());
                entries.push((k.clone(), color));
            }
        }
        Legend {
            title: title.map(str::to_string),
            entries,
        }
    }

    /// The color of `key` (the first color for a key not in the legend).
    pub(crate) fn color(&self, key: &str) -> RGBColor {
        self.entries
            .iter()
            .find(|(l, _)| l == key)
            .map(|(_, c)| *c)
            .unwrap_or(palette::PALETTE[0])
    }

    /// Splits off room for the legend on the right of `area`, draws it there, and returns the
    /// rest (all of `area` when the legend is empty).
    pub(crate) fn draw<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
    ) -> Result<DrawingArea<DB, Shift>>
    where
        DB::ErrorType: 'static,
    {
        if self.entries.is_empty() {
            return Ok(area.clone());
        }
        let longest = self
            .entries
            .iter()
            .map(|(l, _)| l.chars().count())
            .max()
            .unwrap_or(0);
        let (w, _) = area.dim_in_pixel();
        let width = ((longest as u32) * 7 + 40).min(w / 2);
        let (plot, side) = area.split_horizontally(w - width);
        let font = ("sans-serif", 12).into_font();
        let mut y = 40;
        if let Some(title) = &self.title {
            side.draw(&Text::new(
                title.clone(),
                (8, y),
                font.clone().style(FontStyle::Bold),
            ))
            .drawn()?;
            y += 18;
        }
        let names: Vec<String> = self.entries.iter().map(|(l, _)| l.clone()).collect();
        for ((_, color), name) in self
            .entries
            .iter()
            .zip(palette::shorten_distinct(&names, 40))
        {
            side.draw(&Rectangle::new([(8, y), (20, y + 12)], color.filled()))
                .drawn()?;
            side.draw(&Text::new(name, (26, y), font.clone())).drawn()?;
            y += 18;
        }
        Ok(plot)
    }
}
