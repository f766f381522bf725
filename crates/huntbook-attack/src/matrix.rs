//! The ATT&CK matrix of a domain as Navigator lays it out: tactics in the matrix's own
//! column order (read from the bundle's `x-mitre-matrix`, never a fixed list: releases add,
//! split and rename tactics), and under each tactic its techniques by name, each with its
//! sub-techniques.

use crate::attack::{Attack, ObjectStatus};
use crate::error::Error;
use crate::model::{Matrix, Tactic, Technique};
use crate::release::Domain;
use crate::Result;

/// One column of a matrix: a tactic and its techniques.
#[derive(Debug, Clone)]
pub struct MatrixColumn<'a> {
    /// The tactic.
    pub tactic: &'a Tactic,
    /// Its techniques (not sub-techniques), by name, each with its sub-techniques under this
    /// tactic, by id.
    pub techniques: Vec<(&'a Technique, Vec<&'a Technique>)>,
}

impl Attack {
    /// The matrix of `domain`: one column per tactic in the order of the domain's
    /// `x-mitre-matrix`, holding the active techniques and sub-techniques of that tactic.
    /// An error when the release has no matrix for the domain.
    pub fn matrix(&self, domain: Domain) -> Result<Vec<MatrixColumn<'_>>> {
        let matrix: &Matrix = self
            .matrices()
            .iter()
            .filter(|m| ObjectStatus::Active.keeps(m))
            .find(|m| Attack::domain_of(m) == Some(domain))
            .ok_or_else(|| Error::NotFound {
                kind: "matrix",
                query: domain.as_str().to_string(),
            })?;
        let in_domain =
            |t: &&Technique| ObjectStatus::Active.keeps(t) && Attack::domain_of(t) == Some(domain);
        let mut columns = Vec::new();
        for r in &matrix.tactic_refs {
            let Some(tactic) = self.tactics().iter().find(|t| &t.id == r) else {
                continue;
            };
            let Some(short) = tactic.shortname.as_deref() else {
                continue;
            };
            let under = |t: &&Technique| t.tactics().any(|p| p == short);
            let mut techniques: Vec<(&Technique, Vec<&Technique>)> = self
                .techniques()
                .iter()
                .filter(in_domain)
                .filter(under)
                .filter(|t| !t.is_subtechnique)
                .map(|t| {
                    let mut subs: Vec<&Technique> = self
                        .techniques()
                        .iter()
                        .filter(in_domain)
                        .filter(under)
                        .filter(|s| s.is_subtechnique && s.parent_attack_id() == t.attack_id())
                        .collect();
                    subs.sort_by(|a, b| a.attack_id().cmp(&b.attack_id()));
                    (t, subs)
                })
                .collect();
            techniques.sort_by(|a, b| a.0.name().cmp(b.0.name()));
            columns.push(MatrixColumn { tactic, techniques });
        }
        Ok(columns)
    }
}
