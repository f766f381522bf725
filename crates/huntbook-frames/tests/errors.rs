//! The frame builder's error, with the whole message a notebook prints.

use huntbook_frames::FrameBuilder;

#[test]
fn a_frame_that_cannot_be_built_is_named() {
    // A column of another height than the frame's.
    let error = FrameBuilder::new("techniques", 2)
        .str("id", [Some("T1003")])
        .finish()
        .unwrap_err();
    let text = error.to_string();
    assert!(
        text.starts_with("failed to build the techniques frame: "),
        "{text}"
    );
    assert!(std::error::Error::source(&error).is_some());
}
