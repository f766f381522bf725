//! A Windows access mask as Sysmon writes it (`0x1010`) into the names of its rights.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(mask) = std::str::from_utf8(data) {
        let _ = huntbook_datasets::windows::process_access_rights(mask);
    }
});
