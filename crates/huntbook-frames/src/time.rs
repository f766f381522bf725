//! The dates ATT&CK and Security-Datasets write, as milliseconds since the epoch (the unit of
//! the frames' `datetime[ms]` columns, UTC, stored without a zone so that polars needs no
//! time-zone database).

/// An RFC 3339 time (`2017-05-31T21:30:19.735Z`, STIX's form), or `None` when there is none
/// or it does not parse.
pub fn rfc3339_millis(text: Option<&str>) -> Option<i64> {
    chrono::DateTime::parse_from_rfc3339(text?.trim())
        .ok()
        .map(|t| t.timestamp_millis())
}

/// A day (`2020/09/13` as Security-Datasets' metadata writes it, or `2020-09-13`) at UTC
/// midnight, or `None` when there is none or it is not a real day.
pub fn day_millis(text: Option<&str>) -> Option<i64> {
    let text = text?.trim();
    let day = chrono::NaiveDate::parse_from_str(text, "%Y/%m/%d")
        .or_else(|_| chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d"))
        .ok()?;
    Some(day.and_hms_opt(0, 0, 0)?.and_utc().timestamp_millis())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_utc_midnights() {
        assert_eq!(day_millis(Some("1970/01/02")), Some(86_400_000));
        assert_eq!(day_millis(Some(" 2020-09-13 ")), Some(1_599_955_200_000));
        assert_eq!(day_millis(Some("2020/9/3")), Some(1_599_091_200_000));
        assert_eq!(day_millis(Some("2020/02/30")), None, "no such day");
        assert_eq!(day_millis(Some("2020/13/01")), None);
        assert_eq!(day_millis(Some("13/09/2020")), None);
        assert_eq!(day_millis(None), None);
    }

    #[test]
    fn rfc3339_times_keep_their_milliseconds() {
        assert_eq!(
            rfc3339_millis(Some("1970-01-01T00:00:01.250Z")),
            Some(1_250)
        );
        assert_eq!(rfc3339_millis(Some("1970-01-01T01:00:00+01:00")), Some(0));
        assert_eq!(rfc3339_millis(Some("yesterday")), None);
    }
}
