//! Shared helpers for the black-box tests: a temp world (data folder, local root, temp dir) and
//! the readers of what it writes. The CLI package's tests include this file too
//! (cli/tests/common/mod.rs adds running the `tresor` binary inside a world).
#![allow(dead_code)]

pub mod syncsim;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;

use secrecy::SecretString;
use tresor::{CreateOptions, Unlock, Vault};
// What the tests look at inside a vault (feature `inspect`, enabled as a dev-dependency).
#[allow(unused_imports)]
pub use tresor::vault::Inspect;

pub const PASSWORD: &str = "correct horse battery";

pub struct World {
    pub dir: tempfile::TempDir,
}

impl World {
    pub fn new() -> World {
        World { dir: tempfile::tempdir().expect("temp dir") }
    }
    pub fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }
    pub fn home(&self) -> PathBuf {
        self.dir.path().join("home")
    }
    pub fn tmp(&self) -> PathBuf {
        let t = self.dir.path().join("tmp");
        std::fs::create_dir_all(&t).expect("tmp");
        t
    }

    pub fn create_vault(&self) -> (Vault, String) {
        let opts = CreateOptions { kdf_target: Duration::ZERO, local_root: Some(self.home()), ..Default::default() };
        let (v, k) = Vault::create(&self.data(), &SecretString::from(PASSWORD), &opts).expect("create");
        (v, k.display().to_string())
    }

    pub fn open_vault(&self) -> tresor::Result<Vault> {
        Vault::open_in(&self.data(), &self.home(), Unlock::Password(&SecretString::from(PASSWORD)))
    }
}

pub fn id_of(v: &serde_json::Value) -> String {
    v["id"].as_str().expect("id").to_string()
}

pub fn code(out: &Output) -> i32 {
    out.status.code().unwrap_or(-1)
}

/// Every regular file below `dir`, with its bytes.
pub fn files_below(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if let Ok(bytes) = std::fs::read(&p) {
                out.push((p, bytes));
            }
        }
    }
    out.sort();
    out
}

pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

pub fn utf16le(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(|u| u.to_le_bytes()).collect()
}

// ---- Billing and documents -------------------------------------------------------------------

/// Fails (never skips) when a reader tool is missing, naming the package that provides it.
pub fn require_tool(tool: &str, package: &str) {
    let found = Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {tool}"))
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    assert!(found, "`{tool}` is missing: install the Debian package `{package}` (apt-get install {package})");
}

pub fn run_tool(tool: &str, package: &str, args: &[&str]) -> Output {
    require_tool(tool, package);
    let out = Command::new(tool).args(args).output().unwrap_or_else(|e| panic!("{tool}: {e}"));
    assert!(out.status.success(), "{tool} {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    out
}

/// The text of a PDF as `pdftotext -layout` reads it (poppler-utils).
pub fn pdftotext(pdf: &Path) -> String {
    let out = run_tool("pdftotext", "poppler-utils", &["-layout", &pdf.to_string_lossy(), "-"]);
    String::from_utf8(out.stdout).expect("pdftotext prints UTF-8")
}

/// `pdffonts` output: one row per font with its embedded/subset flags (poppler-utils).
pub fn pdffonts(pdf: &Path) -> String {
    String::from_utf8_lossy(&run_tool("pdffonts", "poppler-utils", &[&pdf.to_string_lossy()]).stdout).into_owned()
}

/// Renders every page to `<prefix>-N.png` at `dpi` and returns the files (poppler-utils).
pub fn pdftoppm(pdf: &Path, prefix: &Path, dpi: u32) -> Vec<PathBuf> {
    run_tool(
        "pdftoppm",
        "poppler-utils",
        &["-png", "-r", &dpi.to_string(), &pdf.to_string_lossy(), &prefix.to_string_lossy()],
    );
    let dir = prefix.parent().expect("prefix has a folder");
    let stem = prefix.file_name().expect("prefix has a name").to_string_lossy().into_owned();
    let mut pages: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("read png folder")
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name().is_some_and(|n| n.to_string_lossy().starts_with(&format!("{stem}-")))
                && p.extension().is_some_and(|e| e == "png")
        })
        .collect();
    pages.sort();
    pages
}

/// The rows of `pdfimages -list` (page, num, type, width, height, …), header lines dropped.
pub fn pdfimages_list(pdf: &Path) -> Vec<Vec<String>> {
    let out = run_tool("pdfimages", "poppler-utils", &["-list", &pdf.to_string_lossy()]);
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .skip(2)
        .map(|l| l.split_whitespace().map(str::to_string).collect::<Vec<_>>())
        .filter(|r| r.len() > 5)
        .collect()
}

/// The page count `pdfinfo` reports (poppler-utils).
pub fn pdf_pages(pdf: &Path) -> usize {
    let info =
        String::from_utf8_lossy(&run_tool("pdfinfo", "poppler-utils", &[&pdf.to_string_lossy()]).stdout).into_owned();
    info.lines().find_map(|l| l.strip_prefix("Pages:")).and_then(|n| n.trim().parse().ok()).expect("Pages: line")
}

/// What `zbarimg` decodes from a PNG, byte for byte (zbar-tools). `-Sbinary` stops zbar from
/// guessing a character set, so UTF-8 comes back as written; `--raw` ends each code with '\n'.
pub fn zbarimg(png: &Path) -> String {
    require_tool("zbarimg", "zbar-tools");
    let out = Command::new("zbarimg").args(["--raw", "-q", "-Sbinary"]).arg(png).output().expect("zbarimg");
    // zbarimg exits 4 when it finds no code; that is an answer (empty), not a failure.
    let s = String::from_utf8(out.stdout).expect("UTF-8 payload");
    s.strip_suffix('\n').unwrap_or(&s).to_string()
}

/// Every non-empty cell of every sheet, read by openpyxl twice: as written (formulas) and with
/// the cached values a viewer shows without recalculating. Keys are "Sheet!A1".
pub fn openpyxl_cells(xlsx: &Path) -> serde_json::Value {
    let check = Command::new("python3").args(["-c", "import openpyxl"]).output();
    let ok = check.map(|o| o.status.success()).unwrap_or(false);
    assert!(
        ok,
        "python3 with openpyxl is needed to read XLSX: `python3 -m pip install openpyxl` (and Debian's python3)"
    );
    let script = r#"
import json, sys, datetime, openpyxl
path = sys.argv[1]
f = openpyxl.load_workbook(path)
v = openpyxl.load_workbook(path, data_only=True)
out = {}
for ws in f.worksheets:
    vs = v[ws.title]
    for row in ws.iter_rows():
        for c in row:
            if c.value is None:
                continue
            val = vs[c.coordinate].value
            if isinstance(val, (datetime.date, datetime.datetime)):
                val = val.strftime("%Y-%m-%d")
            raw = c.value
            if isinstance(raw, (datetime.date, datetime.datetime)):
                raw = raw.strftime("%Y-%m-%d")
            out[ws.title + "!" + c.coordinate] = {"raw": raw, "value": val, "format": c.number_format}
print(json.dumps(out))
"#;
    let out = Command::new("python3").args(["-c", script]).arg(xlsx).output().expect("python3");
    assert!(
        out.status.success(),
        "openpyxl could not read {}: {}",
        xlsx.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("openpyxl JSON")
}

/// A 50-minute session of `client` on `date` with a fee of `fee_cents` and no documentation.
pub fn billable_session(v: &mut Vault, client: tresor::domain::ClientId, date: jiff::civil::Date, fee_cents: i64) {
    let s = tresor::domain::SessionInput {
        client_id: client,
        appointment_id: None,
        service_id: None,
        date,
        minutes: Some(50),
        fee: Some(tresor::domain::Cents::new(fee_cents)),
        setting: None,
        group_size: None,
        note: String::new(),
    };
    v.records_mut().add_session(s).expect("session");
}

/// A complete practice profile (umlauts on purpose) so invoices can be issued.
pub fn setup_practice(v: &mut Vault, country: tresor::domain::Country) {
    use tresor::domain::practice::PracticeUpdate;
    let (iban, bic, city, tz) = match country {
        tresor::domain::Country::AT => ("AT61 1904 3002 3457 3201", "GIBAATWWXXX", "Wien", "Europe/Vienna"),
        tresor::domain::Country::DE => ("DE89 3704 0044 0532 0130 00", "COBADEFFXXX", "München", "Europe/Berlin"),
    };
    let u = PracticeUpdate {
        practitioner_name: Some("Jörg Müller-Größ".into()),
        title: Some("Mag.".into()),
        profession: Some("Psychotherapeut".into()),
        registration_number: Some("12345".into()),
        practice_name: Some("Praxis Müller-Größ".into()),
        street: Some("Währinger Straße 12/3".into()),
        postal_code: Some("1090".into()),
        city: Some(city.into()),
        country: Some(country.as_str().into()),
        phone: Some("+43 1 234 56 78".into()),
        email: Some("praxis@example.at".into()),
        tax_number: Some("12 345/6789".into()),
        vat_id: Some(if country == tresor::domain::Country::AT { "ATU13585627".into() } else { "DE123456788".into() }),
        iban: Some(iban.into()),
        bic: Some(bic.into()),
        bank: Some("Erste Bank".into()),
        time_zone: Some(tz.into()),
        ..Default::default()
    };
    v.records_mut().update_practice(&u).expect("practice profile");
}

/// A `w`×`h` PNG: the left half opaque red, the right half fully transparent blue.
pub fn half_red_png(w: u32, h: u32) -> Vec<u8> {
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, w, h);
    enc.set_color(png::ColorType::Rgba);
    enc.set_depth(png::BitDepth::Eight);
    let mut writer = enc.write_header().unwrap();
    let data: Vec<u8> = (0..h)
        .flat_map(|_| (0..w).flat_map(move |x| if x < w / 2 { [220, 0, 0, 255] } else { [0, 0, 220, 0] }))
        .collect();
    writer.write_image_data(&data).unwrap();
    writer.finish().unwrap();
    out
}

/// Writes an exported document where a test looks at it (never over an existing file).
pub fn save(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    tresor::export::write_file(&p, bytes, false).unwrap();
    p
}

/// This device's segment files in the data folder, sorted.
pub fn segments_of(folder: &Path, device: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(folder.join("log").join(device))
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    v.sort();
    v
}

/// A device's lease as JSON.
pub fn lease_of(folder: &Path, device: &str) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(folder.join("leases").join(format!("{device}.json"))).expect("a lease"))
        .expect("lease JSON")
}

/// Sets a file's modification time `ago` in the past.
pub fn age(p: &Path, ago: Duration) {
    let f = std::fs::OpenOptions::new().write(true).open(p).expect("open to age");
    f.set_modified(std::time::SystemTime::now() - ago).expect("set mtime");
}
