//! Sigma string values: wildcards (`*` any run of characters, `?` one), escapes (`\*`,
//! `\?`, `\\`; a backslash before anything else is itself), and the modifiers that turn one
//! value into others (`windash`, `base64`, `base64offset`, `wide`).

use base64::Engine;

/// One piece of a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Piece {
    Text(String),
    /// `*`
    Any,
    /// `?`
    One,
}

/// A value as pieces: adjacent text joined, runs of `*` folded into one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Pattern(pub Vec<Piece>);

impl Pattern {
    /// Reads a Sigma string (wildcards and escapes).
    pub fn parse(s: &str) -> Pattern {
        let mut pieces = Vec::new();
        let mut text = String::new();
        let mut chars = s.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\\' => match chars.peek() {
                    Some(&n @ ('*' | '?' | '\\')) => {
                        text.push(n);
                        chars.next();
                    }
                    _ => text.push('\\'),
                },
                '*' | '?' => {
                    if !text.is_empty() {
                        pieces.push(Piece::Text(std::mem::take(&mut text)));
                    }
                    pieces.push(if c == '*' { Piece::Any } else { Piece::One });
                }
                c => text.push(c),
            }
        }
        if !text.is_empty() {
            pieces.push(Piece::Text(text));
        }
        Pattern(pieces).normalised()
    }

    /// A value taken literally, wildcards and all (the output of an encoding).
    pub fn literal(s: impl Into<String>) -> Pattern {
        Pattern(vec![Piece::Text(s.into())]).normalised()
    }

    fn normalised(self) -> Pattern {
        let mut out: Vec<Piece> = Vec::new();
        for piece in self.0 {
            match (out.last_mut(), piece) {
                (_, Piece::Text(t)) if t.is_empty() => {}
                (Some(Piece::Text(a)), Piece::Text(b)) => a.push_str(&b),
                (Some(Piece::Any), Piece::Any) => {}
                (_, p) => out.push(p),
            }
        }
        Pattern(out)
    }

    /// `*value*`, `value*` or `*value`.
    pub fn wrapped(mut self, before: bool, after: bool) -> Pattern {
        if before {
            self.0.insert(0, Piece::Any);
        }
        if after {
            self.0.push(Piece::Any);
        }
        self.normalised()
    }

    /// The text when the value has no wildcard.
    pub fn plain(&self) -> Option<String> {
        match self.0.as_slice() {
            [] => Some(String::new()),
            [Piece::Text(t)] => Some(t.clone()),
            _ => None,
        }
    }

    /// The same pattern with its text in lower case.
    pub fn lowercase(&self) -> Pattern {
        Pattern(
            self.0
                .iter()
                .map(|p| match p {
                    Piece::Text(t) => Piece::Text(t.to_lowercase()),
                    other => other.clone(),
                })
                .collect(),
        )
    }

    /// An anchored regular expression for the pattern (`(?s)^...$`).
    pub fn regex(&self) -> String {
        let mut out = String::from("(?s)^");
        for p in &self.0 {
            match p {
                Piece::Text(t) => out.push_str(&regex_syntax_escape(t)),
                Piece::Any => out.push_str(".*"),
                Piece::One => out.push('.'),
            }
        }
        out.push('$');
        out
    }
}

/// Escapes the characters a regular expression gives a meaning.
fn regex_syntax_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if "\\.+*?()|[]{}^$#&-~ ".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The dashes `windash` puts in the place of a command-line switch's `-` or `/`.
const DASHES: [char; 5] = ['-', '/', '\u{2013}', '\u{2014}', '\u{2015}'];

/// `windash`: every form of the value with each switch character (a `-` or `/` that starts
/// a word, after a non-word character or at the start) written as `-`, `/`, or one of the
/// three Unicode dashes Windows' command line accepts too.
pub(crate) fn windash(value: &str) -> Vec<String> {
    let chars: Vec<char> = value.chars().collect();
    let word = |c: char| c.is_alphanumeric() || c == '_';
    let switches: Vec<usize> = (0..chars.len())
        .filter(|&i| {
            matches!(chars[i], '-' | '/')
                && (i == 0 || !word(chars[i - 1]))
                && chars.get(i + 1).is_some_and(|&c| word(c))
        })
        .collect();
    // 5 forms per switch: a value with many switches would explode; past 4, only the
    // all-same forms are made.
    let mut out: Vec<Vec<char>> = vec![chars.clone()];
    if switches.len() <= 4 {
        for &i in &switches {
            out = out
                .into_iter()
                .flat_map(|v| {
                    DASHES.iter().map(move |&d| {
                        let mut v = v.clone();
                        v[i] = d;
                        v
                    })
                })
                .collect();
        }
    } else {
        out = DASHES
            .iter()
            .map(|&d| {
                let mut v = chars.clone();
                for &i in &switches {
                    v[i] = d;
                }
                v
            })
            .collect();
    }
    let mut out: Vec<String> = out.into_iter().map(|v| v.into_iter().collect()).collect();
    out.dedup();
    out
}

/// The bytes a value is encoded from before `base64`: UTF-8, or UTF-16 when asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Encoding {
    Utf8,
    Utf16Le,
    Utf16Be,
    /// UTF-16 little-endian after its byte order mark.
    Utf16,
}

pub(crate) fn encode(text: &str, encoding: Encoding) -> Vec<u8> {
    match encoding {
        Encoding::Utf8 => text.as_bytes().to_vec(),
        Encoding::Utf16Le => text.encode_utf16().flat_map(u16::to_le_bytes).collect(),
        Encoding::Utf16Be => text.encode_utf16().flat_map(u16::to_be_bytes).collect(),
        Encoding::Utf16 => [0xff, 0xfe]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
            .collect(),
    }
}

/// `base64`: the value's encoding.
pub(crate) fn base64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// `base64offset`: the three texts that the value's bytes encode to wherever they sit in a
/// longer base64 text (at an offset of 0, 1 or 2 bytes from a 3-byte group), without the
/// characters that depend on the neighbouring bytes (as pySigma and the specification make
/// them).
pub(crate) fn base64_offsets(bytes: &[u8]) -> Vec<String> {
    const START: [usize; 3] = [0, 2, 3];
    const END: [usize; 3] = [0, 3, 2];
    (0..3)
        .filter_map(|i| {
            let mut padded = vec![b' '; i];
            padded.extend_from_slice(bytes);
            let encoded = base64(&padded);
            let end = encoded.len().checked_sub(END[(bytes.len() + i) % 3])?;
            encoded.get(START[i]..end).map(str::to_string)
        })
        .filter(|s| !s.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards_and_escapes() {
        // `\\` is one backslash, then `*` is a wildcard; `\*` is a star.
        assert_eq!(
            Pattern::parse(r"C:\Windows\\*.exe"),
            Pattern(vec![
                Piece::Text(r"C:\Windows\".into()),
                Piece::Any,
                Piece::Text(".exe".into())
            ])
        );
        assert_eq!(
            Pattern::parse(r"C:\Windows\*.exe").plain().as_deref(),
            Some(r"C:\Windows*.exe")
        );
        assert_eq!(Pattern::parse(r"a\*b").plain().as_deref(), Some("a*b"));
        assert_eq!(
            Pattern::parse(r"\\server").plain().as_deref(),
            Some(r"\server")
        );
        assert_eq!(Pattern::parse(r"end\").plain().as_deref(), Some(r"end\"));
        assert_eq!(Pattern::parse("a**b?").0.len(), 4);
        assert_eq!(Pattern::parse("a*b?c").regex(), r"(?s)^a.*b.c$");
        assert_eq!(Pattern::parse("1.2").regex(), r"(?s)^1\.2$");
    }

    #[test]
    fn windash_forms() {
        let forms = windash(" -enc ");
        assert_eq!(forms.len(), 5);
        assert!(forms.contains(&" /enc ".to_string()));
        assert!(forms.contains(&" \u{2013}enc ".to_string()));
        // A dash inside a word is not a switch.
        assert_eq!(windash("a-b"), ["a-b"]);
        assert_eq!(windash("-a -b").len(), 25);
    }

    #[test]
    fn base64_offsets_as_pysigma_makes_them() {
        // pySigma: SigmaBase64OffsetModifier on "/c" gives these three.
        assert_eq!(base64_offsets(b"/c"), ["L2", "9j", "vY"]);
        assert_eq!(base64_offsets(b"http"), ["aHR0c", "h0dH", "odHRw"]);
        assert_eq!(base64(&encode("ab", Encoding::Utf16Le)), "YQBiAA==");
    }
}
