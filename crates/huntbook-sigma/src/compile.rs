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

    /// The frame's first column for a Sigma field ([`Compiler::columns`]).
    pub fn resolve(&self, field: &str) -> Option<(String, DataType)> {
        self.columns(field).into_iter().next()
    }

    /// The frame's columns that hold a Sigma field, best first; a value test holds when it
    /// holds on any of them. An event holds one of them in most cases, since a folder of
    /// logs mixes event kinds: Defender's `Process Name` (Sigma writes names without their
    /// spaces) beside the Security log's `ProcessName`. In order:
    /// - event fields whose names have spaces and equal the field without them;
    /// - the field's own name, unless it is a System column of Security-Datasets' naming
    ///   and a spaced field was found (Defender's `Source Name` is `SourceName`, not the
    ///   provider that Security-Datasets also calls `SourceName`);
    /// - failing those, the System field alias (`Provider_Name` is `SourceName`), or else
    ///   the columns whose names differ only in case;
    /// - for `Data`, the unnamed `EventData` items, `param1`, `param2`, ... (PowerShell's
    ///   classic log, MSSQL, ...): `Data` matches when one of them does, as hayabusa does.
    pub fn columns(&self, field: &str) -> Vec<(String, DataType)> {
        let mut found: Vec<(String, DataType)> = Vec::new();
        fn add(found: &mut Vec<(String, DataType)>, name: &str, dtype: &DataType) {
            if !found.iter().any(|(n, _)| n == name) {
                found.push((name.to_string(), dtype.clone()));
            }
        }
        if !field.contains(' ') {
            for (name, dtype) in self.schema.iter() {
                if name.contains(' ') && name.replace(' ', "") == field {
                    add(&mut found, name, dtype);
                }
            }
        }
        let spaced = !found.is_empty();
        let exact = self.schema.get(field);
        if let Some(dtype) = exact {
            let system = ALIASES.iter().any(|(_, ours)| *ours == field);
            if !(spaced && system) {
                add(&mut found, field, dtype);
            }
        }
        if !spaced && exact.is_none() {
            let alias = ALIASES.iter().find(|(sigma, _)| *sigma == field);
            match alias.and_then(|(_, ours)| Some((*ours, self.schema.get(ours)?))) {
                Some((ours, dtype)) => add(&mut found, ours, dtype),
                None => {
                    for (name, dtype) in self.schema.iter() {
                        if name.eq_ignore_ascii_case(field) {
                            add(&mut found, name, dtype);
                        }
                    }
                }
            }
        }
        if field == "Data" {
            let mut items: Vec<(u32, &PlSmallStr, &DataType)> = self
                .schema
                .iter()
                .filter_map(|(name, dtype)| {
                    let n = name.strip_prefix("param")?.parse().ok()?;
                    Some((n, name, dtype))
                })
                .collect();
            items.sort_by_key(|(n, _, _)| *n);
            for (_, name, dtype) in items {
                add(&mut found, name, dtype);
            }
        }
        found
    }

    /// A column as the text the event held: a float column's whole numbers without `.0`
    /// (pandas' typing, which the frames follow, makes integers with gaps floats: a port
    /// `3389` absent from some events reads `3389.0`).
    fn text(&self, column: &str) -> Expr {
        let c = col(column);
        match self.schema.get(column) {
            Some(d) if d.is_float() => {
                let whole = c.clone().cast(DataType::Int64);
                when(whole.clone().cast(d.clone()).eq(c.clone()))
                    .then(whole.cast(DataType::String))
                    .otherwise(c.cast(DataType::String))
            }
            _ => c.cast(DataType::String),
        }
    }

    /// The lowered copies of the text columns the compiled expressions read, to add to the
    /// frame before they are evaluated.
    pub fn lowered_columns(&self) -> Vec<Expr> {
        self.lowered
            .iter()
            .map(|c| self.text(c).str().to_lowercase().alias(lowered_name(c)))
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
            let present = self
                .columns(field)
                .into_iter()
                .map(|(column, _)| col(column).is_not_null())
                .reduce(|a, b| a.or(b));
            return Ok(match present {
                Some(present) if want => present,
                Some(present) => present.not(),
                None => lit(!want),
            });
        }
        let columns = self.columns(field);
        if columns.is_empty() {
            self.missing.insert(field.clone());
            // No value: only `null` matches.
            let nulls = item.values.iter().filter(|v| **v == Scalar::Null).count();
            let holds = if m.all {
                nulls == item.values.len()
            } else {
                nulls > 0
            };
            return Ok(lit(holds));
        }
        let mut each = Vec::new();
        for value in &item.values {
            if *value == Scalar::Null {
                // No value: none of the field's columns holds one.
                let none = columns.iter().map(|(c, _)| col(c.as_str()).is_null());
                each.push(vec![Test::Expr(
                    none.reduce(|a, b| a.and(b)).unwrap_or(lit(true)),
                )]);
                continue;
            }
            let mut alts = Vec::new();
            for (column, dtype) in &columns {
                alts.extend(self.value(column, dtype, value, &m, name())?);
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
            return Ok(vec![Test::Expr(cidr(self.text(column), &value.text())?)]);
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
            let field = value.text();
            let others = self.columns(&field);
            if others.is_empty() {
                self.missing.insert(field);
                return Ok(vec![Test::Expr(lit(false))]);
            }
            return Ok(others
                .into_iter()
                .map(|(other, _)| Test::Expr(self.text(column).eq(self.text(&other))))
                .collect());
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
                // pandas' typing makes a boolean field with gaps a float column of 1 and 0.
                (Scalar::Bool(b), d) if d.is_primitive_numeric() => {
                    return Ok(vec![Test::Number(column.to_string(), i64::from(*b))]);
                }
                (Scalar::Str(s), d) if d.is_primitive_numeric() => {
                    let s = s.trim();
                    let number = match s.parse::<i64>() {
                        Ok(i) => Some(i),
                        Err(_) if s.eq_ignore_ascii_case("true") => Some(1),
                        Err(_) if s.eq_ignore_ascii_case("false") => Some(0),
                        Err(_) => None,
                    };
                    if let Some(i) = number {
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
            self.text(column)
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
        Ok(self.text(column).str().contains(lit(full), true))
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

/// Whether a text is an IPv6 address (`[...]` and a `%zone` allowed) in a network.
fn ipv6_in(text: &str, network: u128, mask: u128) -> bool {
    let text = text.trim().trim_start_matches('[').trim_end_matches(']');
    let text = text.split_once('%').map_or(text, |(address, _)| address);
    text.parse::<std::net::Ipv6Addr>()
        .is_ok_and(|a| u128::from(a) & mask == network)
}

/// `cidr`: an address column in a network: IPv4 as the text forms of its addresses begin,
/// IPv6 by each address parsed.
fn cidr(target: Expr, network: &str) -> Result<Expr, String> {
    let bad = || format!("`{network}` is not a network in CIDR notation");
    let (address, bits) = network.split_once('/').unwrap_or((network, ""));
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
        if bits > 128 {
            return Err(bad());
        }
        // IPv6 has many text forms (zeros compressed or not, leading zeros, case): each
        // address of the column is parsed, in one pass over it.
        let mask = u128::MAX.checked_shl(128 - bits).unwrap_or(0);
        let network = u128::from(v6) & mask;
        return Ok(target.map(
            move |c: Column| {
                let texts = c.str()?;
                let inside: BooleanChunked = texts
                    .iter()
                    .map(|t| t.map(|t| ipv6_in(t, network, mask)))
                    .collect();
                Ok(inside.with_name(c.name().clone()).into_column())
            },
            |_, field| Ok(Field::new(field.name().clone(), DataType::Boolean)),
        ));
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
        rows_of(frame(), detection)
    }

    /// The rows a detection matches on a frame.
    fn rows_of(df: DataFrame, detection: &str) -> Result<Vec<u32>, String> {
        let yaml = format!("title: t\nlogsource:\n  product: windows\ndetection:\n{detection}");
        let rule = Rule::parse(&yaml, "t.yml").map_err(|e| e.to_string())?;
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

    /// A folder of logs mixes event kinds: a field's value may sit in any of several
    /// columns, one per kind.
    #[test]
    fn a_field_is_read_from_every_column_that_holds_it() {
        let df = df!(
            "EventID" => [4648i64, 1116, 800, 800, 3],
            "ProcessName" => [Some(r"C:\Windows\System32\wbem\WMIC.exe"), None, None, None, None],
            "Process Name" => [None, Some(r"C:\Users\x\wmic.exe"), None, None, None],
            "SourceName" => ["Microsoft-Windows-Security-Auditing", "Microsoft-Windows-Windows Defender", "PowerShell", "PowerShell", "Microsoft-Windows-Sysmon"],
            "Source Name" => [None, Some("AMSI"), None, None, None],
            "param1" => [None, None, Some("Stopped"), Some("Available"), None],
            "param2" => [None, None, Some("HostApplication=powershell -nop"), Some("HostApplication=cmd"), None],
            "DestinationIp" => [None, None, None, None, Some("2001:0DB8:0:0::1")],
            // pandas' typing of a boolean and of an integer absent from some events.
            "Initiated" => [Some(1.0), Some(0.0), None, None, Some(1.0)],
            "DestinationPort" => [Some(3389.0), None, None, None, Some(80.0)],
        )
        .unwrap();
        let r = |d: &str| rows_of(df.clone(), d).unwrap();
        // Defender's spaced field and the Security log's field, each on its own events.
        assert_eq!(
            r("  s:\n    ProcessName|endswith: '\\wmic.exe'\n  condition: s"),
            [0, 1]
        );
        assert_eq!(r("  s:\n    ProcessName: null\n  condition: s"), [2, 3, 4]);
        assert_eq!(
            r("  s:\n    ProcessName|exists: true\n  condition: s"),
            [0, 1]
        );
        // `SourceName` where Defender writes `Source Name` is that field, not the provider.
        assert_eq!(r("  s:\n    SourceName: AMSI\n  condition: s"), [1]);
        assert_eq!(
            r("  s:\n    Provider_Name: PowerShell\n  condition: s"),
            [2, 3]
        );
        // `Data`: any of the unnamed EventData items.
        assert_eq!(
            r("  s:\n    Data|contains: 'powershell -nop'\n  condition: s"),
            [2]
        );
        assert_eq!(
            r("  s:\n    Data|contains|all: ['available', 'hostapplication=cmd']\n  condition: s"),
            [3]
        );
        assert_eq!(
            r("  s:\n    Data|contains: 'x'\n  condition: not s"),
            [0, 1, 2, 3, 4]
        );
        // Floats that pandas' typing made of booleans and integers read as the event held them.
        assert_eq!(r("  s:\n    Initiated: 'true'\n  condition: s"), [0, 4]);
        assert_eq!(r("  s:\n    Initiated: false\n  condition: s"), [1]);
        assert_eq!(r("  s:\n    DestinationPort: '3389'\n  condition: s"), [0]);
        assert_eq!(
            r("  s:\n    DestinationPort|endswith: '389'\n  condition: s"),
            [0]
        );
        assert_eq!(
            r("  s:\n    DestinationPort|re: '^80$'\n  condition: s"),
            [4]
        );
        // IPv6 networks, whatever the address's text form.
        assert_eq!(
            r("  s:\n    DestinationIp|cidr: '2001:db8::/32'\n  condition: s"),
            [4]
        );
        assert_eq!(
            r("  s:\n    DestinationIp|cidr: '2001:db8:1::/48'\n  condition: s"),
            Vec::<u32>::new()
        );
        assert_eq!(
            r("  s:\n    DestinationIp|cidr: '2001:db8::1'\n  condition: s"),
            [4]
        );
        assert_eq!(
            r("  s:\n    DestinationIp|cidr: '::/0'\n  condition: s"),
            [4]
        );
    }

    #[test]
    fn what_cannot_run_says_why() {
        let e = |d: &str| rows(d).unwrap_err();
        assert!(e("  s:\n    Image|re: '(?<=a)b'\n  condition: s").contains("Rust's regex"));
        assert!(e("  s:\n    Image|expand: '%x%'\n  condition: s").contains("expand"));
        assert!(
            e("  s:\n    DestinationIp|cidr: '2001:db8::/129'\n  condition: s").contains("CIDR")
        );
        assert!(e("  s:\n    Image|base64: 'a*'\n  condition: s").contains("wildcards"));
    }
}
