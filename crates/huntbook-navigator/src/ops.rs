//! Combining layers, as mitreattack-python's `LayerOps` does: which techniques the result
//! keeps (union, intersection, difference) and how scores combine.

use std::collections::HashMap;

use crate::error::{Error, Result};
use crate::layer::{Layer, TechniqueEntry};

/// Which techniques a combination keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keep {
    /// Techniques of any layer.
    Union,
    /// Techniques of every layer.
    Intersection,
    /// Techniques of the first layer that no other layer has.
    Difference,
}

/// A technique entry's key: its id (upper case) and tactic.
fn key(e: &TechniqueEntry) -> (String, Option<String>) {
    (e.technique_id.to_uppercase(), e.tactic.clone())
}

/// Combines `layers` (at least one, all of the same domain) into a layer named `name`.
/// Each kept technique takes the other fields (colour, comment, metadata, links) of the first
/// layer that has it, and the score `score` gives from the scores of every layer, in order
/// (`None` where a layer lacks the technique or its score).
///
/// ```
/// use huntbook_navigator::{combine, Keep, Layer, TechniqueEntry};
///
/// let layer = |name: &str, scores: &[(&str, f64)]| {
///     let mut layer = Layer::new(name, "enterprise-attack", Some("18"));
///     for (id, score) in scores {
///         let mut entry = TechniqueEntry::new(*id);
///         entry.set_score(Some(*score));
///         layer.techniques.push(entry);
///     }
///     layer
/// };
/// let a = layer("a", &[("T1003", 2.0), ("T1059", 1.0)]);
/// let b = layer("b", &[("T1003", 5.0)]);
/// let sum = combine("sum", &[&a, &b], Keep::Union, |s| Some(s.iter().flatten().sum()))?;
/// assert_eq!(sum.entry("T1003", None).unwrap().score(), Some(7.0));
/// assert_eq!(sum.entry("T1059", None).unwrap().score(), Some(1.0));
/// # Ok::<(), huntbook_navigator::Error>(())
/// ```
pub fn combine(
    name: &str,
    layers: &[&Layer],
    keep: Keep,
    score: impl Fn(&[Option<f64>]) -> Option<f64>,
) -> Result<Layer> {
    let Some(first) = layers.first() else {
        return Err(Error::Frame {
            what: format!("layer {name:?}"),
            message: "no layers to combine".into(),
        });
    };
    for other in &layers[1..] {
        if !other.domain.eq_ignore_ascii_case(&first.domain) {
            return Err(Error::Domains {
                left: first.domain.clone(),
                right: other.domain.clone(),
            });
        }
    }
    let indexes: Vec<HashMap<(String, Option<String>), &TechniqueEntry>> = layers
        .iter()
        .map(|l| l.techniques.iter().map(|e| (key(e), e)).collect())
        .collect();
    // Every key, in order of first appearance.
    let mut order: Vec<(String, Option<String>)> = Vec::new();
    let mut listed: std::collections::HashSet<(String, Option<String>)> = Default::default();
    for layer in layers {
        for e in &layer.techniques {
            if listed.insert(key(e)) {
                order.push(key(e));
            }
        }
    }
    let mut result = Layer {
        name: name.to_string(),
        techniques: Vec::new(),
        description: None,
        legend_items: None,
        gradient: first.gradient.clone(),
        metadata: None,
        links: None,
        ..(*first).clone()
    };
    for k in order {
        let present: Vec<Option<&TechniqueEntry>> =
            indexes.iter().map(|index| index.get(&k).copied()).collect();
        let kept = match keep {
            Keep::Union => true,
            Keep::Intersection => present.iter().all(Option::is_some),
            Keep::Difference => present[0].is_some() && present[1..].iter().all(Option::is_none),
        };
        if !kept {
            continue;
        }
        let scores: Vec<Option<f64>> = present.iter().map(|e| e.and_then(|e| e.score())).collect();
        let mut entry = present
            .iter()
            .flatten()
            .next()
            .map(|e| (*e).clone())
            .unwrap_or_default();
        entry.set_score(score(&scores));
        result.techniques.push(entry);
    }
    if let (Some(g), Some((lo, hi))) = (&result.gradient, result.score_range()) {
        let colors: Vec<&str> = g.colors.iter().map(String::as_str).collect();
        result = result.clone().with_gradient(&colors, lo, hi);
    }
    Ok(result)
}

impl Layer {
    /// The techniques of either layer; scores add up (a missing score counts as none).
    pub fn union(&self, other: &Layer) -> Result<Layer> {
        combine(
            &format!("{} ∪ {}", self.name, other.name),
            &[self, other],
            Keep::Union,
            sum,
        )
    }

    /// The techniques of both layers; scores add up.
    pub fn intersection(&self, other: &Layer) -> Result<Layer> {
        combine(
            &format!("{} ∩ {}", self.name, other.name),
            &[self, other],
            Keep::Intersection,
            sum,
        )
    }

    /// The techniques of this layer that `other` does not have, with this layer's scores.
    pub fn difference(&self, other: &Layer) -> Result<Layer> {
        combine(
            &format!("{} − {}", self.name, other.name),
            &[self, other],
            Keep::Difference,
            |s| s[0],
        )
    }
}

fn sum(scores: &[Option<f64>]) -> Option<f64> {
    let present: Vec<f64> = scores.iter().flatten().copied().collect();
    (!present.is_empty()).then(|| present.iter().sum())
}
