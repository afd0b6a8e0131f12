//! The shipping configuration that can be checked without a Windows or a Mac: the bundle
//! settings point at files that exist, the hardened runtime gets no debugging entitlement, the
//! WebView2 offline variant is a valid override, and the macOS link check refuses OpenSSL and
//! Homebrew libraries (its self-test against recorded `otool -L` outputs).

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

fn json(name: &str) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(root().join(name)).unwrap()).unwrap()
}

#[test]
fn bundles_are_configured_for_signing_without_any_secret_in_the_repository() {
    let conf = json("tauri.conf.json");
    let win = &conf["bundle"]["windows"];
    let args: Vec<&str> = win["signCommand"]["args"].as_array().unwrap().iter().map(|a| a.as_str().unwrap()).collect();
    assert!(args.contains(&"%1"), "the file to sign is passed");
    let script = args.iter().find(|a| a.ends_with(".ps1")).unwrap();
    let script = std::fs::read_to_string(root().join(script)).unwrap();
    assert!(script.contains("TRESOR_SIGN_PFX_BASE64") && script.contains("TRESOR_SIGN_REQUIRED"));
    assert!(win.get("certificateThumbprint").is_none(), "the certificate comes from the environment");

    let mac = &conf["bundle"]["macOS"];
    assert_eq!(mac["hardenedRuntime"], true);
    assert!(mac.get("signingIdentity").is_none(), "APPLE_SIGNING_IDENTITY from the environment");
    let entitlements = std::fs::read_to_string(root().join(mac["entitlements"].as_str().unwrap())).unwrap();
    for never in ["get-task-allow", "allow-jit", "disable-library-validation", "network.client"] {
        assert!(!entitlements.contains(&format!("<key>com.apple.security.{never}")), "{never}");
    }

    let offline = json("tauri.windows-offline.conf.json");
    assert_eq!(offline["bundle"]["windows"]["webviewInstallMode"]["type"], "offlineInstaller");
    assert_eq!(win["webviewInstallMode"]["type"], "downloadBootstrapper", "the default stays small");
}

#[test]
fn the_macos_link_check_refuses_openssl_and_homebrew() {
    let script = root().join("../scripts/check-macos-binary.sh");
    let out = std::process::Command::new("bash").arg(&script).arg("--self-test").output().unwrap();
    assert!(out.status.success(), "{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
}
