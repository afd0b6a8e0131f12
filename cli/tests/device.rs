//! This computer's name: from the system (or `TRESOR_DEVICE_NAME`), in NFC, renamed by the user
//! with `tresor device rename`, and seen so by the other computers.

mod common;

use common::*;

#[test]
fn a_device_is_renamed_and_the_others_see_the_new_name() {
    let w = World::new();
    let out = w
        .cli()
        .env("TRESOR_DEVICE_NAME", "Jo\u{308}rgs MacBook")
        .args(["--json", "init", "--kdf-ms", "0"])
        .output()
        .unwrap();
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    let shown = w.json(&["device", "show"]);
    assert_eq!(shown["name"], "Jörgs MacBook", "NFC, as Windows would type it");

    let before = files_below(&w.home());
    let out = w.run(&["device", "rename", " \u{200B} "]);
    assert_eq!(code(&out), 2, "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(files_below(&w.home()), before, "a refused name changes nothing");

    let renamed = w.json(&["device", "rename", "Praxis-PC  Ko\u{308}ln"]);
    assert_eq!((renamed["name"].as_str(), renamed["id"].as_str()), (Some("Praxis-PC Köln"), shown["id"].as_str()));
    assert_eq!(w.json(&["device", "show"])["name"], "Praxis-PC Köln");

    // Another computer's status names this one by its new name.
    let other = w.dir.path().join("other");
    let out = w.cli().env("TRESOR_HOME", &other).args(["status"]).output().unwrap();
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("Praxis-PC Köln"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}
