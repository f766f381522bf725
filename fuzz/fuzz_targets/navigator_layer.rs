//! A Navigator layer file (UTF-8 or UTF-16) into a layer, its frame, and back: what is read
//! must write out and read back the same.
#![no_main]

use huntbook_navigator::Layer;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(layer) = Layer::from_slice(data, "fuzz.json") {
        let _ = layer.to_frame();
        let _ = layer.score_range();
        let again = Layer::from_slice(layer.to_json().as_bytes(), "again.json")
            .expect("a layer written by huntbook reads back");
        assert_eq!(again.techniques.len(), layer.techniques.len());
    }
});
