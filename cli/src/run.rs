//! What each command does: open the vault, call the core, print, lock.

use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

use serde_json::json;
use tresor::domain::appointment::{AppointmentInput, AppointmentKind, AppointmentStatus};
use tresor::domain::client::{parse_diagnosis, ClientInput, ClientStatus, InsuranceKind, Party};
use tresor::domain::ids::{AppointmentId, ClientId, ServiceId, SessionId};
use tresor::domain::money::Cents;
use tresor::domain::practice::{Country, Language, PracticeUpdate};
use tresor::domain::recurrence::{Frequency, Recurrence, SeriesEnd};
use tresor::domain::service::{FeeSchedule, Multiplier, ServiceFee, ServiceInput, TaxMode};
use tresor::domain::session::{SessionInput, Setting};
use tresor::domain::validate::parse_date;
use tresor::store::{ClientQuery, ClientSort};
use tresor::vault::SeriesInput;
use tresor::{CreateOptions, Error, Problem, Unlock, Vault};

use crate::cli::*;
use crate::print::{self, Out};
use crate::{secrets, Failure};
use tresor::domain::Field;

type R = Result<(), Failure>;

fn folder(cli_vault: &Option<PathBuf>) -> PathBuf {
    cli_vault.clone().unwrap_or_else(tresor::paths::default_data_folder)
}

/// Unlocks with TRESOR_RECOVERY_KEY when it is set and no password is, else with the password.
/// Says so on stderr when another computer has the vault open too (allowed: changes merge).
pub fn open(cli_vault: &Option<PathBuf>) -> Result<Vault, Failure> {
    let dir = folder(cli_vault);
    let v = match (std::env::var_os("TRESOR_PASSWORD"), secrets::recovery_key()?) {
        (None, Some(k)) => Vault::open(&dir, Unlock::RecoveryKey(&k))?,
        _ => Vault::open(&dir, Unlock::Password(&secrets::password()?))?,
    };
    for other in v.others_open() {
        let tz = v.records().practice().and_then(|p| p.tz()).unwrap_or(jiff::tz::TimeZone::UTC);
        eprintln!(
            "note: also open on {} since {} (last seen {} min ago)",
            other.name,
            other.opened_at.to_zoned(tz).strftime("%d.%m.%Y %H:%M"),
            other.minutes_since_seen(jiff::Timestamp::now())
        );
    }
    Ok(v)
}

pub fn run(cli: Cli, out: &Out) -> R {
    match cli.command {
        Command::Init { country, kdf_ms } => init(&cli.vault, out, &country, kdf_ms),
        Command::Passwd => {
            let mut v = open(&cli.vault)?;
            let new = secrets::new_password("TRESOR_NEW_PASSWORD")?;
            v.change_password(&new)?;
            out.done("password changed", json!({ "ok": true }));
            lock(v)
        }
        Command::Recover => {
            let key = secrets::recovery_key_required()?;
            let new = secrets::new_password("TRESOR_NEW_PASSWORD")?;
            Vault::reset_password(&folder(&cli.vault), &key, &new)?;
            out.done("new password set with the recovery key", json!({ "ok": true }));
            Ok(())
        }
        Command::Verify => verify(&cli.vault, out),
        Command::Repair { force } => {
            let dir = folder(&cli.vault);
            let (v, report) = match (std::env::var_os("TRESOR_PASSWORD"), secrets::recovery_key()?) {
                (None, Some(k)) => Vault::repair(&dir, Unlock::RecoveryKey(&k), force)?,
                _ => Vault::repair(&dir, Unlock::Password(&secrets::password()?), force)?,
            };
            out.value(&report, || print::repair(&report));
            lock(v)
        }
        Command::Snapshot => {
            let mut v = open(&cli.vault)?;
            let p = v.snapshot_now()?;
            out.done(&format!("snapshot written: {}", p.display()), json!({ "path": p }));
            lock(v)
        }
        Command::Key { command: KeyCommand::ShowRaw } => {
            let v = open(&cli.vault)?;
            let key = v.raw_key_hex();
            // The warning goes with the key in every form: on stderr, and inside the document.
            const WARNING: &str =
                "anyone with this key and your data folder can read every record. Do not store it next to the data.";
            eprintln!("WARNING: {WARNING}");
            if out.json {
                println!(
                    "{}",
                    json!({ "raw_key": key.as_str(), "warning": WARNING, "page_size": 4096, "hmac": "HMAC_SHA1", "kdf": "PBKDF2_HMAC_SHA1" })
                );
            } else {
                println!("{}", key.as_str());
            }
            Ok(())
        }
        Command::Device { command } => {
            let mut v = open(&cli.vault)?;
            if let DeviceCommand::Rename { name } = &command {
                v.rename_device(name)?;
            }
            let d = v.device().clone();
            out.value(&d, || format!("{}  {}\n", d.id, d.name));
            lock(v)
        }
        Command::Practice { command } => practice(&cli.vault, out, command),
        Command::Client { command } => client(&cli.vault, out, command),
        Command::Service { command } => service(&cli.vault, out, command),
        Command::Retention { command } => crate::retention::run(&cli.vault, out, command),
        Command::Appointment { command } => appointment(&cli.vault, out, command),
        Command::Session { command } => session(&cli.vault, out, command),
        Command::Search { text, limit } => {
            let v = open(&cli.vault)?;
            let res = v.records().search(&text, limit)?;
            out.value(&res, || print::search(&res));
            Ok(())
        }
        Command::Stats { year: None, client: None, anonymous: _ } => {
            let v = open(&cli.vault)?;
            let s = v.store().read().stats()?;
            out.value(&s, || format!("{s:#?}\n"));
            Ok(())
        }
        Command::Stats { year, client, anonymous } => {
            let v = open(&cli.vault)?;
            let client = client.map(|c| c.parse::<ClientId>()).transpose()?;
            let year = match year {
                Some(y) => y,
                None => v.records().today()?.year(),
            };
            let names = if anonymous { tresor::vault::Names::Coded } else { tresor::vault::Names::Full };
            let s = v.documents().statistics(year, client, names)?;
            out.value(&s, || print::statistics(&s));
            Ok(())
        }
        Command::Journal { limit } => {
            let v = open(&cli.vault)?;
            let entries = v.store().read().journal_recent(limit)?;
            out.value(&entries, || {
                entries.iter().map(|e| format!("{}  {}  {} {} {}\n", e.seq, e.at, e.op, e.entity, e.row_id)).collect()
            });
            Ok(())
        }
        Command::Sync => {
            let mut v = open(&cli.vault)?;
            // What was merged is committed here even when writing to the folder fails after it.
            match v.sync_now() {
                Ok(report) => {
                    out.value(&report, || print::sync(&report));
                    lock(v)
                }
                Err(e) => finish(v, Err(Failure::Core(e))),
            }
        }
        Command::Status => {
            let v = open(&cli.vault)?;
            let status = v.sync_status()?;
            out.value(&status, || print::status(&status));
            Ok(())
        }
        Command::Conflicts(args) => crate::conflicts::run(&cli.vault, out, args),
        Command::Attach { command } => crate::attach::run(&cli.vault, out, command),
        Command::Import(args) => crate::import::run(&cli.vault, out, args),
        Command::Move { to } => {
            let v = open(&cli.vault)?;
            let r = v.move_to(&to)?;
            for s in &r.skipped {
                eprintln!("note: not moved (not a regular file or folder): {s:?}");
            }
            out.done(
                &format!("moved {} files ({} bytes) to {}", r.files, r.bytes, to.display()),
                json!({ "files": r.files, "bytes": r.bytes, "to": to, "skipped": r.skipped }),
            );
            Ok(())
        }
        Command::Backup { to, to_dir, keep, force } => {
            let mut v = open(&cli.vault)?;
            let r = match (to, to_dir) {
                (Some(file), _) => v.backup_to(&file, force)?,
                (None, Some(dir)) => v.backup_rotating(&dir, keep)?,
                (None, None) => return Err(Failure::usage("backup needs --to FILE or --to-dir DIR".into())),
            };
            out.value(&r, || format!("backup written: {} ({} files)\n", r.path.display(), r.files));
            lock(v)
        }
        Command::Restore { from } => {
            let dir = cli
                .vault
                .clone()
                .ok_or_else(|| Failure::usage("restore needs --vault DIR (a new, empty folder)".into()))?;
            let n = match (std::env::var_os("TRESOR_PASSWORD"), secrets::recovery_key()?) {
                (None, Some(k)) => tresor::vault::backup::restore(&from, &dir, Unlock::RecoveryKey(&k))?,
                _ => {
                    let pw = secrets::password()?;
                    tresor::vault::backup::restore(&from, &dir, Unlock::Password(&pw))?
                }
            };
            out.done(
                &format!("restored into {} and checked ({n} snapshot)", dir.display()),
                json!({ "restored": dir, "snapshots": n }),
            );
            Ok(())
        }
        Command::Bench { size, day: true, dir, markdown, .. } => bench_day(out, &size, dir, markdown),
        Command::Bench { size, day: false, dir, reps, markdown } => bench(out, &size, dir, reps, markdown),
        Command::RssProbe => {
            let v = open(&cli.vault)?;
            let (list, _) = v.records().clients(&ClientQuery::default())?;
            if let Some(c) = list.first() {
                v.records().client_timeline(c.id)?;
            }
            v.records().search("die", 20)?;
            v.records().search(tresor::demo::RARE_WORD, 20)?;
            println!("{}", tresor::bench::peak_rss_kib().unwrap_or(0));
            Ok(())
        }
        Command::Invoice { command } => with_vault(&cli.vault, |v| crate::billing::invoice(v, out, command)),
        Command::Dunning { command } => with_vault(&cli.vault, |v| crate::billing::dunning(v, out, command)),
        Command::Calendar { command } => with_vault(&cli.vault, |v| crate::calendar::calendar(v, out, command)),
        Command::Report { command } => with_vault(&cli.vault, |v| crate::billing::report(v, out, command)),
        Command::Kit { pdf, force } => {
            // Unlocking with the key proves it is this vault's: a kit must never print a key
            // that does not open the data.
            let key = secrets::recovery_key_required()?;
            let v = Vault::open(&folder(&cli.vault), Unlock::RecoveryKey(&key))?;
            let shown = key.display();
            let result = crate::billing::kit(&v, out, shown.as_str(), &pdf, force);
            finish(v, result)
        }
        Command::Demo { clients, sessions, years, seed, invoices } => {
            demo(&cli.vault, out, (clients, sessions, years, seed), invoices)
        }
    }
}

/// Opens the vault, runs `f`, and locks (snapshotting what changed) whether or not `f` failed.
fn with_vault(vault: &Option<PathBuf>, f: impl FnOnce(&mut Vault) -> R) -> R {
    let mut v = open(vault)?;
    let result = f(&mut v);
    finish(v, result)
}

/// Locks the vault, which writes what changed into the data folder. A change committed in the
/// working copy stays committed when that write fails: the outcome is `Pending`, never "failed".
pub(crate) fn lock(v: Vault) -> R {
    v.lock().map_err(|e| Failure::Core(pending(e)))
}

fn pending(e: Error) -> Error {
    match e {
        Error::Pending { .. } => e,
        e => Error::Pending { cause: Box::new(e) },
    }
}

/// Locks after a command: the command's own error wins; a pending write is then only mentioned.
fn finish(v: Vault, result: R) -> R {
    match (result, lock(v)) {
        (Ok(()), locked) => locked,
        (Err(f), Ok(())) => Err(f),
        (Err(f), Err(Failure::Core(p))) => {
            eprintln!("note: {p}");
            Err(f)
        }
        (Err(f), Err(_)) => Err(f),
    }
}

fn init(vault: &Option<PathBuf>, out: &Out, country: &str, kdf_ms: u64) -> R {
    let dir = folder(vault);
    let pw = secrets::new_password("TRESOR_PASSWORD")?;
    let opts = CreateOptions {
        kdf_target: Duration::from_millis(kdf_ms),
        country: Country::parse(country)?,
        local_root: None,
    };
    let (v, key) = Vault::create(&dir, &pw, &opts)?;
    let shown = key.display();
    out.value(&json!({ "recovery_key": shown.as_str(), "vault_id": v.id(), "data_folder": dir }), || {
        format!(
            "Vault created in {}\n\nYour recovery key (shown only now; write it down or print the emergency kit):\n\n    {}\n\nWith it you can set a new password if you forget yours. Keep it apart from this computer.\n",
            dir.display(),
            shown.as_str()
        )
    });
    // The recovery key goes out now, before the data folder is written: a kill or a failure
    // there must not cost the only copy of it. A pending write is then told on stderr only.
    out.flush(None);
    match lock(v) {
        Err(Failure::Core(e)) => {
            eprintln!("tresor: {e}");
            if let Some(h) = crate::hint(&e) {
                eprintln!("  {h}");
            }
            Err(Failure::Unsound(crate::exit_code(&e)))
        }
        other => other,
    }
}

fn verify(vault: &Option<PathBuf>, out: &Out) -> R {
    let v = open(vault)?;
    let report = v.verify()?;
    out.value(&report, || print::verify(&report));
    let sound = report.sound();
    drop(v);
    if sound {
        Ok(())
    } else {
        Err(Failure::Unsound(5))
    }
}

fn practice(vault: &Option<PathBuf>, out: &Out, cmd: PracticeCommand) -> R {
    let mut v = open(vault)?;
    let p = match cmd {
        PracticeCommand::Show => v.records().practice()?,
        PracticeCommand::Logo { file, remove: _ } => {
            v.records_mut().set_logo_file(file.as_deref())?;
            match v.records().logo()? {
                Some(l) => out.done(
                    &format!("Logo set ({} × {} px).", l.width, l.height),
                    serde_json::json!({ "logo": { "width": l.width, "height": l.height } }),
                ),
                None => out.done("Logo removed.", serde_json::json!({ "logo": null })),
            }
            return lock(v);
        }
        PracticeCommand::Set(a) => {
            let a = *a;
            let working_hours = if a.hours.is_empty() {
                None
            } else {
                let mut w = v.records().practice()?.working_hours;
                for day in &a.hours {
                    w = w.with_day_text(day)?;
                }
                Some(w)
            };
            let change = PracticeUpdate {
                practitioner_name: a.name,
                title: a.title,
                profession: a.profession,
                registration_number: a.registration_number,
                practice_name: a.practice_name,
                street: a.address,
                postal_code: a.postal_code,
                city: a.city,
                country: a.country,
                phone: a.phone,
                email: a.email,
                tax_number: a.tax_number,
                vat_id: a.vat_id,
                iban: a.iban,
                bic: a.bic,
                bank: a.bank,
                currency: a.currency,
                time_zone: a.time_zone,
                language: a.language,
                small_business: a.small_business,
                holiday_region: a.holiday_region,
                tax_adviser: a.tax_adviser,
                working_hours,
            };
            v.records_mut().update_practice(&change)?
        }
    };
    out.value(&p, || print::practice(&p));
    lock(v)
}

/// An amount a person typed in euros ("480,00", "480.00", "480") or, with the `--*-cents`
/// flag, in cents.
pub fn amount(euros: Option<String>, cents: Option<i64>) -> Result<Option<Cents>, Failure> {
    match (euros, cents) {
        (Some(e), _) => Ok(Some(Cents::parse_amount(&e)?)),
        (None, Some(c)) => Ok(Some(Cents::new(c))),
        (None, None) => Ok(None),
    }
}

/// Applies the flags given for a guardian or another recipient onto `base`: a name of "" removes
/// them; an address without a name changes the one recorded.
fn party(
    base: Option<Party>,
    name: Option<String>,
    street: Option<String>,
    postal: Option<String>,
    city: Option<String>,
) -> Option<Party> {
    if name.as_deref().is_some_and(|n| n.trim().is_empty()) {
        return None;
    }
    if name.is_none() && street.is_none() && postal.is_none() && city.is_none() {
        return base;
    }
    let mut p = base.unwrap_or_default();
    for (slot, v) in [(&mut p.name, name), (&mut p.street, street), (&mut p.postal_code, postal), (&mut p.city, city)] {
        if let Some(v) = v {
            *slot = v;
        }
    }
    Some(p)
}

fn opt_date(
    field: tresor::domain::Field,
    v: Option<String>,
    slot: &mut Option<jiff::civil::Date>,
) -> Result<(), Failure> {
    if let Some(d) = v {
        *slot = if d.trim().is_empty() { None } else { Some(parse_date(field, &d)?) };
    }
    Ok(())
}

/// Applies the flags that were given onto `base`.
fn client_input(mut c: ClientInput, a: ClientArgs) -> Result<ClientInput, Failure> {
    if let Some(n) = a.name {
        let split = ClientInput::with_full_name(&n);
        c.given_name = split.given_name;
        c.family_name = split.family_name;
    }
    let set = |slot: &mut String, v: Option<String>| {
        if let Some(v) = v {
            *slot = v;
        }
    };
    set(&mut c.given_name, a.given_name);
    set(&mut c.family_name, a.family_name);
    set(&mut c.code_name, a.code_name);
    set(&mut c.email, a.email);
    set(&mut c.phone, a.phone);
    set(&mut c.street, a.street);
    set(&mut c.postal_code, a.postal_code);
    set(&mut c.city, a.city);
    set(&mut c.country, a.country);
    set(&mut c.insurer, a.insurer);
    set(&mut c.insurance_number, a.insurance_number);
    set(&mut c.notes, a.notes);
    if let Some(d) = a.birth_date {
        c.birth_date = if d.is_empty() { None } else { Some(parse_date(Field::BirthDate, &d)?) };
    }
    if !a.diagnoses.is_empty() {
        c.diagnoses = a.diagnoses.iter().map(|d| parse_diagnosis(d)).collect::<Result<_, _>>()?;
    }
    c.guardian = party(c.guardian.take(), a.guardian, a.guardian_street, a.guardian_postal_code, a.guardian_city);
    c.bill_to = party(c.bill_to.take(), a.bill_to, a.bill_to_street, a.bill_to_postal_code, a.bill_to_city);
    if let Some(uid) = a.bill_to_vat_id {
        let p = c.bill_to.as_mut().ok_or(Error::invalid(Field::BillTo, Problem::Required))?;
        p.business = !uid.trim().is_empty();
        p.vat_id = uid;
    }
    if let Some(k) = a.insurance_kind {
        c.insurance_kind = InsuranceKind::parse(&k)?;
    }
    set(&mut c.insured_name, a.insured_name);
    set(&mut c.insured_number, a.insured_number);
    opt_date(Field::FeeAgreementDate, a.fee_agreement_date, &mut c.fee_agreement_date)?;
    opt_date(Field::MedicalExamDate, a.medical_exam_date, &mut c.medical_exam_date)?;
    set(&mut c.treatment_method, a.treatment_method);
    set(&mut c.salutation, a.salutation);
    if let Some(n) = a.approved_sessions {
        c.approved_sessions = match n.trim() {
            "" => None,
            n => Some(n.parse().map_err(|_| Error::invalid(Field::ApprovedSessions, Problem::BadFormat))?),
        };
    }
    if let Some(s) = a.status {
        c.status = Some(ClientStatus::parse(&s)?);
    }
    if let Some(l) = a.language {
        c.language = Some(Language::parse(&l)?);
    }
    Ok(c)
}

fn client(vault: &Option<PathBuf>, out: &Out, cmd: ClientCommand) -> R {
    let mut v = open(vault)?;
    match cmd {
        ClientCommand::Add(a) => {
            let input = client_input(ClientInput::default(), a)?;
            let id = v.records_mut().add_client(input)?;
            out.created(id);
        }
        ClientCommand::Restrict { id } => return crate::retention::restrict_open(v, out, &id, true),
        ClientCommand::Unrestrict { id } => return crate::retention::restrict_open(v, out, &id, false),
        ClientCommand::List { status, sort, limit, offset, restricted } => {
            let sort = match sort.as_str() {
                "name" => ClientSort::NameAsc,
                "name-desc" => ClientSort::NameDesc,
                "newest" => ClientSort::NewestFirst,
                _ => return Err(Failure::Core(Error::invalid(Field::Sort, Problem::UnknownValue))),
            };
            let status = status.map(|s| ClientStatus::parse(&s)).transpose()?;
            let (list, total) = v.records().clients(&ClientQuery { status, sort, offset, limit, restricted })?;
            out.value(&json!({ "clients": list, "total": total }), || print::clients(&list, total));
        }
        ClientCommand::Show { id } => {
            let t = v.records().client_timeline(id.parse()?)?;
            out.value(&t, || print::timeline(&t));
        }
        ClientCommand::Update { id, fields } => {
            let id: ClientId = id.parse()?;
            let current = v.records().client(id)?;
            v.records_mut().update_client(id, client_input(current.data, fields)?)?;
            out.done("client updated", json!({ "id": id }));
        }
        ClientCommand::Delete { id } => {
            let id: ClientId = id.parse()?;
            v.records_mut().delete_client(id)?;
            out.done("client deleted (it had no records to keep)", json!({ "id": id }));
        }
        ClientCommand::Export { id, json_file, pdf, force } => {
            crate::billing::client_export(&v, out, &id, json_file, pdf, force)?
        }
    }
    lock(v)
}

fn service(vault: &Option<PathBuf>, out: &Out, cmd: ServiceCommand) -> R {
    let mut v = open(vault)?;
    match cmd {
        ServiceCommand::Add { name, minutes, fields } => {
            let base = ServiceInput {
                name,
                code: String::new(),
                minutes,
                price: Cents::ZERO,
                tax: v.records().tax_choices()?.default,
                fee: Default::default(),
                retired: false,
            };
            let id = v.records_mut().add_service(service_input(base, fields)?)?;
            out.created(id);
        }
        ServiceCommand::Update { id, name, minutes, fields } => {
            let id: ServiceId = id.parse()?;
            let mut base = v.records().service(id)?.data;
            if let Some(n) = name {
                base.name = n;
            }
            if let Some(m) = minutes {
                base.minutes = m;
            }
            v.records_mut().update_service(id, service_input(base, fields)?)?;
            out.done("service updated", json!({ "id": id }));
        }
        ServiceCommand::Retire { id, undo } => {
            let id: ServiceId = id.parse()?;
            v.records_mut().retire_service(id, !undo)?;
            out.done(
                if undo { "service offered again" } else { "service retired" },
                json!({ "id": id, "retired": !undo }),
            );
        }
        ServiceCommand::Delete { id } => {
            let id: ServiceId = id.parse()?;
            v.records_mut().delete_service(id)?;
            out.done("service deleted", json!({ "id": id }));
        }
        ServiceCommand::TaxModes => {
            let c = v.records().tax_choices()?;
            out.value(&c, || {
                let modes: Vec<String> = c.allowed.iter().map(|m| m.cli_form()).collect();
                let schedules: Vec<&str> =
                    c.fee_schedules.iter().map(|s| if s.as_str().is_empty() { "none" } else { s.as_str() }).collect();
                format!("tax modes: {}\nfee schedules: {}\n", modes.join(", "), schedules.join(", "))
            });
        }
        ServiceCommand::Catalogue => {
            let rows: Vec<serde_json::Value> = tresor::billing::fees::CATALOGUE
                .iter()
                .map(|i| {
                    let fee = tresor::billing::fees::fee(i.points, i.multiplier).map(|c| c.get()).ok();
                    json!({ "key": i.key, "number": i.number, "schedule": i.schedule, "points": i.points,
                            "multiplier": i.multiplier.label('.'), "fee_cents": fee, "text": i.text,
                            "verified": i.verified })
                })
                .collect();
            out.value(&rows, || {
                rows.iter()
                    .map(|r| {
                        format!(
                            "{:<6} {:>4} P. {:>3}× {:>9} {}\n",
                            r["key"].as_str().unwrap_or_default(),
                            r["points"],
                            r["multiplier"].as_str().unwrap_or_default(),
                            r["fee_cents"].as_i64().map(|c| Cents::new(c).format_de()).unwrap_or_default(),
                            r["text"].as_str().unwrap_or_default()
                        )
                    })
                    .collect()
            });
        }
        ServiceCommand::List => {
            let list = v.records().services()?;
            out.value(&list, || print::services(&list));
        }
    }
    lock(v)
}

/// Applies the service flags that were given onto `base`.
fn service_input(mut s: ServiceInput, a: ServiceArgs) -> Result<ServiceInput, Failure> {
    if let Some(p) = amount(a.price, a.price_cents)? {
        s.price = p;
    }
    if let Some(c) = a.code {
        s.code = c;
    }
    if let Some(t) = a.tax {
        s.tax = TaxMode::parse(&t)?;
    }
    if let Some(sc) = a.schedule {
        let schedule = FeeSchedule::parse(&sc)?;
        if schedule != s.fee.schedule {
            s.fee = ServiceFee { schedule, ..Default::default() };
        }
    }
    if let Some(n) = a.fee_number {
        // A new item takes its points from the catalogue (`Records::check_service`).
        s.fee.number = n;
        s.fee.points = 0;
        s.fee.multiplier = Multiplier::default();
    }
    if let Some(m) = a.multiplier {
        s.fee.multiplier = Multiplier::parse(&m)?;
    }
    Ok(s)
}

fn local_datetime(s: &str) -> Result<jiff::civil::DateTime, Failure> {
    let norm = s.trim().replace(' ', "T");
    norm.parse().map_err(|_| Failure::Core(Error::invalid(Field::Start, Problem::BadDate)))
}

fn appointment(vault: &Option<PathBuf>, out: &Out, cmd: AppointmentCommand) -> R {
    let mut v = open(vault)?;
    match cmd {
        AppointmentCommand::Add {
            client,
            start,
            minutes,
            service,
            kind,
            link,
            note,
            weekly,
            monthly,
            until,
            count,
            exceptions,
        } => {
            let input = AppointmentInput {
                client_id: client.parse()?,
                service_id: service.map(|s| s.parse::<ServiceId>()).transpose()?,
                local_start: local_datetime(&start)?,
                minutes,
                kind: AppointmentKind::parse(&kind)?,
                video_link: link,
                note,
            };
            let frequency = match (weekly, monthly) {
                (Some(n), _) => Some(Frequency::Weekly { interval: n }),
                (_, Some(n)) => Some(Frequency::Monthly { interval: n }),
                _ => None,
            };
            match frequency {
                None if until.is_some() || count.is_some() || !exceptions.is_empty() => {
                    return Err(Failure::usage("--until, --count and --except need --weekly N or --monthly N".into()));
                }
                None => {
                    let id = v.records_mut().add_appointment(input)?;
                    out.created(id);
                }
                Some(frequency) => {
                    let end = match (until, count) {
                        (Some(d), _) => SeriesEnd::Until(parse_date(Field::Until, &d)?),
                        (_, Some(n)) => SeriesEnd::Count(n),
                        // An open series is booked for a year ahead.
                        _ => SeriesEnd::Until(
                            input
                                .local_start
                                .date()
                                .checked_add(jiff::ToSpan::years(1))
                                .map_err(|_| Error::invalid(Field::Until, Problem::OutOfRange))?,
                        ),
                    };
                    let exceptions =
                        exceptions.iter().map(|d| parse_date(Field::Except, d)).collect::<Result<_, _>>()?;
                    let (series, ids) = v.records_mut().add_series(SeriesInput {
                        first: input,
                        recurrence: Recurrence { frequency, end, exceptions },
                    })?;
                    out.value(&json!({ "id": series, "appointments": ids }), || {
                        format!("series {series}: {} appointments\n", ids.len())
                    });
                }
            }
        }
        AppointmentCommand::List { from, to, client } => {
            let today = v.records().today()?;
            let from = match from {
                Some(d) => parse_date(Field::From, &d)?,
                None => today,
            };
            let to = match to {
                Some(d) => parse_date(Field::To, &d)?,
                None => from.checked_add(jiff::ToSpan::days(6)).unwrap_or(from),
            };
            let mut list = v.records().appointments_between(from, to)?;
            if let Some(c) = client {
                let c: ClientId = c.parse()?;
                list.retain(|a| a.client_id == c);
            }
            let tz = v.records().practice()?.tz()?;
            out.value(&list, || print::appointments(&list, &tz));
        }
        AppointmentCommand::Status { id, status } => {
            let id: AppointmentId = id.parse()?;
            v.records_mut().set_appointment_status(id, AppointmentStatus::parse(&status)?)?;
            out.done("status set", json!({ "id": id }));
        }
    }
    lock(v)
}

fn session(vault: &Option<PathBuf>, out: &Out, cmd: SessionCommand) -> R {
    let mut v = open(vault)?;
    match cmd {
        SessionCommand::Add {
            client,
            date,
            minutes,
            service,
            fee,
            fee_cents,
            note,
            appointment,
            group,
            group_size,
        } => {
            let appointment_id = appointment.map(|a| a.parse::<AppointmentId>()).transpose()?;
            let date = match (date, appointment_id) {
                (Some(d), _) => parse_date(Field::Date, &d)?,
                (None, Some(a)) => {
                    let a = v.records().appointment(a)?;
                    let tz = tresor::domain::practice::time_zone(&a.time_zone)?;
                    a.start.to_zoned(tz).date()
                }
                (None, None) => v.records().today()?,
            };
            let id = v.records_mut().add_session(SessionInput {
                client_id: client.parse()?,
                appointment_id,
                service_id: service.map(|s| s.parse::<ServiceId>()).transpose()?,
                date,
                minutes,
                fee: amount(fee, fee_cents)?,
                setting: Some(if group || group_size.is_some() { Setting::Group } else { Setting::Individual }),
                group_size,
                note,
            })?;
            out.created(id);
        }
        SessionCommand::List { client, from, to, limit } => {
            let list = match client {
                Some(c) => v.records().sessions_of(c.parse()?, limit)?,
                None => {
                    let today = v.records().today()?;
                    let from = from.map(|d| parse_date(Field::From, &d)).transpose()?.unwrap_or(today.first_of_month());
                    let to = to.map(|d| parse_date(Field::To, &d)).transpose()?.unwrap_or(today);
                    v.records().sessions_between(from, to)?
                }
            };
            out.value(&list, || print::sessions(&list));
        }
        SessionCommand::Show { id } => {
            let id: SessionId = id.parse()?;
            let s = v.records().session(id)?;
            let revisions = v.records().revisions(id)?;
            out.value(&json!({ "session": s, "revisions": revisions }), || print::session(&s, &revisions));
        }
        SessionCommand::Revise { id, note } => {
            let id: SessionId = id.parse()?;
            let rev = v.records_mut().revise_session(id, &note)?;
            out.value(&json!({ "id": id, "revision": rev }), || match rev {
                Some(r) => format!("revision {r} added\n"),
                None => "unchanged: no revision added\n".into(),
            });
        }
    }
    lock(v)
}

fn demo(
    vault: &Option<PathBuf>,
    out: &Out,
    (clients, sessions, years, seed): (u32, u32, u32, u64),
    invoices: u32,
) -> R {
    let mut v = open(vault)?;
    let opts = tresor::demo::DemoOptions { clients, sessions, years, seed };
    let done = tresor::demo::generate(&mut v, &opts, |p| {
        // One line per committed batch: what is printed here is on disk.
        if out.json {
            println!("{}", json!({ "saved": p }));
        } else {
            println!(
                "saved: {} clients, {} sessions, {} appointments",
                p.clients_saved, p.sessions_saved, p.appointments_saved
            );
        }
        let _ = std::io::stdout().flush();
    })?;
    let issued = tresor::demo::invoices(&mut v, invoices, years, seed, |n| {
        if !out.json {
            println!("saved: {n} invoices");
        }
    })?;
    let cancelled = if issued > 0 { tresor::demo::cancel_some(&mut v, issued / 100)? } else { 0 };
    if !out.json {
        println!("demo practice ready: {} clients, {} sessions", done.clients_saved, done.sessions_saved);
        if issued > 0 {
            println!("{issued} invoices issued, {cancelled} of them cancelled");
        }
    }
    lock(v)
}

/// The working day alone (`tresor bench --day`).
fn bench_day(out: &Out, size: &str, dir: PathBuf, markdown: Option<PathBuf>) -> R {
    let (clients, sessions, years) = match size {
        "small" => (100, 5_000, 5),
        "large" => (2_000, 100_000, 5),
        "huge" => (5_000, 500_000, 5),
        "ten-year" => (150, 12_000, 10),
        _ => return Err(Failure::Core(Error::invalid(Field::Size, Problem::UnknownValue))),
    };
    let day = tresor::bench::working_day(&dir, clients, sessions, years, |step| eprintln!("bench: {step}"))?;
    let md = tresor::bench::day_markdown(&day);
    if let Some(path) = markdown {
        tresor::fsutil::write_atomic(&path, md.as_bytes())?;
    }
    out.value(&day, || md.clone());
    Ok(())
}

fn bench(out: &Out, size: &str, dir: PathBuf, reps: u32, markdown: Option<PathBuf>) -> R {
    let (clients, sessions) = match size {
        "small" => (100, 5_000),
        "large" => (2_000, 100_000),
        "huge" => (5_000, 500_000),
        _ => return Err(Failure::Core(Error::invalid(Field::Size, Problem::UnknownValue))),
    };
    let opts = tresor::bench::BenchOptions { dir: dir.clone(), clients, sessions, reps };
    let report = tresor::bench::run(&opts, |step| eprintln!("bench: {step}"))?;
    // Peak memory of the CLI with this practice open, in a process of its own.
    let tag = format!("{clients}x{sessions}");
    let rss = std::env::current_exe()
        .ok()
        .and_then(|exe| {
            std::process::Command::new(exe)
                .args(["--vault", &dir.join(&tag).join("data").to_string_lossy(), "rss-probe"])
                .env("TRESOR_HOME", dir.join(&tag).join("home"))
                .env("TRESOR_PASSWORD", "benchmark password")
                .output()
                .ok()
        })
        .and_then(|o| String::from_utf8_lossy(&o.stdout).trim().parse::<u64>().ok());
    let mut md = tresor::bench::markdown(&report);
    let sync = tresor::bench::sync_figures(&dir, reps)?;
    md.push_str(&format!(
        "\nSync: bytes written to the data folder per typical edit p50 {:.0} / p95 {:.0} (goal ≤ 4096); segment landed → visible on the other device p50 {:.0} / p95 {:.0} ms (goal ≤ 2000).\n",
        sync.segment_bytes.p50_ms, sync.segment_bytes.p95_ms, sync.arrival_to_visible.p50_ms, sync.arrival_to_visible.p95_ms
    ));
    let merge = tresor::bench::merge::merge_figures(&dir)?;
    md.push_str(&format!(
        "\nMerge: {:.0} changed rows per second (goal ≥ 5000): {} new rows in {:.2} s, {} rows with changed fields in {:.2} s{}.\n",
        merge.rows_per_second(), merge.new_rows, merge.new_s, merge.changed_rows, merge.changed_s,
        merge.rows_per_cpu_second().map_or(String::new(), |r| format!("; {r:.0} per second of the merging thread's CPU time"))
    ));
    if let Some(kib) = rss {
        md.push_str(&format!(
            "\nPeak RSS of the CLI with this practice open (list, timeline, two searches): {:.0} MB (goal ≤ 150 MB).\n",
            kib as f64 / 1024.0
        ));
    }
    if let Some(path) = markdown {
        tresor::fsutil::write_atomic(&path, md.as_bytes())?;
    }
    out.value(&serde_json::json!({ "report": report, "peak_rss_kib": rss, "merge": merge }), || md.clone());
    Ok(())
}
