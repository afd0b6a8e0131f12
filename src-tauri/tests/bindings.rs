//! The committed TypeScript bindings are exactly what the Rust declaration makes: generating
//! them leaves no diff. `TRESOR_WRITE_BINDINGS=1` writes the file instead of comparing.

use std::path::Path;

#[test]
fn the_committed_bindings_are_generated_from_the_commands() {
    let generated = tresor_desktop::bindings::typescript().expect("the types export to TypeScript");
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(tresor_desktop::bindings::PATH);
    if std::env::var_os("TRESOR_WRITE_BINDINGS").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "ui/src/lib/bindings.ts is not what the commands declare; run \
         TRESOR_WRITE_BINDINGS=1 cargo test -p tresor-desktop --test bindings and commit it"
    );
}
