//! [`MatrixHeatmap`]: columns of labelled cells coloured by score, as ATT&CK Navigator draws
//! its matrix (tactics as columns, techniques as cells, sub-techniques indented under their
//! technique), with a gradient legend and each cell's exact score as a tooltip.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::chart::Chart;
use crate::draw::{DrawContext, DrawOn, Tip};
use crate::{Error, Result};

/// One cell: an id and a label, a score (or none), an optional colour over the gradient's,
/// and the text of its tooltip beyond id, label and score.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HeatmapCell {
    /// `T1003.001`.
    pub id: String,
    /// `LSASS Memory`.
    pub label: String,
    /// The score, coloured through the gradient.
    pub score: Option<f64>,
    /// A colour (`#rrggbb`) that wins over the gradient's.
    pub color: Option<String>,
    /// Drawn indented, under the cell before it (a sub-technique).
    pub nested: bool,
    /// More tooltip text (a comment, the sub-techniques folded into this cell).
    pub note: Option<String>,
}

/// One column: a title (a tactic) and its cells, top to bottom.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HeatmapColumn {
    /// The column's title.
    pub title: String,
    /// Its cells.
    pub cells: Vec<HeatmapCell>,
}

/// A matrix heatmap: `columns` side by side, each cell coloured by its score from the first
/// gradient colour (at the lowest score) to the last (at the highest), unscored cells white.
///
/// ```
/// use huntbook_charts::{HeatmapCell, HeatmapColumn, MatrixHeatmap};
///
/// let cell = |id: &str, score| HeatmapCell { id: id.into(), label: id.into(), score, ..Default::default() };
/// let columns = vec![
///     HeatmapColumn { title: "Execution".into(), cells: vec![cell("T1059", Some(3.0)), cell("T1204", None)] },
///     HeatmapColumn { title: "Persistence".into(), cells: vec![cell("T1078", Some(1.0))] },
/// ];
/// let chart = MatrixHeatmap::new(columns).title("Seen").build()?;
/// assert!(chart.svg().contains("<title>T1059 T1059 (Execution): score 3</title>"));
/// # Ok::<(), huntbook_charts::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct MatrixHeatmap {
    spec: Spec,
}

#[derive(Debug, Clone)]
struct Spec {
    columns: Vec<HeatmapColumn>,
    title: Option<String>,
    gradient: Vec<RGBColor>,
    range: Option<(f64, f64)>,
    legend: Vec<(String, RGBColor)>,
    cell_width: u32,
    cell_height: u32,
}

/// Pixels around the plot, under the title, between columns.
const MARGIN: i32 = 10;
const HEADER: i32 = 34;
const GAP: i32 = 4;
const INDENT: i32 = 10;

impl MatrixHeatmap {
    /// A heatmap of `columns`, white to Navigator's blue by default.
    pub fn new(columns: Vec<HeatmapColumn>) -> Self {
        MatrixHeatmap {
            spec: Spec {
                columns,
                title: None,
                gradient: vec![RGBColor(0xff, 0xff, 0xff), RGBColor(0x66, 0xb1, 0xff)],
                range: None,
                legend: Vec::new(),
                cell_width: 128,
                cell_height: 20,
            },
        }
    }

    /// The chart title.
    pub fn title(mut self, title: impl Into<String>) -> Self {
        self.spec.title = Some(title.into());
        self
    }

    /// Gradient colours (`#rrggbb`, `#rrggbbaa` or `rrggbb`), low to high; at least one.
    pub fn gradient(mut self, colors: &[&str]) -> Result<Self> {
        let parsed: Vec<RGBColor> = colors
            .iter()
            .map(|c| parse_color(c).ok_or_else(|| Error::Invalid(format!("not a colour: {c:?}"))))
            .collect::<Result<_>>()?;
        if parsed.is_empty() {
            return Err(Error::Invalid(
                "a gradient needs at least one colour".into(),
            ));
        }
        self.spec.gradient = parsed;
        Ok(self)
    }

    /// The scores of the first and last gradient colours (default: the lowest and highest
    /// score of the cells).
    pub fn range(mut self, min: f64, max: f64) -> Self {
        self.spec.range = Some((min, max));
        self
    }

    /// A legend entry: a colour and what it means.
    pub fn legend_item(mut self, label: impl Into<String>, color: &str) -> Result<Self> {
        let c =
            parse_color(color).ok_or_else(|| Error::Invalid(format!("not a colour: {color:?}")))?;
        self.spec.legend.push((label.into(), c));
        Ok(self)
    }

    /// The size of one cell in pixels (default 128 x 20); the chart's size follows from it.
    pub fn cell_size(mut self, width: u32, height: u32) -> Self {
        self.spec.cell_width = width.max(40);
        self.spec.cell_height = height.max(12);
        self
    }

    /// Draws the chart. An error when there is no column, or a cell's colour is not one.
    pub fn build(self) -> Result<Chart> {
        if self.spec.columns.is_empty() {
            return Err(Error::Invalid(
                "a matrix heatmap needs at least one column".into(),
            ));
        }
        for cell in self.spec.columns.iter().flat_map(|c| &c.cells) {
            if let Some(c) = &cell.color {
                if parse_color(c).is_none() {
                    return Err(Error::Invalid(format!(
                        "cell {}: not a colour: {c:?}",
                        cell.id
                    )));
                }
            }
        }
        let rows = self
            .spec
            .columns
            .iter()
            .map(|c| c.cells.len())
            .max()
            .unwrap_or(0) as i32;
        let columns = self.spec.columns.len() as i32;
        let width = 2 * MARGIN + columns * (self.spec.cell_width as i32 + GAP);
        let height = self.spec.top() + HEADER + rows * (self.spec.cell_height as i32 + 1) + MARGIN;
        Chart::new(self.spec, width.max(300) as u32, height.max(120) as u32)
    }
}

/// `#rrggbb`, `#rrggbbaa` (alpha ignored), or the same without `#`.
fn parse_color(text: &str) -> Option<RGBColor> {
    let hex = text.trim().trim_start_matches('#');
    if !(hex.len() == 6 || hex.len() == 8) || !hex.is_ascii() {
        return None;
    }
    let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
    Some(RGBColor(byte(0)?, byte(2)?, byte(4)?))
}

impl Spec {
    /// Where the column headers start: below the title and the legend.
    fn top(&self) -> i32 {
        MARGIN + if self.title.is_some() { 26 } else { 0 } + 26
    }

    fn range(&self) -> Option<(f64, f64)> {
        self.range.or_else(|| {
            self.columns
                .iter()
                .flat_map(|c| &c.cells)
                .filter_map(|c| c.score)
                .filter(|s| s.is_finite())
                .fold(None, |r, s| match r {
                    None => Some((s, s)),
                    Some((lo, hi)) => Some((f64::min(lo, s), f64::max(hi, s))),
                })
        })
    }

    /// The gradient's colour at `score`.
    fn color_at(&self, score: f64) -> RGBColor {
        let g = &self.gradient;
        let Some((lo, hi)) = self.range() else {
            return g[g.len() - 1];
        };
        if g.len() == 1 {
            return g[0];
        }
        let t = if hi > lo {
            ((score - lo) / (hi - lo)).clamp(0.0, 1.0)
        } else {
            1.0
        };
        let x = t * (g.len() - 1) as f64;
        let i = (x.floor() as usize).min(g.len() - 2);
        let f = x - i as f64;
        let mix = |a: u8, b: u8| (a as f64 + (b as f64 - a as f64) * f).round() as u8;
        RGBColor(
            mix(g[i].0, g[i + 1].0),
            mix(g[i].1, g[i + 1].1),
            mix(g[i].2, g[i + 1].2),
        )
    }
}

fn fmt_score(s: f64) -> String {
    if s.fract() == 0.0 && s.abs() < 1e15 {
        format!("{s:.0}")
    } else {
        format!("{s}")
    }
}

/// Black or white, whichever reads on `background`.
fn ink(background: RGBColor) -> RGBColor {
    let l = 0.299 * background.0 as f64 + 0.587 * background.1 as f64 + 0.114 * background.2 as f64;
    if l > 140.0 {
        BLACK
    } else {
        WHITE
    }
}

/// `text` cut with `…` to fit `width` pixels in `font`.
fn fit<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    font: &TextStyle<'_>,
    width: i32,
) -> String {
    let fits = |t: &str| {
        area.estimate_text_size(t, font)
            .map(|(w, _)| w as i32 <= width)
            .unwrap_or(true)
    };
    if fits(text) {
        return text.to_string();
    }
    let chars: Vec<char> = text.chars().collect();
    let (mut lo, mut hi) = (0usize, chars.len());
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        let candidate: String = chars[..mid].iter().collect::<String>() + "…";
        if fits(&candidate) {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    chars[..lo].iter().collect::<String>() + "…"
}

impl DrawOn for Spec {
    fn draw_on<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        tips: &mut Vec<Tip>,
    ) -> Result<()>
    where
        DB::ErrorType: 'static,
    {
        area.fill(&WHITE).drawn()?;
        let (cw, ch) = (self.cell_width as i32, self.cell_height as i32);
        let mut y = MARGIN;
        if let Some(title) = &self.title {
            let font = TextStyle::from(FontDesc::new(FontFamily::SansSerif, 18.0, FontStyle::Bold));
            area.draw(&Text::new(title.clone(), (MARGIN, y), font))
                .drawn()?;
            y += 26;
        }
        // The legend: the gradient's ends, then the entries given.
        let small = TextStyle::from(FontDesc::new(
            FontFamily::SansSerif,
            11.0,
            FontStyle::Normal,
        ));
        let mut x = MARGIN;
        let swatch = |x: &mut i32, color: RGBColor, label: String| -> Result<()> {
            area.draw(&Rectangle::new(
                [(*x, y + 2), (*x + 14, y + 16)],
                color.filled(),
            ))
            .drawn()?;
            area.draw(&Rectangle::new(
                [(*x, y + 2), (*x + 14, y + 16)],
                RGBColor(0x99, 0x99, 0x99),
            ))
            .drawn()?;
            let w = area
                .estimate_text_size(&label, &small)
                .map(|(w, _)| w as i32)
                .unwrap_or(60);
            area.draw(&Text::new(label, (*x + 18, y + 4), small.clone()))
                .drawn()?;
            *x += 18 + w + 14;
            Ok(())
        };
        if let Some((lo, hi)) = self.range() {
            swatch(
                &mut x,
                self.color_at(lo),
                format!("score {}", fmt_score(lo)),
            )?;
            if hi > lo {
                swatch(
                    &mut x,
                    self.color_at(hi),
                    format!("score {}", fmt_score(hi)),
                )?;
            }
        }
        swatch(&mut x, WHITE, "no score".into())?;
        for (label, color) in &self.legend {
            swatch(&mut x, *color, label.clone())?;
        }

        let top = self.top();
        let header_font =
            TextStyle::from(FontDesc::new(FontFamily::SansSerif, 12.0, FontStyle::Bold));
        let cell_font = TextStyle::from(FontDesc::new(
            FontFamily::SansSerif,
            10.5,
            FontStyle::Normal,
        ));
        let count_font = TextStyle::from(FontDesc::new(
            FontFamily::SansSerif,
            10.0,
            FontStyle::Normal,
        ));
        for (i, column) in self.columns.iter().enumerate() {
            let x0 = MARGIN + i as i32 * (cw + GAP);
            let title = fit(area, &column.title, &header_font, cw);
            let center = Pos::new(HPos::Center, VPos::Top);
            area.draw(&Text::new(
                title,
                (x0 + cw / 2, top),
                header_font.clone().pos(center),
            ))
            .drawn()?;
            let count = format!(
                "{} techniques",
                column.cells.iter().filter(|c| !c.nested).count()
            );
            area.draw(&Text::new(
                count,
                (x0 + cw / 2, top + 15),
                count_font.clone().pos(center),
            ))
            .drawn()?;
            for (row, cell) in column.cells.iter().enumerate() {
                let y0 = top + HEADER + row as i32 * (ch + 1);
                let left = x0 + if cell.nested { INDENT } else { 0 };
                let fill = match (&cell.color, cell.score) {
                    (Some(c), _) => parse_color(c).unwrap_or(WHITE),
                    (None, Some(s)) if s.is_finite() => self.color_at(s),
                    _ => WHITE,
                };
                area.draw(&Rectangle::new(
                    [(left, y0), (x0 + cw, y0 + ch)],
                    fill.filled(),
                ))
                .drawn()?;
                area.draw(&Rectangle::new(
                    [(left, y0), (x0 + cw, y0 + ch)],
                    RGBColor(0xcc, 0xcc, 0xcc),
                ))
                .drawn()?;
                let label = fit(area, &cell.label, &cell_font, x0 + cw - left - 6);
                let pos = Pos::new(HPos::Left, VPos::Center);
                area.draw(&Text::new(
                    label,
                    (left + 3, y0 + ch / 2),
                    cell_font.clone().color(&ink(fill)).pos(pos),
                ))
                .drawn()?;
                let score = match cell.score {
                    Some(s) => format!("score {}", fmt_score(s)),
                    None => "no score".to_string(),
                };
                let mut text = format!("{} {} ({}): {score}", cell.id, cell.label, column.title);
                if let Some(note) = &cell.note {
                    text.push('\n');
                    text.push_str(note);
                }
                tips.push(Tip {
                    left,
                    top: y0,
                    right: x0 + cw,
                    bottom: y0 + ch,
                    text,
                });
            }
        }
        Ok(())
    }
}
