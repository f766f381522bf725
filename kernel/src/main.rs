//! The "Rust (huntbook)" notebook kernel: evcxr_jupyter, unchanged, over a patched evcxr.
fn main() -> anyhow::Result<()> {
    evcxr_jupyter::main()
}
