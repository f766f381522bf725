//! [`Chart`]: a drawn chart that shows inline in evcxr and saves as SVG or PNG.

use std::io::Write;
use std::path::Path;
use std::sync::Once;

use plotters::coord::ranged1d::Ranged;
use plotters::coord::Shift;
use plotters::prelude::*;

use crate::{Error, Result};

/// What can draw itself on any plotters backend, noting for each mark (bar, segment, box) the
/// pixels it covers and the exact values it stands for, which the SVG carries as tooltips.
pub(crate) trait Draw {
    fn draw<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        tips: &mut Vec<Tip>,
    ) -> Result<()>;
}

/// A tooltip: the pixel rectangle of a mark and the text a pointer over it shows.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Tip {
    left: i32,
    top: i32,
    right: i32,
    bottom: i32,
    text: String,
}

impl Tip {
    /// The tooltip of the mark between the data points `a` and `b` (opposite corners).
    pub(crate) fn of<DB, X, Y>(
        chart: &ChartContext<'_, DB, Cartesian2d<X, Y>>,
        a: (X::ValueType, Y::ValueType),
        b: (X::ValueType, Y::ValueType),
        text: String,
    ) -> Self
    where
        DB: DrawingBackend,
        X: Ranged,
        Y: Ranged,
    {
        let (x0, y0) = chart.backend_coord(&a);
        let (x1, y1) = chart.backend_coord(&b);
        // A zero-length bar still gets a few pixels to point at.
        let (left, right) = (x0.min(x1), x0.max(x1).max(x0.min(x1) + 3));
        let (top, bottom) = (y0.min(y1), y0.max(y1).max(y0.min(y1) + 3));
        Tip {
            left,
            top,
            right,
            bottom,
            text,
        }
    }
}

/// Text as SVG character data.
fn escape_xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
    out
}

/// Adds the tooltips to an SVG document: a transparent rectangle over each mark, drawn last so
/// that it is the one under the pointer, holding a `<title>` (what browsers show on hover).
fn with_tooltips(svg: &str, tips: &[Tip]) -> String {
    let Some(end) = svg.rfind("</svg>") else {
        return svg.to_string();
    };
    let mut out = String::with_capacity(svg.len() + tips.len() * 120);
    out.push_str(&svg[..end]);
    out.push_str("<g class=\"tooltips\">\n");
    for t in tips {
        out.push_str(&format!(
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#000\" fill-opacity=\"0\"><title>{}</title></rect>\n",
            t.left,
            t.top,
            t.right - t.left,
            t.bottom - t.top,
            escape_xml(&t.text)
        ));
    }
    out.push_str("</g>\n");
    out.push_str(&svg[end..]);
    out
}

/// The specification of a chart, kept so that it can be drawn again at any size or format.
#[derive(Debug, Clone)]
pub(crate) enum Spec {
    Bar(crate::bar::BarSpec),
    Stacked(crate::stacked::StackedSpec),
    Box(crate::boxplot::BoxSpec),
}

impl Draw for Spec {
    fn draw<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        tips: &mut Vec<Tip>,
    ) -> Result<()> {
        match self {
            Spec::Bar(s) => s.draw(area, tips),
            Spec::Stacked(s) => s.draw(area, tips),
            Spec::Box(s) => s.draw(area, tips),
        }
    }
}

/// A chart ready to show: `chart` as the last expression of an evcxr cell shows it inline
/// (SVG); [`Chart::save_svg`] and [`Chart::save_png`] write it to disk.
#[derive(Debug, Clone)]
pub struct Chart {
    spec: Spec,
    width: u32,
    height: u32,
    svg: String,
}

/// The font text is measured and drawn with (DejaVu Sans, bundled: a notebook server cannot
/// be relied on to have fonts).
static FONT: &[u8] = include_bytes!("../assets/DejaVuSans.ttf");

fn register_font() -> Result<()> {
    static ONCE: Once = Once::new();
    let mut result = Ok(());
    ONCE.call_once(|| {
        for style in [FontStyle::Normal, FontStyle::Bold] {
            if plotters::style::register_font("sans-serif", style, FONT).is_err() {
                result = Err(Error::Draw(
                    "the bundled font DejaVu Sans cannot be read".into(),
                ));
            }
        }
    });
    result
}

fn draw_error<E: std::error::Error + Send + Sync>(e: DrawingAreaErrorKind<E>) -> Error {
    Error::Draw(e.to_string())
}

impl Chart {
    pub(crate) fn new(spec: Spec, width: u32, height: u32) -> Result<Self> {
        if width < 100 || height < 100 {
            return Err(Error::Invalid(format!(
                "a chart of {width}x{height} pixels is too small (100x100 at least)"
            )));
        }
        // Text is measured for layout with the bundled font, whatever the backend.
        register_font()?;
        let mut svg = String::new();
        let mut tips = Vec::new();
        {
            let root = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
            spec.draw(&root, &mut tips)?;
            root.present().map_err(draw_error)?;
        }
        Ok(Self {
            spec,
            width,
            height,
            svg: with_tooltips(&svg, &tips),
        })
    }

    /// The SVG document. Each bar, segment and box carries its exact values as a tooltip
    /// (an SVG `<title>`, shown when the pointer rests on it).
    pub fn svg(&self) -> &str {
        &self.svg
    }

    /// Width and height in pixels.
    pub fn size(&self) -> (u32, u32) {
        (self.width, self.height)
    }

    /// Writes the chart as an SVG file.
    pub fn save_svg(&self, path: impl AsRef<Path>) -> Result<()> {
        let path = path.as_ref();
        std::fs::write(path, &self.svg).map_err(|source| Error::Io {
            path: path.to_path_buf(),
            source,
        })
    }

    /// Draws the chart into a PNG file (text in the bundled DejaVu Sans).
    pub fn save_png(&self, path: impl AsRef<Path>) -> Result<()> {
        let path = path.as_ref();
        let root = BitMapBackend::new(path, (self.width, self.height)).into_drawing_area();
        self.spec.draw(&root, &mut Vec::new())?;
        root.present()
            .map_err(|e| Error::Draw(format!("failed to write {}: {e}", path.display())))
    }

    /// What [`Chart::evcxr_display`] prints: one `image/svg+xml` block of evcxr's protocol.
    pub fn evcxr_output(&self) -> String {
        format!(
            "EVCXR_BEGIN_CONTENT image/svg+xml\n{}\nEVCXR_END_CONTENT\n",
            self.svg.trim_end()
        )
    }

    /// Shows the chart inline in an evcxr notebook, in one locked write.
    pub fn evcxr_display(&self) {
        let stdout = std::io::stdout();
        let mut out = stdout.lock();
        let _ = out.write_all(self.evcxr_output().as_bytes());
        let _ = out.flush();
    }
}

/// Maps plotters' drawing errors to ours.
pub(crate) trait DrawContext<T> {
    fn drawn(self) -> Result<T>;
}

impl<T, E: std::error::Error + Send + Sync> DrawContext<T>
    for std::result::Result<T, DrawingAreaErrorKind<E>>
{
    fn drawn(self) -> Result<T> {
        self.map_err(draw_error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tooltips_are_escaped_and_drawn_last() {
        let tip = Tip {
            left: 1,
            top: 2,
            right: 11,
            bottom: 22,
            text: "a<b & \"c\": 3".into(),
        };
        let svg = with_tooltips("<svg><rect/></svg>\n", &[tip]);
        assert_eq!(
            svg,
            "<svg><rect/><g class=\"tooltips\">\n<rect x=\"1\" y=\"2\" width=\"10\" height=\"20\" \
             fill=\"#000\" fill-opacity=\"0\"><title>a&lt;b &amp; &quot;c&quot;: 3</title></rect>\n</g>\n</svg>\n"
        );
    }
}
