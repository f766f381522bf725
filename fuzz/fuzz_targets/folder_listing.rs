//! A folder listing (GitHub's contents JSON or an HTML index) into file names.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = huntbook_datasets::fuzzing::parse_listing(data);
});
