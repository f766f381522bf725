//! Axes: the category and value axes, the texts around them (titles, tick labels, value
//! labels), and the room they take.

use std::ops::Range;

use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged};
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

use crate::palette;

/// Title, axis titles, tick label rotation: what every chart has.
#[derive(Debug, Clone, Default)]
pub(crate) struct Labels {
    pub title: Option<String>,
    pub category_title: Option<String>,
    pub value_title: Option<String>,
    pub rotate: bool,
}

/// One axis of a categorical chart, so that both orientations have one coordinate type:
/// categories at `0 .. n-1` (range `-0.5 .. n-0.5`) with a tick exactly at each (plotters' own
/// key point picker would choose "nice" numbers between them), or values on a linear scale.
#[derive(Debug, Clone)]
pub(crate) enum Axis {
    Categories(usize),
    Values(Range<f64>),
}

impl Ranged for Axis {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        match self {
            Axis::Categories(n) => {
                let t = (value + 0.5) / (*n).max(1) as f64;
                limit.0 + ((limit.1 - limit.0) as f64 * t).round() as i32
            }
            Axis::Values(range) => RangedCoordf64::from(range.clone()).map(value, limit),
        }
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        match self {
            Axis::Categories(n) => (0..*n).map(|i| i as f64).collect(),
            Axis::Values(range) => RangedCoordf64::from(range.clone()).key_points(hint),
        }
    }

    fn range(&self) -> Range<f64> {
        match self {
            Axis::Categories(n) => -0.5..(*n as f64 - 0.5),
            Axis::Values(range) => range.clone(),
        }
    }
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

/// A value as an axis or bar label shows it: whole numbers without decimals, others with two.
pub(crate) fn format_value(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v:.2}")
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
