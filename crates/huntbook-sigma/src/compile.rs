//! A rule's detection compiled to one polars expression over a frame's columns, evaluated
//! over the whole frame at once.
//!
//! Matching is Sigma's: case-insensitive unless the `cased` or `re` modifier says otherwise
//! (each text column a rule set reads is lowered once, and rules compare lowered values);
//! a list of values is any of them (`all`: every one); a field the frame lacks holds no
//! value (so `Field: null` and `not` a search on it hold). Numbers compare as numbers on
//! numeric columns and as their text on text columns, as the JSON exports mix both.

use std::collections::BTreeSet;

use polars::prelude::*;

use crate::condition::Condition;
use crate::rule::{Detection, Item, Modifier, Scalar, Search};
use crate::value::{self, Encoding, Pattern, Piece};

/// Sigma's names for the System fields, and the names the frames of huntbook's readers give
/// them (Security-Datasets' names).
const ALIASES: &[(&str, &str)] = &[
    ("Provider_Name", "SourceName"),
    ("Computer", "Hostname"),
    ("EventRecordID", "RecordNumber"),
];

/// The name of a column's lowered copy.
fn lowered_name(column: &str) -> String {
    format!("\u{1}lower\u{1}{column}")
}

/// Compiles detections against one frame's columns, noting which columns need a lowered
/// copy and which fields the frame lacks.
pub(crate) struct Compiler<'a> {
    schema: &'a Schema,
    /// Columns whose lowered copy the compiled expressions read.
    pub lowered: BTreeSet<String>,
    /// Fields of the rule the frame lacks (reset per rule by the caller).
    pub missing: BTreeSet<String>,
}

/// What a rule's modifiers ask, once checked.
#[derive(Default)]
struct Modifiers {
    before: bool,
    after: bool,
    all: bool,
    re: Option<String>,
    cidr: bool,
    windash: bool,
    base64: Option<bool>,
    encoding: Option<Encoding>,
    exists: bool,
    cased: bool,
    compare: Option<Modifier>,
    fieldref: bool,
}

impl Modifiers {
    fn read(item: &Item) -> Result<Modifiers, String> {
        let mut m = Modifiers::default();
        for modifier in &item.modifiers {
            match modifier {
                Modifier::Contains => (m.before, m.after) = (true, true),
                Modifier::StartsWith => m.after = true,
                Modifier::EndsWith => m.before = true,
                Modifier::All => m.all = true,
                Modifier::Re => m.re = Some(String::new()),
                Modifier::ReFlag(flag) => {
                    if let Some(flags) = &mut m.re {
                        flags.push(*flag);
                    }
                }
                Modifier::Cidr => m.cidr = true,
                Modifier::Windash => m.windash = true,
                Modifier::Base64 => m.base64 = Some(false),
                Modifier::Base64Offset => m.base64 = Some(true),
                Modifier::Utf16Le => m.encoding = Some(Encoding::Utf16Le),
                Modifier::Utf16Be => m.encoding = Some(Encoding::Utf16Be),
                Modifier::Utf16 => m.encoding = Some(Encoding::Utf16),
                Modifier::Exists => m.exists = true,
                Modifier::Cased => m.cased = true,
                Modifier::Gt | Modifier::Gte | Modifier::Lt | Modifier::Lte => {
                    m.compare = Some(*modifier)
                }
                Modifier::FieldRef => m.fieldref = true,
                Modifier::Expand => {
                    return Err(
                        "the `expand` modifier: its %placeholders% stand for a site's own values, \
                         which huntbook has no list of"
                            .into(),
                    )
                }
            }
        }
        if m.encoding.is_some() && m.base64.is_none() {
            return Err("`wide`/`utf16` modifiers without `base64` or `base64offset`".into());
        }
        Ok(m)
    }
}

impl<'a> Compiler<'a> {
    pub fn new(schema: &'a Schema) -> Self {
        Compiler {
            schema,
            lowered: BTreeSet::new(),
            missing: BTreeSet::new(),
        }
    }

    /// The frame's column for a Sigma field: an event field whose name has spaces, which
    /// Sigma writes without them (Defender's `Source Name` is `SourceName`, not the System
    /// provider that Security-Datasets also calls `SourceName`); the same name; a System
    /// field alias; or the one column whose name differs only in case.
    pub fn resolve(&self, field: &str) -> Option<(String, DataType)> {
        let spaced = self.schema.iter().find(|(name, _)| {
            name.contains(' ') && !field.contains(' ') && name.replace(' ', "") == field
        });
        if let Some((name, dtype)) = spaced {
            return Some((name.to_string(), dtype.clone()));
        }
        if let Some(dtype) = self.schema.get(field) {
            return Some((field.to_string(), dtype.clone()));
        }
        for (sigma, ours) in ALIASES {
            if *sigma == field {
                if let Some(dtype) = self.schema.get(ours) {
                    return Some((ours.to_string(), dtype.clone()));
                }
            }
        }
        let mut same = self
            .schema
            .iter()
            .filter(|(name, _)| name.eq_ignore_ascii_case(field));
        match (same.next(), same.next()) {
            (Some((name, dtype)), None) => Some((name.to_string(), dtype.clone())),
            _ => None,
        }
    }

    /// The lowered copies of the text columns the compiled expressions read, to add to the
    /// frame before they are evaluated.
    pub fn lowered_columns(&self) -> Vec<Expr> {
        self.lowered
            .iter()
            .map(|c| {
                col(c.as_str())
                    .cast(DataType::String)
                    .str()
                    .to_lowercase()
                    .alias(lowered_name(c))
            })
            .collect()
    }

    /// The detection as one boolean expression.
    pub fn detection(&mut self, detection: &Detection) -> Result<Expr, String> {
        self.condition(detection, &detection.condition)
    }

    fn condition(&mut self, d: &Detection, c: &Condition) -> Result<Expr, String> {
        Ok(match c {
            Condition::Search(name) => {
                let search = d
                    .searches
                    .get(name)
                    .ok_or_else(|| format!("no search `{name}`"))?;
                self.search(search)?
            }
            Condition::Not(inner) => self.condition(d, inner)?.not(),
            Condition::And(all) => fold(all.iter().map(|c| self.condition(d, c)), true)?,
            Condition::Or(any) => fold(any.iter().map(|c| self.condition(d, c)), false)?,
        })
    }

    fn search(&mut self, search: &Search) -> Result<Expr, String> {
        match search {
            Search::Keywords(items) => fold(items.iter().map(|i| self.item(i)), false),
            Search::Maps(maps) => {
                let mut any = Vec::new();
                for map in maps {
                    any.push(fold(map.iter().map(|i| self.item(i)), true)?);
                }
                fold(any.into_iter().map(Ok), false)
            }
        }
    }

    fn item(&mut self, item: &Item) -> Result<Expr, String> {
        let m = Modifiers::read(item)?;
        let Some(field) = &item.field else {
            return self.keywords(item, &m);
        };
        let name = || item.field.as_deref().unwrap_or_default();
        if m.exists {
            let want = match item.values.as_slice() {
                [Scalar::Bool(b)] => *b,
                [Scalar::Str(s)] if s.eq_ignore_ascii_case("true") => true,
                [Scalar::Str(s)] if s.eq_ignore_ascii_case("false") => false,
                _ => return Err(format!("`{}|exists` takes true or false", name())),
            };
            return Ok(match self.resolve(field) {
                Some((column, _)) if want => col(column).is_not_null(),
                Some((column, _)) => col(column).is_null(),
                None => lit(!want),
            });
        }
        let Some((column, dtype)) = self.resolve(field) else {
            self.missing.insert(field.clone());
            // No value: only `null` matches.
            let nulls = item.values.iter().filter(|v| **v == Scalar::Null).count();
            let holds = if m.all {
                nulls == item.values.len()
            } else {
                nulls > 0
            };
            return Ok(lit(holds));
        };
        let mut each = Vec::new();
        for value in &item.values {
            each.push(self.value(&column, &dtype, value, &m, name())?);
        }
        let combined = if m.all {
            fold(each.into_iter().map(|alts| Ok(any_of(alts))), true)?
        } else {
            any_of(each.into_iter().flatten().collect())
        };
        Ok(combined.fill_null(lit(false)))
    }

    /// One value's tests (any of them holds): several for `windash` and `base64offset`.
    fn value(
        &mut self,
        column: &str,
        dtype: &DataType,
        value: &Scalar,
        m: &Modifiers,
        field: &str,
    ) -> Result<Vec<Test>, String> {
        if *value == Scalar::Null {
            return Ok(vec![Test::Expr(col(column).is_null())]);
        }
        if let Some(flags) = &m.re {
            return Ok(vec![Test::Expr(self.regex(column, value, flags, field)?)]);
        }
        if m.cidr {
            return Ok(vec![Test::Expr(cidr(column, &value.text())?)]);
        }
        if let Some(op) = m.compare {
            let number = match value {
                Scalar::Int(i) => *i as f64,
                Scalar::Float(f) => *f,
                Scalar::Str(s) => s
                    .trim()
                    .parse()
                    .map_err(|_| format!("`{field}` compares with `{s}`, which is not a number"))?,
                _ => {
                    return Err(format!(
                        "`{field}` compares with a value that is not a number"
                    ))
                }
            };
            let c = col(column).cast(DataType::Float64);
            let n = lit(number);
            return Ok(vec![Test::Expr(match op {
                Modifier::Gt => c.gt(n),
                Modifier::Gte => c.gt_eq(n),
                Modifier::Lt => c.lt(n),
                _ => c.lt_eq(n),
            })]);
        }
        if m.fieldref {
            if m.before || m.after {
                return Err(format!(
                    "`{field}|fieldref` with contains, startswith or endswith is not supported"
                ));
            }
            let other = value.text();
            let Some((other, _)) = self.resolve(&other) else {
                self.missing.insert(other);
                return Ok(vec![Test::Expr(lit(false))]);
            };
            return Ok(vec![Test::Expr(
                col(column)
                    .cast(DataType::String)
                    .eq(col(other).cast(DataType::String)),
            )]);
        }
        let plain = m.base64.is_none() && !m.windash && !m.before && !m.after && !m.cased;
        // A number on a numeric column, or a boolean on a boolean one: compared as such.
        if plain {
            match (value, dtype) {
                (Scalar::Int(i), d) if d.is_integer() || d.is_float() => {
                    return Ok(vec![Test::Number(column.to_string(), *i)]);
                }
                (Scalar::Float(f), d) if d.is_primitive_numeric() => {
                    return Ok(vec![Test::Expr(
                        col(column).cast(DataType::Float64).eq(lit(*f)),
                    )]);
                }
                (Scalar::Bool(b), DataType::Boolean) => {
                    return Ok(vec![Test::Expr(col(column).eq(lit(*b)))]);
                }
                (Scalar::Str(s), d) if d.is_integer() => {
                    if let Ok(i) = s.trim().parse::<i64>() {
                        return Ok(vec![Test::Number(column.to_string(), i)]);
                    }
                }
                _ => {}
            }
        }
        let texts = if m.windash {
            value::windash(&value.text())
        } else {
            vec![value.text()]
        };
        let mut patterns = Vec::new();
        let mut cased = m.cased;
        for text in texts {
            match m.base64 {
                None => patterns.push(Pattern::parse(&text)),
                Some(offsets) => {
                    // Encoded text is compared as it is: base64 is case-sensitive.
                    cased = true;
                    let parsed = Pattern::parse(&text);
                    let plain = parsed.plain().ok_or_else(|| {
                        format!("`{field}`: base64 of a value with wildcards (`{text}`) has no one form")
                    })?;
                    let bytes = value::encode(&plain, m.encoding.unwrap_or(Encoding::Utf8));
                    if offsets {
                        patterns.extend(
                            value::base64_offsets(&bytes)
                                .into_iter()
                                .map(Pattern::literal),
                        );
                    } else {
                        patterns.push(Pattern::literal(value::base64(&bytes)));
                    }
                }
            }
        }
        let target = if cased {
            col(column).cast(DataType::String)
        } else {
            self.lowered.insert(column.to_string());
            col(lowered_name(column))
        };
        Ok(patterns
            .into_iter()
            .map(|p| {
                let p = p.wrapped(m.before, m.after);
                let p = if cased { p } else { p.lowercase() };
                Test::Text(target.clone(), p)
            })
            .collect())
    }

    fn regex(
        &mut self,
        column: &str,
        value: &Scalar,
        flags: &str,
        field: &str,
    ) -> Result<Expr, String> {
        let Scalar::Str(pattern) = value else {
            return Err(format!("`{field}|re` with a value that is not text"));
        };
        let full = if flags.is_empty() {
            pattern.clone()
        } else {
            format!("(?{flags}){pattern}")
        };
        regex::Regex::new(&full).map_err(|e| {
            let first = e.to_string();
            let last = first.lines().last().unwrap_or_default().trim().to_string();
            format!("`{field}|re` value `{pattern}` is not a regular expression Rust's regex accepts ({last})")
        })?;
        Ok(col(column)
            .cast(DataType::String)
            .str()
            .contains(lit(full), true))
    }

    /// Keywords: a value anywhere in the event's text columns.
    fn keywords(&mut self, item: &Item, m: &Modifiers) -> Result<Expr, String> {
        if m.re.is_some() || m.cidr || m.compare.is_some() || m.fieldref || m.exists {
            return Err("keywords (values without a field) with `re`, `cidr`, comparisons, `fieldref` or `exists`".into());
        }
        let columns: Vec<String> = self
            .schema
            .iter()
            .filter(|(name, dtype)| **dtype == DataType::String && !name.starts_with('\u{1}'))
            .map(|(name, _)| name.to_string())
            .collect();
        let mut each = Vec::new();
        for value in &item.values {
            let mut alts = Vec::new();
            for column in &columns {
                let mut keyword = Modifiers {
                    before: true,
                    after: true,
                    ..Default::default()
                };
                keyword.windash = m.windash;
                keyword.cased = m.cased;
                keyword.base64 = m.base64;
                keyword.encoding = m.encoding;
                alts.extend(self.value(column, &DataType::String, value, &keyword, "keywords")?);
            }
            each.push(alts);
        }
        let combined = if m.all {
            fold(each.into_iter().map(|alts| Ok(any_of(alts))), true)?
        } else {
            any_of(each.into_iter().flatten().collect())
        };
        Ok(combined.fill_null(lit(false)))
    }
}

/// One test of a value, kept apart until the tests of a field are combined, so that many
/// `contains` values become one multi-pattern search and many equal values one `is_in`.
enum Test {
    Expr(Expr),
    /// A column equal to a number.
    Number(String, i64),
    /// A text column (lowered, or cast as it is) against a pattern.
    Text(Expr, Pattern),
}

/// Any of the tests: `contains` values of one column in one Aho-Corasick pass, equal values
/// in one `is_in`.
fn any_of(tests: Vec<Test>) -> Expr {
    use std::collections::BTreeMap;
    let mut exprs = Vec::new();
    // Keyed by the column expression's text: the same column, the same key.
    let mut contains: BTreeMap<String, (Expr, Vec<String>)> = BTreeMap::new();
    let mut equals: BTreeMap<String, (Expr, Vec<String>)> = BTreeMap::new();
    let mut numbers: BTreeMap<String, Vec<i64>> = BTreeMap::new();
    for test in tests {
        match test {
            Test::Expr(e) => exprs.push(e),
            Test::Number(column, n) => numbers.entry(column).or_default().push(n),
            Test::Text(target, pattern) => match pattern.0.as_slice() {
                [Piece::Any, Piece::Text(t), Piece::Any] => contains
                    .entry(format!("{target:?}"))
                    .or_insert_with(|| (target.clone(), Vec::new()))
                    .1
                    .push(t.clone()),
                [Piece::Text(t)] => equals
                    .entry(format!("{target:?}"))
                    .or_insert_with(|| (target.clone(), Vec::new()))
                    .1
                    .push(t.clone()),
                _ => exprs.push(pattern_expr(target, &pattern)),
            },
        }
    }
    for (target, texts) in contains.into_values() {
        exprs.push(if texts.len() == 1 {
            target.str().contains_literal(lit(texts[0].clone()))
        } else {
            let list = Series::new("".into(), texts);
            target.str().contains_any(lit(list).implode(false), false)
        });
    }
    for (target, texts) in equals.into_values() {
        exprs.push(if texts.len() == 1 {
            target.eq(lit(texts[0].clone()))
        } else {
            target.is_in(lit(Series::new("".into(), texts)).implode(false), false)
        });
    }
    for (column, numbers) in numbers {
        let c = col(column).cast(DataType::Int64);
        exprs.push(if numbers.len() == 1 {
            c.eq(lit(numbers[0]))
        } else {
            c.is_in(lit(Series::new("".into(), numbers)).implode(false), false)
        });
    }
    exprs
        .into_iter()
        .reduce(|a, b| a.or(b))
        .unwrap_or_else(|| lit(false))
}

/// A text column against one pattern.
fn pattern_expr(target: Expr, pattern: &Pattern) -> Expr {
    match pattern.0.as_slice() {
        [] => target.eq(lit("")),
        [Piece::Any] => target.is_not_null(),
        [Piece::Text(t)] => target.eq(lit(t.clone())),
        [Piece::Any, Piece::Text(t), Piece::Any] => target.str().contains_literal(lit(t.clone())),
        [Piece::Text(t), Piece::Any] => target.str().starts_with(lit(t.clone())),
        [Piece::Any, Piece::Text(t)] => target.str().ends_with(lit(t.clone())),
        _ => target.str().contains(lit(pattern.regex()), true),
    }
}

/// All (`and`) or any of the expressions.
fn fold(exprs: impl Iterator<Item = Result<Expr, String>>, and: bool) -> Result<Expr, String> {
    let mut out: Option<Expr> = None;
    for e in exprs {
        let e = e?;
        out = Some(match out {
            None => e,
            Some(acc) if and => acc.and(e),
            Some(acc) => acc.or(e),
        });
    }
    Ok(out.unwrap_or_else(|| lit(and)))
}

/// `cidr`: an address column in a network, as the text forms of its addresses begin.
fn cidr(column: &str, network: &str) -> Result<Expr, String> {
    let bad = || format!("`{network}` is not a network in CIDR notation");
    let (address, bits) = network.split_once('/').unwrap_or((network, ""));
    let target = col(column).cast(DataType::String);
    if let Ok(v4) = address.parse::<std::net::Ipv4Addr>() {
        let bits: u32 = if bits.is_empty() {
            32
        } else {
            bits.parse().map_err(|_| bad())?
        };
        if bits > 32 {
            return Err(bad());
        }
        let octets = v4.octets();
        let full = (bits / 8) as usize;
        let rest = bits % 8;
        let head: Vec<String> = octets[..full].iter().map(u8::to_string).collect();
        let mut prefixes = Vec::new();
        if rest == 0 {
            prefixes.push(head.clone());
        } else {
            let base = octets[full] & (0xffu8 << (8 - rest));
            for v in 0..(1u16 << (8 - rest)) {
                let mut p = head.clone();
                p.push((u16::from(base) + v).to_string());
                prefixes.push(p);
            }
        }
        let exprs: Vec<Expr> = prefixes
            .into_iter()
            .map(|p| {
                if p.len() == 4 {
                    target.clone().eq(lit(p.join(".")))
                } else if p.is_empty() {
                    target.clone().str().contains_literal(lit("."))
                } else {
                    target
                        .clone()
                        .str()
                        .starts_with(lit(format!("{}.", p.join("."))))
                }
            })
            .collect();
        return fold(exprs.into_iter().map(Ok), false);
    }
    if let Ok(v6) = address.parse::<std::net::Ipv6Addr>() {
        let bits: u32 = if bits.is_empty() {
            128
        } else {
            bits.parse().map_err(|_| bad())?
        };
        if bits == 128 {
            return Ok(target.str().to_lowercase().eq(lit(v6.to_string())));
        }
        let first = v6.segments()[0];
        if bits == 0 || bits > 16 || first < 0x1000 {
            return Err(format!(
                "IPv6 network `{network}`: only /128 and networks within the first four hex \
                 digits (such as fe80::/10) are supported"
            ));
        }
        let nibbles = bits.div_ceil(4);
        let spare = nibbles * 4 - bits;
        let top = u32::from(first) >> (16 - nibbles * 4);
        let base = top & !((1 << spare) - 1);
        let exprs = (0..(1u32 << spare)).map(|v| {
            let prefix = format!("{:0width$x}", base + v, width = nibbles as usize);
            Ok(target
                .clone()
                .str()
                .to_lowercase()
                .str()
                .starts_with(lit(prefix)))
        });
        return fold(exprs, false);
    }
    Err(bad())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Rule;

    fn frame() -> DataFrame {
        df!(
            "EventID" => [1i64, 1, 3, 1],
            "Image" => [Some(r"C:\Windows\System32\WHOAMI.exe"), Some(r"C:\Tools\psexec.exe"), None, Some(r"C:\x\cmd.exe")],
            "CommandLine" => [Some("whoami /all"), Some("psexec -accepteula \\\\host cmd"), None, Some("cmd /c echo SQBFAFgA")],
            "DestinationIp" => [None, None, Some("172.20.3.4"), None],
            "SourceName" => ["Microsoft-Windows-Sysmon"; 4],
            "Count" => ["10", "2", "x", "30"],
        )
        .unwrap()
    }

    /// The rows a detection matches on [`frame`].
    fn rows(detection: &str) -> Result<Vec<u32>, String> {
        let yaml = format!("title: t\nlogsource:\n  product: windows\ndetection:\n{detection}");
        let rule = Rule::parse(&yaml, "t.yml").map_err(|e| e.to_string())?;
        let df = frame();
        let schema = df.schema().clone();
        let mut c = Compiler::new(&schema);
        let expr = c.detection(&rule.detection)?;
        let mut lf = df.lazy().with_row_index("row", None);
        lf = lf.with_columns(c.lowered_columns());
        let out = lf
            .filter(expr)
            .select([col("row")])
            .collect()
            .map_err(|e| e.to_string())?;
        Ok(out
            .column("row")
            .unwrap()
            .idx()
            .unwrap()
            .into_no_null_iter()
            .collect())
    }

    #[test]
    fn modifiers_match_as_sigma_says() {
        let r = |d: &str| rows(d).unwrap();
        assert_eq!(
            r("  s:\n    Image|endswith: '\\whoami.exe'\n  condition: s"),
            [0]
        );
        assert_eq!(
            r("  s:\n    CommandLine|contains|all: ['/ALL', 'whoami']\n  condition: s"),
            [0]
        );
        assert_eq!(
            r("  s:\n    CommandLine|contains: ['/all', 'accepteula']\n  condition: s"),
            [0, 1]
        );
        assert_eq!(
            r("  s:\n    Image|startswith: 'c:\\windows\\'\n  condition: s"),
            [0]
        );
        assert_eq!(
            r("  s:\n    Image: 'C:\\\\*\\psexec.ex?'\n  condition: s"),
            [1]
        );
        assert_eq!(r("  s:\n    EventID: 3\n  condition: s"), [2]);
        assert_eq!(r("  s:\n    EventID: '3'\n  condition: s"), [2]);
        assert_eq!(
            r("  s:\n    EventID: [3, 4]\n  condition: not s"),
            [0, 1, 3]
        );
        assert_eq!(r("  s:\n    Image: null\n  condition: s"), [2]);
        assert_eq!(
            r("  s:\n    DestinationIp|cidr: '172.16.0.0/12'\n  condition: s"),
            [2]
        );
        assert_eq!(
            r("  s:\n    DestinationIp|cidr: '10.0.0.0/8'\n  condition: s"),
            Vec::<u32>::new()
        );
        assert_eq!(
            r("  s:\n    CommandLine|windash|contains: ' /accepteula'\n  condition: s"),
            [1]
        );
        assert_eq!(
            r("  s:\n    CommandLine|re: '^whoami\\s'\n  condition: s"),
            [0]
        );
        assert_eq!(
            r("  s:\n    CommandLine|re: '^WHOAMI'\n  condition: s"),
            Vec::<u32>::new()
        );
        assert_eq!(
            r("  s:\n    CommandLine|re|i: '^WHOAMI'\n  condition: s"),
            [0]
        );
        assert_eq!(
            r("  s:\n    CommandLine|cased|contains: 'WHOAMI'\n  condition: s"),
            Vec::<u32>::new()
        );
        // `IEX` in UTF-16LE, base64 at any offset.
        assert_eq!(
            r("  s:\n    CommandLine|wide|base64offset|contains: 'IEX'\n  condition: s"),
            [3]
        );
        assert_eq!(r("  s:\n    Image|exists: true\n  condition: s"), [0, 1, 3]);
        assert_eq!(
            r("  s:\n    Nope|exists: false\n  condition: s"),
            [0, 1, 2, 3]
        );
        assert_eq!(r("  s:\n    Count|gte: 10\n  condition: s"), [0, 3]);
        assert_eq!(
            r("  s:\n    Provider_Name: 'microsoft-windows-sysmon'\n  condition: s"),
            [0, 1, 2, 3]
        );
        assert_eq!(r("  k:\n    - 'ACCEPTEULA'\n  condition: k"), [1]);
        // A field the frame lacks holds no value.
        assert_eq!(r("  s:\n    Nope: 'x'\n  condition: not s"), [0, 1, 2, 3]);
        assert_eq!(
            r("  a:\n    EventID: 1\n  b:\n    Image|contains: cmd\n  condition: a and not b"),
            [0, 1]
        );
    }

    #[test]
    fn what_cannot_run_says_why() {
        let e = |d: &str| rows(d).unwrap_err();
        assert!(e("  s:\n    Image|re: '(?<=a)b'\n  condition: s").contains("Rust's regex"));
        assert!(e("  s:\n    Image|expand: '%x%'\n  condition: s").contains("expand"));
        assert!(
            e("  s:\n    DestinationIp|cidr: '2001:db8::/32'\n  condition: s").contains("IPv6")
        );
        assert!(e("  s:\n    Image|base64: 'a*'\n  condition: s").contains("wildcards"));
    }
}
