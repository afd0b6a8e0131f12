//! The log helps and tells nothing: a failure is written with its code and the kind of file,
//! never the client's name or a path that carries it; the Diagnose section lists it, and the log
//! is saved where the user chose.

use tresor::domain::{ClientInput, Country};
use tresor_desktop::diag;
use tresor_desktop::handlers as h;
use tresor_desktop::state::Shell;

const PASSWORD: &str = "Sonnenblume am Fenster 7";
const NAME: &str = "Jörg Müller";

#[test]
fn a_logged_failure_names_its_code_and_file_kind_never_the_client() {
    let dir = tempfile::tempdir().unwrap();
    // The core puts working copies under TRESOR_HOME; this is the only test in this binary.
    std::env::set_var("TRESOR_HOME", dir.path().join("home"));
    diag::init();
    assert!(diag::open_file(&dir.path().join("logs")));

    let shell = Shell::new(None);
    let folder = dir.path().join("Datenordner");
    let created = h::create_vault(&shell, &folder, PASSWORD.into(), Country::AT).unwrap();
    h::add_client(&shell, ClientInput::with_full_name(NAME)).unwrap();

    // Exports named after the client, into a folder that is not there, and a missing logo.
    let named = dir.path().join(format!("Klient {NAME}"));
    let kit = h::save_emergency_kit(&shell, &created.recovery_key, &named.join(format!("{NAME}.pdf"))).unwrap_err();
    assert_eq!(kit.code, "export.failed");
    assert!(kit.params["path"].as_str().unwrap().contains("Müller"), "the window still gets the path: {kit:?}");
    let logo = h::set_logo(&shell, Some(&named.join(format!("Logo {NAME}.png")))).unwrap_err();
    assert_eq!(logo.code, "io.failed");
    // A refused field is information, not a problem.
    let mut bad = ClientInput::with_full_name(NAME);
    bad.insurance_number = "1234 010180".into();
    assert_eq!(h::add_client(&shell, bad).unwrap_err().code, "record.invalid");
    h::lock(&shell).unwrap();
    h::unlock(&shell, &folder, h::Secret::Password(PASSWORD.into()), &mut |_| {}).unwrap();
    shell.lock().unwrap();

    let recent = diag::recent();
    let failed: Vec<_> =
        recent.iter().filter_map(|p| Some((p.code.as_str(), p.params.get("file")?.as_str()?))).collect();
    assert_eq!(
        failed,
        [("io.failed", "png"), ("export.failed", "pdf")],
        "newest first, with the file kind: {recent:?}"
    );
    assert!(recent.iter().all(|p| p.code != "record.invalid"), "{recent:?}");

    let text = String::from_utf8(diag::log_text().unwrap()).unwrap();
    assert!(text.contains("io.failed") && text.contains(r#""file":"png""#), "{text}");
    assert!(text.contains("record.invalid") && text.contains("insurance_number"), "{text}");
    assert!(text.contains("unlocked vault=") && text.contains(" ms="), "ids and timings are logged: {text}");
    for secret in ["Müller", "Jörg", "Klient", "Datenordner", dir.path().to_str().unwrap(), PASSWORD] {
        assert!(!text.contains(secret), "the log names {secret:?}:\n{text}");
    }
    let shown = format!("{recent:?}");
    assert!(!shown.contains("Müller") && !shown.contains("Klient"), "{shown}");

    // Saved where the user chose (the native dialog has asked before replacing a file).
    let saved = dir.path().join("tresor-protokoll.log");
    diag::save_log(&saved).unwrap();
    assert_eq!(std::fs::read_to_string(&saved).unwrap(), text);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.path().join("logs")).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o700, "the log folder is the user's alone");
    }
}
