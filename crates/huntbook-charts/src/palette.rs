//! Colors for categories, and category labels shortened without colliding.

use plotters::style::{HSLColor, RGBColor};

/// Twenty distinct colors: Vega's `tableau10` (altair's default, in its order) first, then ten
/// of `tableau20` and `category20b` chosen to stay apart from those. A chart with more
/// categories continues with [`color`]'s generated hues.
pub const PALETTE: [RGBColor; 20] = [
    RGBColor(0x4c, 0x78, 0xa8),
    RGBColor(0xf5, 0x85, 0x18),
    RGBColor(0xe4, 0x57, 0x56),
    RGBColor(0x72, 0xb7, 0xb2),
    RGBColor(0x54, 0xa2, 0x4b),
    RGBColor(0xee, 0xca, 0x3b),
    RGBColor(0xb2, 0x79, 0xa2),
    RGBColor(0xff, 0x9d, 0xa6),
    RGBColor(0x9d, 0x75, 0x5d),
    RGBColor(0xba, 0xb0, 0xac),
    RGBColor(0x39, 0x3b, 0x79),
    RGBColor(0xb7, 0x9a, 0x20),
    RGBColor(0x43, 0x98, 0x94),
    RGBColor(0xd6, 0x71, 0x95),
    RGBColor(0x9e, 0xca, 0xe9),
    RGBColor(0xff, 0xbf, 0x79),
    RGBColor(0x88, 0xd2, 0x7a),
    RGBColor(0x79, 0x70, 0x6e),
    RGBColor(0xd6, 0xa5, 0xc9),
    RGBColor(0xd8, 0xb5, 0xa5),
];

/// The color of the `i`-th category: [`PALETTE`], then hues a golden angle apart, alternating
/// between a darker and a lighter tone, so that no two categories of a chart share a color.
pub fn color(i: usize) -> RGBColor {
    if let Some(c) = PALETTE.get(i) {
        return *c;
    }
    let k = (i - PALETTE.len()) as f64;
    let hue = (0.07 + k * 0.381_966_011_250_105).fract();
    let lightness = if (i - PALETTE.len()) % 2 == 0 {
        0.42
    } else {
        0.66
    };
    to_rgb(HSLColor(hue, 0.62, lightness))
}

fn to_rgb(c: HSLColor) -> RGBColor {
    use plotters::style::Color;
    let (r, g, b) = c.rgb();
    RGBColor(r, g, b)
}

/// Labels cut to at most `max` characters (with `…`) that stay as distinct as the full labels:
/// where two cut labels would read the same, they keep their start and their end around the
/// ellipsis, and as a last resort a number.
pub fn shorten_distinct(labels: &[String], max: usize) -> Vec<String> {
    let max = max.max(5);
    let mut short: Vec<String> = labels.iter().map(|l| cut_end(l, max)).collect();
    for _ in 0..2 {
        let clashes = clashing(labels, &short);
        if clashes.is_empty() {
            return short;
        }
        for i in clashes {
            short[i] = cut_middle(&labels[i], max);
        }
    }
    // Still the same text for different labels: number them.
    let mut seen: Vec<(String, usize)> = Vec::new();
    for i in clashing(labels, &short) {
        let n = match seen.iter_mut().find(|(s, _)| *s == short[i]) {
            Some((_, n)) => {
                *n += 1;
                *n
            }
            None => {
                seen.push((short[i].clone(), 1));
                1
            }
        };
        let suffix = format!(" ({n})");
        let base = cut_end(&labels[i], max.saturating_sub(suffix.len()).max(2));
        short[i] = format!("{base}{suffix}");
    }
    short
}

/// The indices whose shortened label equals the shortened label of a different full label.
fn clashing(labels: &[String], short: &[String]) -> Vec<usize> {
    (0..short.len())
        .filter(|&i| (0..short.len()).any(|j| short[j] == short[i] && labels[j] != labels[i]))
        .collect()
}

fn cut_end(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut t: String = text.chars().take(max - 1).collect();
    t.push('…');
    t
}

fn cut_middle(text: &str, max: usize) -> String {
    let n = text.chars().count();
    if n <= max {
        return text.to_string();
    }
    let head = (max - 1) / 2;
    let tail = max - 1 - head;
    let start: String = text.chars().take(head).collect();
    let end: String = text.chars().skip(n - tail).collect();
    format!("{start}…{end}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twenty_distinct_colors_and_more() {
        let colors: Vec<RGBColor> = (0..60).map(color).collect();
        for (i, a) in colors.iter().enumerate() {
            for b in &colors[i + 1..] {
                assert_ne!((a.0, a.1, a.2), (b.0, b.1, b.2));
            }
        }
        assert_eq!(color(0), PALETTE[0]);
    }

    #[test]
    fn shortened_labels_stay_distinct() {
        let labels: Vec<String> = [
            "network connection creation,network traffic content",
            "network connection creation,network traffic flow",
            "network connection creation,network traffic flow,process creation",
            "short",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let short = shorten_distinct(&labels, 40);
        assert_eq!(short[3], "short");
        for (i, a) in short.iter().enumerate() {
            assert!(a.chars().count() <= 40, "{a}");
            for b in &short[i + 1..] {
                assert_ne!(a, b);
            }
        }
        // The same full label twice keeps one shortened text.
        let twice = vec![labels[0].clone(), labels[0].clone()];
        let short = shorten_distinct(&twice, 40);
        assert_eq!(short[0], short[1]);
    }

    #[test]
    fn labels_that_differ_only_in_the_middle_are_numbered() {
        let a = format!("{}x{}", "a".repeat(30), "b".repeat(30));
        let b = format!("{}y{}", "a".repeat(30), "b".repeat(30));
        let short = shorten_distinct(&[a, b], 20);
        assert_ne!(short[0], short[1]);
        assert!(short.iter().all(|s| s.chars().count() <= 20), "{short:?}");
    }
}
