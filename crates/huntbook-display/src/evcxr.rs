//! evcxr's display protocol, written in one place for every type huntbook shows (tables,
//! `info()` summaries, charts): a value shows as rich output when it prints blocks of
//! `EVCXR_BEGIN_CONTENT {mime}` ... `EVCXR_END_CONTENT`, richest first, from its
//! `evcxr_display` method.

use std::io::Write as _;

/// The blocks of `contents` (`(mime type, content)`, richest first) as evcxr reads them.
///
/// ```
/// let out = huntbook_display::evcxr::output(&[("text/html", "<b>3</b>"), ("text/plain", "3")]);
/// assert_eq!(
///     out,
///     "EVCXR_BEGIN_CONTENT text/html\n<b>3</b>\nEVCXR_END_CONTENT\n\
///      EVCXR_BEGIN_CONTENT text/plain\n3\nEVCXR_END_CONTENT\n"
/// );
/// ```
pub fn output(contents: &[(&str, &str)]) -> String {
    let size = contents.iter().map(|(_, c)| c.len() + 64).sum();
    let mut out = String::with_capacity(size);
    for (mime, content) in contents {
        out.push_str("EVCXR_BEGIN_CONTENT ");
        out.push_str(mime);
        out.push('\n');
        out.push_str(content.trim_end_matches('\n'));
        out.push_str("\nEVCXR_END_CONTENT\n");
    }
    out
}

/// Shows `contents` in the notebook: [`output`] in one locked write to stdout, so that
/// nothing another thread prints lands inside a block.
pub fn show(contents: &[(&str, &str)]) {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let _ = out.write_all(output(contents).as_bytes());
    let _ = out.flush();
}

/// Text as HTML or SVG character data or attribute value: `&`, `<`, `>` and `"` escaped.
pub fn escape(text: &str) -> String {
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
