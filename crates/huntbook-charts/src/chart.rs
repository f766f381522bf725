//! [`Chart`]: a drawn chart that shows inline in evcxr and saves as SVG or PNG.

use std::path::Path;
use std::sync::Arc;

use huntbook_display::evcxr;
use plotters::prelude::*;

use crate::draw::{register_font, DrawContext, Drawing, Tip};
use crate::{Error, Result};

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
            evcxr::escape(&t.text)
        ));
    }
    out.push_str("</g>\n");
    out.push_str(&svg[end..]);
    out
}

/// A chart ready to show: `chart` as the last expression of an evcxr cell shows it inline
/// (SVG); [`Chart::save_svg`] and [`Chart::save_png`] write it to disk.
#[derive(Debug, Clone)]
pub struct Chart {
    drawing: Arc<dyn Drawing>,
    width: u32,
    height: u32,
    svg: String,
}

impl Chart {
    /// Draws `drawing` as SVG at `width` x `height` pixels, and keeps it to draw again as PNG.
    pub(crate) fn new(drawing: impl Drawing + 'static, width: u32, height: u32) -> Result<Self> {
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
            drawing.draw_svg(&root, &mut tips)?;
            root.present().drawn()?;
        }
        Ok(Self {
            drawing: Arc::new(drawing),
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
        self.drawing.draw_png(&root)?;
        root.present().map_err(|e| Error::Png {
            path: path.to_path_buf(),
            source: Box::new(e),
        })
    }

    /// What [`Chart::evcxr_display`] prints: one `image/svg+xml` block of evcxr's protocol.
    pub fn evcxr_output(&self) -> String {
        evcxr::output(&[("image/svg+xml", &self.svg)])
    }

    /// Shows the chart inline in an evcxr notebook.
    pub fn evcxr_display(&self) {
        evcxr::show(&[("image/svg+xml", &self.svg)]);
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
