//! Windows event field decoders a hunt needs: the process access mask of Sysmon event 10
//! (`GrantedAccess`) as the names of the rights it grants.

use polars::prelude::*;

use crate::{Error, Result};

/// The process-specific and standard access rights, by bit (winnt.h).
pub const PROCESS_ACCESS_RIGHTS: [(u32, &str); 19] = [
    (0x0000_0001, "PROCESS_TERMINATE"),
    (0x0000_0002, "PROCESS_CREATE_THREAD"),
    (0x0000_0004, "PROCESS_SET_SESSIONID"),
    (0x0000_0008, "PROCESS_VM_OPERATION"),
    (0x0000_0010, "PROCESS_VM_READ"),
    (0x0000_0020, "PROCESS_VM_WRITE"),
    (0x0000_0040, "PROCESS_DUP_HANDLE"),
    (0x0000_0080, "PROCESS_CREATE_PROCESS"),
    (0x0000_0100, "PROCESS_SET_QUOTA"),
    (0x0000_0200, "PROCESS_SET_INFORMATION"),
    (0x0000_0400, "PROCESS_QUERY_INFORMATION"),
    (0x0000_0800, "PROCESS_SUSPEND_RESUME"),
    (0x0000_1000, "PROCESS_QUERY_LIMITED_INFORMATION"),
    (0x0000_2000, "PROCESS_SET_LIMITED_INFORMATION"),
    (0x0001_0000, "DELETE"),
    (0x0002_0000, "READ_CONTROL"),
    (0x0004_0000, "WRITE_DAC"),
    (0x0008_0000, "WRITE_OWNER"),
    (0x0010_0000, "SYNCHRONIZE"),
];

/// The rights a process access mask grants, in bit order. `0x1fffff` is
/// `PROCESS_ALL_ACCESS`. Takes the mask as Sysmon writes it (`0x1410`) or as a decimal.
///
/// ```
/// use huntbook_datasets::windows::process_access_rights;
/// assert_eq!(
///     process_access_rights("0x1410")?,
///     ["PROCESS_VM_READ", "PROCESS_QUERY_INFORMATION", "PROCESS_QUERY_LIMITED_INFORMATION"]
/// );
/// assert_eq!(process_access_rights("0x1fffff")?, ["PROCESS_ALL_ACCESS"]);
/// # Ok::<(), huntbook_datasets::Error>(())
/// ```
pub fn process_access_rights(mask: &str) -> Result<Vec<&'static str>> {
    let text = mask.trim();
    let parsed = match text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")) {
        Some(hex) => u32::from_str_radix(hex, 16),
        None => text.parse(),
    };
    let value = parsed.map_err(|source| Error::AccessMask {
        mask: mask.to_string(),
        source,
    })?;
    if value == 0x1f_ffff {
        return Ok(vec!["PROCESS_ALL_ACCESS"]);
    }
    let mut names: Vec<&'static str> = PROCESS_ACCESS_RIGHTS
        .iter()
        .filter(|(bit, _)| value & bit != 0)
        .map(|(_, name)| *name)
        .collect();
    let known = PROCESS_ACCESS_RIGHTS
        .iter()
        .fold(0, |all, (bit, _)| all | bit);
    if value & !known != 0 {
        names.push("(other bits)");
    }
    Ok(names)
}

/// `df` with a column `{column}_rights`: the rights each mask of `column` grants, joined with
/// ` | ` (null for a null mask; the error text for a mask that does not parse).
pub fn with_access_rights(df: &DataFrame, column: &str) -> Result<DataFrame> {
    let column_error = |source| Error::Column {
        column: column.to_string(),
        source,
    };
    let masks = df
        .column(column)
        .and_then(|c| c.cast(&DataType::String))
        .map_err(column_error)?;
    let masks = masks.str().map_err(column_error)?;
    let rights: Vec<Option<String>> = masks
        .iter()
        .map(|m| {
            m.map(|m| match process_access_rights(m) {
                Ok(names) => names.join(" | "),
                Err(e) => e.to_string(),
            })
        })
        .collect();
    let mut out = df.clone();
    let rights_column = format!("{column}_rights");
    out.with_column(Column::new(rights_column.as_str().into(), rights))
        .map_err(|source| Error::Column {
            column: rights_column.clone(),
            source,
        })?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_decode_and_bad_masks_are_errors() {
        assert_eq!(
            process_access_rights("0x1000").unwrap(),
            ["PROCESS_QUERY_LIMITED_INFORMATION"]
        );
        assert_eq!(process_access_rights("64").unwrap(), ["PROCESS_DUP_HANDLE"]);
        assert_eq!(
            process_access_rights("0x40000000").unwrap(),
            ["(other bits)"]
        );
        let err = process_access_rights("lsass").unwrap_err().to_string();
        assert!(err.contains("\"lsass\""), "{err}");
    }

    #[test]
    fn a_column_of_masks_gets_its_rights() {
        let df = df!("GrantedAccess" => [Some("0x1010"), None]).unwrap();
        let out = with_access_rights(&df, "GrantedAccess").unwrap();
        let rights: Vec<Option<&str>> = out
            .column("GrantedAccess_rights")
            .unwrap()
            .str()
            .unwrap()
            .iter()
            .collect();
        assert_eq!(
            rights,
            [
                Some("PROCESS_VM_READ | PROCESS_QUERY_LIMITED_INFORMATION"),
                None
            ]
        );
    }
}
