//! [`Chart`]: a drawn chart that shows inline in evcxr and saves as SVG or PNG.

use std::io::Write;
use std::path::Path;
use std::sync::Once;

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::{Error, Result};

/// What can draw itself on any plotters backend.
pub(crate) trait Draw {
    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<()>;
}

/// The specification of a chart, kept so that it can be drawn again at any size or format.
#[derive(Debug, Clone)]
pub(crate) enum Spec {
    Bar(crate::bar::BarSpec),
    Stacked(crate::stacked::StackedSpec),
    Box(crate::boxplot::BoxSpec),
}

impl Draw for Spec {
    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<()> {
        match self {
            Spec::Bar(s) => s.draw(area),
            Spec::Stacked(s) => s.draw(area),
            Spec::Box(s) => s.draw(area),
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
        {
            let root = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
            spec.draw(&root)?;
            root.present().map_err(draw_error)?;
        }
        Ok(Self {
            spec,
            width,
            height,
            svg,
        })
    }

    /// The SVG document.
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
        self.spec.draw(&root)?;
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
