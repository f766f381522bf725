//! A detection's `condition`: `and`, `or`, `not`, parentheses, `1 of`, `any of` and
//! `all of` a search name, a name pattern (`selection_*`) or `them`. Names and patterns are
//! resolved against the detection's searches when the rule is read, so that a condition
//! naming a search that does not exist is an error then, not a silent non-match.

use std::collections::BTreeMap;

use crate::rule::Search;

/// A condition over a detection's searches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Condition {
    Search(String),
    Not(Box<Condition>),
    And(Vec<Condition>),
    Or(Vec<Condition>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Open,
    Close,
    Word(String),
}

fn tokens(text: &str) -> Result<Vec<Token>, String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut Vec<Token>| {
        if !word.is_empty() {
            out.push(Token::Word(std::mem::take(word)));
        }
    };
    for c in text.chars() {
        match c {
            '(' | ')' => {
                flush(&mut word, &mut out);
                out.push(if c == '(' { Token::Open } else { Token::Close });
            }
            c if c.is_whitespace() => flush(&mut word, &mut out),
            '|' => {
                return Err(
                    "aggregations (`| count() ...`) are not supported: Sigma 2 expresses them \
                     as correlation rules"
                        .into(),
                )
            }
            c if c.is_alphanumeric() || matches!(c, '_' | '-' | '*' | '.' | '?') => word.push(c),
            c => return Err(format!("unexpected character `{c}`")),
        }
    }
    flush(&mut word, &mut out);
    Ok(out)
}

/// Parses `text` and resolves its names against `searches`.
pub(crate) fn parse(text: &str, searches: &BTreeMap<String, Search>) -> Result<Condition, String> {
    let fail = |m: String| format!("condition `{text}`: {m}");
    let tokens = tokens(text).map_err(fail)?;
    let mut parser = Parser {
        tokens,
        at: 0,
        searches,
    };
    let condition = parser.or().map_err(fail)?;
    if let Some(t) = parser.tokens.get(parser.at) {
        return Err(fail(format!("unexpected {}", describe(Some(t)))));
    }
    Ok(condition)
}

fn describe(t: Option<&Token>) -> String {
    match t {
        None => "end".into(),
        Some(Token::Open) => "`(`".into(),
        Some(Token::Close) => "`)`".into(),
        Some(Token::Word(w)) => format!("`{w}`"),
    }
}

struct Parser<'a> {
    tokens: Vec<Token>,
    at: usize,
    searches: &'a BTreeMap<String, Search>,
}

impl Parser<'_> {
    fn peek_word(&self) -> Option<String> {
        match self.tokens.get(self.at) {
            Some(Token::Word(w)) => Some(w.to_ascii_lowercase()),
            _ => None,
        }
    }

    fn or(&mut self) -> Result<Condition, String> {
        self.joined("or", Self::and, Condition::Or)
    }

    fn and(&mut self) -> Result<Condition, String> {
        self.joined("and", Self::not, Condition::And)
    }

    /// `next (word next)*`: one operand alone, or all of them joined by `join`.
    fn joined(
        &mut self,
        word: &str,
        next: fn(&mut Self) -> Result<Condition, String>,
        join: fn(Vec<Condition>) -> Condition,
    ) -> Result<Condition, String> {
        let mut operands = vec![next(self)?];
        while self.peek_word().as_deref() == Some(word) {
            self.at += 1;
            operands.push(next(self)?);
        }
        Ok(if operands.len() == 1 {
            operands.remove(0)
        } else {
            join(operands)
        })
    }

    fn not(&mut self) -> Result<Condition, String> {
        if self.peek_word().as_deref() == Some("not") {
            self.at += 1;
            return Ok(Condition::Not(Box::new(self.not()?)));
        }
        self.primary()
    }

    fn primary(&mut self) -> Result<Condition, String> {
        let token = self.tokens.get(self.at).cloned();
        self.at += 1;
        match token {
            Some(Token::Open) => {
                let inner = self.or()?;
                match self.tokens.get(self.at) {
                    Some(Token::Close) => {
                        self.at += 1;
                        Ok(inner)
                    }
                    other => Err(format!("expected `)`, found {}", describe(other))),
                }
            }
            Some(Token::Word(word)) => {
                let lower = word.to_ascii_lowercase();
                if matches!(lower.as_str(), "1" | "any" | "all")
                    && self.peek_word().as_deref() == Some("of")
                {
                    self.at += 1;
                    let target = match self.tokens.get(self.at) {
                        Some(Token::Word(w)) => w.clone(),
                        other => {
                            return Err(format!(
                                "expected a search name or `them` after `{word} of`, found {}",
                                describe(other)
                            ))
                        }
                    };
                    self.at += 1;
                    let names = self.matching(&target)?;
                    let each = names.into_iter().map(Condition::Search).collect();
                    return Ok(if lower == "all" {
                        Condition::And(each)
                    } else {
                        Condition::Or(each)
                    });
                }
                if matches!(lower.as_str(), "and" | "or" | "of" | "near") {
                    return Err(format!("unexpected `{word}`"));
                }
                if word.contains(['*', '?']) {
                    return Err(format!(
                        "`{word}` is a pattern: write `1 of {word}` or `all of {word}`"
                    ));
                }
                if !self.searches.contains_key(&word) {
                    return Err(format!(
                        "`{word}` is not a search of this detection ({})",
                        self.known()
                    ));
                }
                Ok(Condition::Search(word))
            }
            other => Err(format!(
                "expected a search name, found {}",
                describe(other.as_ref())
            )),
        }
    }

    fn known(&self) -> String {
        let names: Vec<&str> = self.searches.keys().map(String::as_str).collect();
        if names.is_empty() {
            "it defines none".into()
        } else {
            format!("it defines {}", names.join(", "))
        }
    }

    /// The searches `them` or a name pattern stands for.
    fn matching(&self, target: &str) -> Result<Vec<String>, String> {
        let names: Vec<String> = if target.eq_ignore_ascii_case("them") {
            // `them` is every search but those whose name starts with `_`.
            self.searches
                .keys()
                .filter(|n| !n.starts_with('_'))
                .cloned()
                .collect()
        } else {
            self.searches
                .keys()
                .filter(|n| glob(target, n))
                .cloned()
                .collect()
        };
        if names.is_empty() {
            return Err(format!("`{target}` matches no search ({})", self.known()));
        }
        Ok(names)
    }
}

/// Whether `name` matches the pattern `pattern` (`*` any run of characters, `?` one).
pub(crate) fn glob(pattern: &str, name: &str) -> bool {
    fn go(p: &[char], n: &[char]) -> bool {
        match p.split_first() {
            None => n.is_empty(),
            Some(('*', rest)) => (0..=n.len()).any(|i| go(rest, &n[i..])),
            Some(('?', rest)) => !n.is_empty() && go(rest, &n[1..]),
            Some((c, rest)) => n.first() == Some(c) && go(rest, &n[1..]),
        }
    }
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    go(&p, &n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn searches(names: &[&str]) -> BTreeMap<String, Search> {
        names
            .iter()
            .map(|n| (n.to_string(), Search::Keywords(Vec::new())))
            .collect()
    }

    fn s(name: &str) -> Condition {
        Condition::Search(name.into())
    }

    #[test]
    fn precedence_not_and_or() {
        let all = searches(&["a", "b", "c", "sel_1", "sel_2", "_x"]);
        assert_eq!(
            parse("a or b and not c", &all).unwrap(),
            Condition::Or(vec![
                s("a"),
                Condition::And(vec![s("b"), Condition::Not(Box::new(s("c")))])
            ])
        );
        assert_eq!(
            parse("(a or b) and c", &all).unwrap(),
            Condition::And(vec![Condition::Or(vec![s("a"), s("b")]), s("c")])
        );
        assert_eq!(
            parse("1 of sel_* and not all of them", &all).unwrap(),
            Condition::And(vec![
                Condition::Or(vec![s("sel_1"), s("sel_2")]),
                Condition::Not(Box::new(Condition::And(vec![
                    s("a"),
                    s("b"),
                    s("c"),
                    s("sel_1"),
                    s("sel_2")
                ])))
            ])
        );
        assert_eq!(
            parse("any of sel*", &all).unwrap(),
            parse("1 of sel_*", &all).unwrap()
        );
    }

    #[test]
    fn malformed_conditions_say_what_is_wrong() {
        let all = searches(&["a", "b"]);
        let e = |t: &str| parse(t, &all).unwrap_err();
        assert_eq!(
            e("a and"),
            "condition `a and`: expected a search name, found end"
        );
        assert_eq!(e("(a or b"), "condition `(a or b`: expected `)`, found end");
        assert_eq!(e("a b"), "condition `a b`: unexpected `b`");
        assert_eq!(
            e("a and z"),
            "condition `a and z`: `z` is not a search of this detection (it defines a, b)"
        );
        assert!(e("1 of x*").contains("matches no search"));
        assert!(e("a | count() > 5").contains("aggregations"));
        assert!(e("a*").contains("is a pattern"));
        assert!(e("a; b").contains("unexpected character"));
    }

    #[test]
    fn globs() {
        assert!(glob("sel*", "selection"));
        assert!(glob("*_img", "sel_img"));
        assert!(glob("s?l", "sel"));
        assert!(!glob("sel*", "filter"));
    }
}
