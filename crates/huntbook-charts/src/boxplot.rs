//! Box plots: one box per category (seaborn's `boxplot(x=category, y=value)`).

use plotters::coord::Shift;
use plotters::prelude::*;
use polars::prelude::*;

use crate::axes::{exact_value, format_value, Labels};
use crate::categorical::Plot;
use crate::chart::Chart;
use crate::draw::{DrawContext, DrawOn, Tip};
use crate::legend::Legend;
use crate::palette;
use crate::{data, Error, Result};

/// The statistics one box shows, as matplotlib (and so seaborn) computes them: quartiles by
/// linear interpolation (numpy's default percentile), whiskers at the farthest values within
/// 1.5 IQR of the box, and the values beyond them as outliers.
#[derive(Debug, Clone, PartialEq)]
pub struct BoxStats {
    /// The category.
    pub category: String,
    /// How many values.
    pub count: usize,
    /// First quartile.
    pub q1: f64,
    /// Median.
    pub median: f64,
    /// Third quartile.
    pub q3: f64,
    /// Lowest value within `q1 - 1.5 IQR`.
    pub whisker_low: f64,
    /// Highest value within `q3 + 1.5 IQR`.
    pub whisker_high: f64,
    /// Values beyond the whiskers, ascending.
    pub outliers: Vec<f64>,
}

/// numpy's `percentile(values, p)` (linear) on sorted values.
fn percentile(sorted: &[f64], p: f64) -> f64 {
    let rank = p / 100.0 * (sorted.len() - 1) as f64;
    let (lo, hi) = (rank.floor() as usize, rank.ceil() as usize);
    sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo as f64)
}

impl BoxStats {
    /// The statistics of `values` (not empty, all finite).
    pub fn of(category: impl Into<String>, values: &[f64]) -> Result<Self> {
        let category = category.into();
        let mut sorted = values.to_vec();
        if sorted.is_empty() || sorted.iter().any(|v| !v.is_finite()) {
            return Err(Error::Invalid(format!(
                "box {category:?} needs at least one finite value"
            )));
        }
        sorted.sort_by(f64::total_cmp);
        let (q1, median, q3) = (
            percentile(&sorted, 25.0),
            percentile(&sorted, 50.0),
            percentile(&sorted, 75.0),
        );
        let iqr = q3 - q1;
        let (low, high) = (q1 - 1.5 * iqr, q3 + 1.5 * iqr);
        let inside: Vec<f64> = sorted
            .iter()
            .copied()
            .filter(|v| *v >= low && *v <= high)
            .collect();
        Ok(BoxStats {
            category,
            count: sorted.len(),
            q1,
            median,
            q3,
            whisker_low: inside.first().copied().unwrap_or(q1).min(q1),
            whisker_high: inside.last().copied().unwrap_or(q3).max(q3),
            outliers: sorted
                .iter()
                .copied()
                .filter(|v| *v < low || *v > high)
                .collect(),
        })
    }
}

impl BoxStats {
    /// One line with every statistic of the box (its tooltip).
    pub fn summary(&self) -> String {
        let mut text = format!(
            "{}: {} values, median {}, quartiles {} to {}, whiskers {} to {}",
            self.category,
            self.count,
            exact_value(self.median),
            exact_value(self.q1),
            exact_value(self.q3),
            exact_value(self.whisker_low),
            exact_value(self.whisker_high)
        );
        if !self.outliers.is_empty() {
            text.push_str(&format!(", {} outliers", self.outliers.len()));
        }
        text
    }
}

#[derive(Debug, Clone)]
pub(crate) struct BoxSpec {
    boxes: Vec<BoxStats>,
    labels: Labels,
}

impl DrawOn for BoxSpec {
    fn draw_on<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        tips: &mut Vec<Tip>,
    ) -> Result<()>
    where
        DB::ErrorType: 'static,
    {
        let categories: Vec<String> = self.boxes.iter().map(|b| b.category.clone()).collect();
        let lowest = self
            .boxes
            .iter()
            .flat_map(|b| b.outliers.iter().copied().chain([b.whisker_low]))
            .fold(f64::INFINITY, f64::min);
        let highest = self
            .boxes
            .iter()
            .flat_map(|b| b.outliers.iter().copied().chain([b.whisker_high]))
            .fold(f64::NEG_INFINITY, f64::max);
        let pad = ((highest - lowest) * 0.05).max(0.5);
        let plot = Plot {
            categories: &categories,
            horizontal: false,
            labels: &self.labels,
            values: (lowest - pad)..(highest + pad),
            value_format: &|v| format_value(*v),
            legend: &Legend::default(),
        };
        plot.draw(root, |chart| {
            let line = BLACK.stroke_width(1);
            for (i, b) in self.boxes.iter().enumerate() {
                let x = i as f64;
                let at = |dx: f64, v: f64| plot.point(x + dx, v);
                let color = palette::color(i);
                let corners = [at(-0.4, b.q1), at(0.4, b.q3)];
                chart
                    .draw_series([Rectangle::new(corners, color.filled())])
                    .drawn()?;
                chart.draw_series([Rectangle::new(corners, line)]).drawn()?;
                let segments = [
                    [at(-0.4, b.median), at(0.4, b.median)],
                    [at(0.0, b.q3), at(0.0, b.whisker_high)],
                    [at(0.0, b.q1), at(0.0, b.whisker_low)],
                    [at(-0.2, b.whisker_high), at(0.2, b.whisker_high)],
                    [at(-0.2, b.whisker_low), at(0.2, b.whisker_low)],
                ];
                chart
                    .draw_series(
                        segments
                            .into_iter()
                            .map(|s| PathElement::new(s.to_vec(), line)),
                    )
                    .drawn()?;
                chart
                    .draw_series(b.outliers.iter().map(|v| Circle::new(at(0.0, *v), 3, line)))
                    .drawn()?;
                tips.push(Tip::of(
                    chart,
                    at(-0.4, b.whisker_high),
                    at(0.4, b.whisker_low),
                    b.summary(),
                ));
                for v in &b.outliers {
                    tips.push(Tip::of(
                        chart,
                        at(-0.05, *v),
                        at(0.05, *v),
                        format!("{}: outlier {}", b.category, exact_value(*v)),
                    ));
                }
            }
            Ok(())
        })
    }
}

/// A box plot: one box per category, in order of first appearance (seaborn's order), over
/// the values of the rows of that category. Rows with a null category or value are left
/// out, as seaborn leaves them out. `rotate_labels` turns labels 90 degrees, not seaborn's 45:
/// plotters turns text by quarter turns only.
///
/// ```
/// use huntbook_charts::BoxPlot;
/// use polars::prelude::*;
///
/// let df = df!("User" => ["a", "b", "a", "a"], "Command_Length" => [10i64, 40, 12, 300])?;
/// let plot = BoxPlot::from_frame(&df, "User", "Command_Length")?
///     .rotate_labels()
///     .title("Command line length per user");
/// assert_eq!(plot.stats()[0].median, 12.0);
/// let chart = plot.render()?;
/// assert!(chart.svg().contains("Command line length per user"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct BoxPlot {
    spec: BoxSpec,
    width: u32,
    height: u32,
}

impl BoxPlot {
    /// From a frame: `category` (one box each) and `value` (numbers).
    pub fn from_frame(df: &DataFrame, category: &str, value: &str) -> Result<Self> {
        let cats = data::labels_opt(df, category)?;
        let values = data::numbers_opt(df, value)?;
        let mut order: Vec<String> = Vec::new();
        let mut groups: Vec<Vec<f64>> = Vec::new();
        for (c, v) in cats.into_iter().zip(values) {
            let (Some(c), Some(v)) = (c, v) else { continue };
            match order.iter().position(|o| *o == c) {
                Some(i) => groups[i].push(v),
                None => {
                    order.push(c);
                    groups.push(vec![v]);
                }
            }
        }
        if order.is_empty() {
            return Err(Error::Invalid(format!(
                "no row has both a {category:?} and a {value:?}: nothing to plot"
            )));
        }
        let boxes = order
            .into_iter()
            .zip(groups)
            .map(|(c, g)| BoxStats::of(c, &g))
            .collect::<Result<Vec<_>>>()?;
        Ok(BoxPlot {
            spec: BoxSpec {
                boxes,
                labels: Labels {
                    category_title: Some(category.to_string()),
                    value_title: Some(value.to_string()),
                    ..Labels::default()
                },
            },
            width: 720,
            height: 480,
        })
    }

    /// The statistics of each box, in drawing order.
    pub fn stats(&self) -> &[BoxStats] {
        &self.spec.boxes
    }

    label_methods!("720x480");

    /// Draws the chart.
    pub fn render(self) -> Result<Chart> {
        Chart::new(self.spec, self.width, self.height)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quartiles_and_whiskers_follow_numpy_and_matplotlib() -> Result<()> {
        // numpy.percentile([1, 2, 3, 4, 100], [25, 50, 75]) == [2, 3, 4]; IQR 2, so the
        // upper fence is 7 and 100 is an outlier.
        let b = BoxStats::of("x", &[4.0, 1.0, 100.0, 3.0, 2.0])?;
        assert_eq!((b.q1, b.median, b.q3), (2.0, 3.0, 4.0));
        assert_eq!((b.whisker_low, b.whisker_high), (1.0, 4.0));
        assert_eq!(b.outliers, [100.0]);
        let b = BoxStats::of("y", &[1.0, 2.0, 3.0, 4.0])?;
        assert_eq!((b.q1, b.median, b.q3), (1.75, 2.5, 3.25));
        assert!(BoxStats::of("z", &[]).is_err());
        Ok(())
    }

    #[test]
    fn boxes_in_order_of_first_appearance_without_nulls() -> Result<()> {
        let df = df!(
            "User" => [Some("b"), Some("a"), None, Some("b")],
            "len" => [Some(1i64), Some(2), Some(3), None],
        )
        .map_err(|e| Error::Invalid(e.to_string()))?;
        let plot = BoxPlot::from_frame(&df, "User", "len")?;
        let names: Vec<(&str, usize)> = plot
            .stats()
            .iter()
            .map(|b| (b.category.as_str(), b.count))
            .collect();
        assert_eq!(names, [("b", 1), ("a", 1)]);
        let svg = plot.rotate_labels().render()?.svg().to_string();
        // The background, then a filled and an outlined rectangle per box, then a tooltip
        // per box.
        assert_eq!(svg.matches("<rect").count(), 1 + 2 * 2 + 2, "{svg}");
        assert!(
            svg.contains("<title>b: 1 values, median 1, quartiles 1 to 1"),
            "{svg}"
        );
        Ok(())
    }
}
