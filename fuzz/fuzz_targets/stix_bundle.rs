//! A STIX bundle (2.0 or 2.1, or one object of a per-object layout) from bytes, then the
//! knowledge base and every frame built from it.
#![no_main]

use huntbook_attack::{Attack, Bundle};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(bundle) = Bundle::from_slice(data, "fuzz.json") else {
        return;
    };
    let attack = Attack::from_bundles([(bundle, None)]);
    let _ = attack.techniques_frame();
    let _ = attack.tactics_frame();
    let _ = attack.matrices_frame();
    let _ = attack.groups_frame();
    let _ = attack.software_frame();
    let _ = attack.mitigations_frame();
    let _ = attack.campaigns_frame();
    let _ = attack.data_sources_frame();
    let _ = attack.data_components_frame();
    let _ = attack.detection_strategies_frame();
    let _ = attack.analytics_frame();
    let _ = attack.log_sources_frame();
    let _ = attack.relationships_frame();
});
