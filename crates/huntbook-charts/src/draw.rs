//! Drawing on any plotters backend: the [`DrawOn`] trait every chart kind implements, the
//! [`Tip`]s its marks leave for the SVG's tooltips, the bundled font, and plotters' errors
//! mapped to ours.

use std::sync::Once;

use plotters::coord::ranged1d::Ranged;
use plotters::coord::Shift;
use plotters::prelude::*;

use crate::{Error, Result};

/// What can draw itself on any plotters backend, noting for each mark (bar, segment, box) the
/// pixels it covers and the exact values it stands for, which the SVG carries as tooltips.
pub(crate) trait DrawOn {
    fn draw_on<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        tips: &mut Vec<Tip>,
    ) -> Result<()>
    where
        DB::ErrorType: 'static;
}

/// A chart kind as [`crate::Chart`] keeps it, without naming it: drawn as SVG (with its
/// tooltips) or as PNG, at any size.
pub(crate) trait Drawing: std::fmt::Debug + Send + Sync {
    fn draw_svg(
        &self,
        area: &DrawingArea<SVGBackend<'_>, Shift>,
        tips: &mut Vec<Tip>,
    ) -> Result<()>;
    fn draw_png(&self, area: &DrawingArea<BitMapBackend<'_>, Shift>) -> Result<()>;
}

impl<T: DrawOn + std::fmt::Debug + Send + Sync> Drawing for T {
    fn draw_svg(
        &self,
        area: &DrawingArea<SVGBackend<'_>, Shift>,
        tips: &mut Vec<Tip>,
    ) -> Result<()> {
        self.draw_on(area, tips)
    }

    fn draw_png(&self, area: &DrawingArea<BitMapBackend<'_>, Shift>) -> Result<()> {
        self.draw_on(area, &mut Vec::new())
    }
}

/// A tooltip: the pixel rectangle of a mark and the text a pointer over it shows.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Tip {
    pub(crate) left: i32,
    pub(crate) top: i32,
    pub(crate) right: i32,
    pub(crate) bottom: i32,
    pub(crate) text: String,
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

/// The font text is measured and drawn with (DejaVu Sans, bundled: a notebook server cannot
/// be relied on to have fonts).
static FONT: &[u8] = include_bytes!("../assets/DejaVuSans.ttf");

/// Registers the bundled font as `sans-serif`, once.
pub(crate) fn register_font() -> Result<()> {
    static ONCE: Once = Once::new();
    let mut result = Ok(());
    ONCE.call_once(|| {
        for style in [FontStyle::Normal, FontStyle::Bold] {
            if plotters::style::register_font("sans-serif", style, FONT).is_err() {
                result = Err(Error::Font);
            }
        }
    });
    result
}

/// Maps plotters' drawing errors to ours, keeping them as the source.
pub(crate) trait DrawContext<T> {
    fn drawn(self) -> Result<T>;
}

impl<T, E: std::error::Error + Send + Sync + 'static> DrawContext<T>
    for std::result::Result<T, DrawingAreaErrorKind<E>>
{
    fn drawn(self) -> Result<T> {
        self.map_err(|e| Error::Draw {
            source: Box::new(e),
        })
    }
}
