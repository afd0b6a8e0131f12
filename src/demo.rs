//! A deterministic, realistic demo practice for trying Tresor, for tests and for benchmarks:
//! Austrian and German clients with umlauts, valid insurance numbers, diagnoses, ~800-character
//! German progress notes, services and recurring appointments. The same seed gives the same
//! content. Work is committed in batches, and `progress` is told after each commit, so a caller
//! can report exactly what is saved.

mod invoices;
mod words;

pub use invoices::{cancel_some, invoices};

use jiff::civil::Date;
use jiff::ToSpan;
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{RngExt, SeedableRng};

use crate::domain::appointment::{AppointmentInput, AppointmentKind};
use crate::domain::client::{ClientInput, ClientStatus, Diagnosis, InsuranceKind, Party};
use crate::domain::ids::{ClientId, ServiceId, SessionId};
use crate::domain::money::Cents;
use crate::domain::recurrence::{Frequency, Recurrence, SeriesEnd};
use crate::domain::service::{ServiceInput, TaxMode};
use crate::domain::session::{SessionInput, Setting};
use crate::domain::Field;
use crate::error::{Error, Problem, Result};
use crate::store::NewSession;
use crate::vault::{SeriesInput, Vault};

/// A word that appears in about one note in a thousand (for search benchmarks).
pub const RARE_WORD: &str = "Leuchtturm";
const BATCH: usize = 2_000;

#[derive(Debug, Clone)]
pub struct DemoOptions {
    pub clients: u32,
    pub sessions: u32,
    pub years: u32,
    pub seed: u64,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct DemoProgress {
    pub clients_saved: u32,
    pub sessions_saved: u32,
    pub appointments_saved: u32,
}

pub fn generate(
    vault: &mut Vault,
    opts: &DemoOptions,
    mut progress: impl FnMut(&DemoProgress),
) -> Result<DemoProgress> {
    if opts.clients == 0 && opts.sessions > 0 {
        return Err(Error::invalid(Field::Clients, Problem::OutOfRange));
    }
    let mut rng = StdRng::seed_from_u64(opts.seed);
    let today = vault.records().today()?;
    let mut done = DemoProgress::default();

    let services = demo_services(vault)?;
    // Rows go in by the thousand, one transaction per batch (per-row transactions would make a
    // large practice take minutes), but each passes the same checks as the Vault's own API.
    let clients: Vec<(ClientId, ClientInput)> = (0..opts.clients)
        .map(|_| Ok((ClientId::new(), vault.records().check_client(client(&mut rng, today))?)))
        .collect::<Result<_>>()?;
    for chunk in clients.chunks(BATCH) {
        vault.store_mut().write(|tx| chunk.iter().try_for_each(|(id, c)| tx.insert_client(*id, c)))?;
        done.clients_saved += chunk.len() as u32;
        progress(&done);
    }

    let span_days = (opts.years.max(1) * 365) as i64;
    let mut plan: Vec<(Date, usize)> = (0..opts.sessions)
        .map(|_| {
            let back = rng.random_range(1..=span_days);
            (today.checked_sub(back.days()).unwrap_or(today), rng.random_range(0..clients.len().max(1)))
        })
        .collect();
    // Chronological, as a real practice writes them: recency follows insertion order.
    plan.sort();
    for chunk in plan.chunks(BATCH) {
        let notes: Vec<(NewSession, Vec<String>)> = chunk
            .iter()
            .map(|&(date, ci)| {
                let (client_id, c) = &clients[ci];
                let (service_id, minutes, fee) = *services.choose(&mut rng).unwrap_or(&services[0]);
                let mut revisions = vec![note(&mut rng, &c.given_name)];
                if rng.random_bool(0.05) {
                    revisions.push(format!("{} Ergänzung: Termin für Angehörigengespräch vereinbart.", revisions[0]));
                }
                let setting = if minutes >= 90 { Setting::Group } else { Setting::Individual };
                let input = SessionInput {
                    client_id: *client_id,
                    appointment_id: None,
                    service_id: Some(service_id),
                    date,
                    minutes: Some(minutes),
                    fee: Some(fee),
                    setting: Some(setting),
                    group_size: (setting == Setting::Group).then_some(6),
                    note: revisions.last().cloned().unwrap_or_default(),
                };
                input.validate()?;
                let s = NewSession {
                    client_id: *client_id,
                    appointment_id: None,
                    service_id: Some(service_id),
                    date,
                    minutes,
                    fee,
                    setting,
                    group_size: input.group_size,
                };
                Ok((s, revisions))
            })
            .collect::<Result<_>>()?;
        vault.store_mut().write(|tx| {
            for (s, revisions) in &notes {
                let id = SessionId::new();
                tx.insert_session(id, s)?;
                for body in revisions {
                    tx.add_revision(id, body)?;
                }
            }
            Ok(())
        })?;
        done.sessions_saved += chunk.len() as u32;
        progress(&done);
        vault.snapshot_if_due()?;
    }

    let with_series =
        clients.iter().filter(|(_, c)| c.status() == ClientStatus::Active).take((clients.len() / 10).min(200));
    for (i, (id, _)) in with_series.enumerate() {
        let day = today.checked_add(((i % 5) as i64 + 1).days()).unwrap_or(today);
        let input = SeriesInput {
            first: AppointmentInput {
                client_id: *id,
                service_id: Some(services[0].0),
                local_start: day.at(8 + (i % 10) as i8, 0, 0, 0),
                minutes: 50,
                kind: if i % 7 == 0 { AppointmentKind::Video } else { AppointmentKind::InPerson },
                video_link: if i % 7 == 0 { "https://video.example/raum-1".into() } else { String::new() },
                note: String::new(),
            },
            recurrence: Recurrence {
                frequency: Frequency::Weekly { interval: 1 },
                end: SeriesEnd::Count(12),
                exceptions: vec![],
            },
        };
        done.appointments_saved += vault.records_mut().add_series(input)?.1.len() as u32;
    }
    progress(&done);
    Ok(done)
}

/// A complete Austrian practice profile (everything an invoice needs), for demos and benchmarks.
pub fn complete_practice_profile(v: &mut Vault) -> Result<()> {
    v.records_mut()
        .update_practice(&crate::domain::practice::PracticeUpdate {
            practitioner_name: Some("Mag. Brigitte Öhlinger".into()),
            practice_name: Some("Praxis Öhlinger".into()),
            profession: Some("Psychotherapeutin".into()),
            street: Some("Lindengasse 5".into()),
            postal_code: Some("1070".into()),
            city: Some("Wien".into()),
            tax_number: Some("12 345/6789".into()),
            // Supervision is taxable, and an Austrian taxable invoice names the provider's UID.
            vat_id: Some("ATU13585627".into()),
            iban: Some("AT61 1904 3002 3457 3201".into()),
            bic: Some("GIBAATWWXXX".into()),
            ..Default::default()
        })
        .map(|_| ())
}

fn demo_services(vault: &mut Vault) -> Result<Vec<(ServiceId, u32, Cents)>> {
    let p = vault.records().practice()?;
    let exempt = crate::billing::rules::default_tax_mode(p.country, p.small_business);
    let vat = crate::billing::rules::vat_rates(p.country).first().copied().unwrap_or(2_000);
    let defs = [
        ("Psychotherapie Einzelsitzung", "PT-E", 50, 9_000, exempt),
        ("Erstgespräch", "PT-EG", 60, 10_000, exempt),
        ("Gruppentherapie", "PT-G", 90, 4_500, exempt),
        ("Supervision", "SV", 50, 12_000, TaxMode::Taxable { rate_bp: vat }),
    ];
    let mut out = Vec::new();
    for (name, code, minutes, cents, tax) in defs {
        let id = vault.records_mut().add_service(ServiceInput {
            name: name.into(),
            code: code.into(),
            minutes,
            price: Cents::new(cents),
            tax,
            fee: Default::default(),
            retired: false,
        })?;
        out.push((id, minutes, Cents::new(cents)));
    }
    Ok(out)
}

fn client(rng: &mut StdRng, today: Date) -> ClientInput {
    let given = *words::GIVEN.choose(rng).unwrap_or(&"Anna");
    let family = *words::FAMILY.choose(rng).unwrap_or(&"Müller");
    let &(postal, city, country) = words::PLACES.choose(rng).unwrap_or(&words::PLACES[0]);
    let age_days = rng.random_range(6 * 365..85 * 365);
    let birth = today.checked_sub((age_days as i64).days()).unwrap_or(today);
    let (insurer, number) = if country == "AT" {
        (*words::INSURERS_AT.choose(rng).unwrap_or(&"ÖGK"), svnr(rng, birth))
    } else {
        (*words::INSURERS_DE.choose(rng).unwrap_or(&"AOK Bayern"), String::new())
    };
    let &(code, text) = words::DIAGNOSES.choose(rng).unwrap_or(&words::DIAGNOSES[0]);
    let minor = age_days < 18 * 365;
    let guardian = minor.then(|| Party {
        name: format!("{} {}", words::GIVEN.choose(rng).unwrap_or(&"Maria"), family),
        street: format!("{} {}", words::STREETS.choose(rng).unwrap_or(&"Hauptstraße"), rng.random_range(1..120)),
        postal_code: postal.into(),
        city: city.into(),
        country: country.into(),
        ..Default::default()
    });
    let status = match rng.random_range(0..20) {
        0..=2 => ClientStatus::Closed,
        3 => ClientStatus::Restricted,
        _ => ClientStatus::Active,
    };
    ClientInput {
        given_name: given.into(),
        family_name: family.into(),
        code_name: format!(
            "{}{}-{:03}",
            given.chars().next().unwrap_or('X'),
            family.chars().next().unwrap_or('X'),
            rng.random_range(0..1000)
        ),
        birth_date: Some(birth),
        email: format!("{}.{}@example.at", ascii(given), ascii(family)),
        phone: format!("+43 660 {:07}", rng.random_range(0..10_000_000)),
        street: format!("{} {}", words::STREETS.choose(rng).unwrap_or(&"Hauptstraße"), rng.random_range(1..120)),
        postal_code: postal.into(),
        city: city.into(),
        country: country.into(),
        insurer: insurer.into(),
        insurance_number: number,
        diagnoses: vec![Diagnosis { code: code.into(), text: text.into() }],
        bill_to: guardian.clone(),
        guardian,
        status: Some(status),
        notes: String::new(),
        language: None,
        insurance_kind: if country == "AT" { InsuranceKind::AtStatutory } else { InsuranceKind::Unspecified },
        ..Default::default()
    }
}

/// A valid Austrian social-insurance number for a birth date.
fn svnr(rng: &mut StdRng, birth: Date) -> String {
    const W: [u32; 9] = [3, 7, 9, 5, 8, 4, 2, 1, 6];
    let date = format!("{:02}{:02}{:02}", birth.day(), birth.month(), birth.year() % 100);
    loop {
        let serial = rng.random_range(100..1000u32);
        let digits: Vec<u32> = format!("{serial}{date}").chars().filter_map(|c| c.to_digit(10)).collect();
        let check = digits.iter().zip(W).map(|(d, w)| d * w).sum::<u32>() % 11;
        if check < 10 {
            return format!("{serial}{check}{date}");
        }
    }
}

fn note(rng: &mut StdRng, given: &str) -> String {
    let mut out = String::with_capacity(900);
    while out.len() < 760 {
        let s = words::SENTENCES.choose(rng).unwrap_or(&words::SENTENCES[0]);
        let topic = words::TOPICS.choose(rng).unwrap_or(&words::TOPICS[0]);
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&s.replace("{n}", given).replace("{t}", topic));
        if rng.random_bool(0.0002) {
            out.push_str(&format!(" Ein Traum von einem {RARE_WORD} kam zur Sprache."));
        }
    }
    out
}

fn ascii(s: &str) -> String {
    s.chars()
        .flat_map(|c| match c {
            'ä' => "ae".chars().collect::<Vec<_>>(),
            'ö' => "oe".chars().collect(),
            'ü' => "ue".chars().collect(),
            'ß' => "ss".chars().collect(),
            c if c.is_ascii_alphanumeric() => c.to_lowercase().collect(),
            _ => vec![],
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_insurance_numbers_pass_validation() {
        let mut rng = StdRng::seed_from_u64(1);
        for _ in 0..200 {
            let c = client(&mut rng, jiff::civil::date(2026, 11, 22));
            c.clone().validated(jiff::civil::date(2026, 11, 22), crate::domain::practice::Country::AT).unwrap();
        }
    }

    #[test]
    fn notes_are_about_800_characters_of_german() {
        let mut rng = StdRng::seed_from_u64(2);
        let n = note(&mut rng, "Jürgen");
        assert!((760..1100).contains(&n.len()), "{}", n.len());
        assert!(n.chars().any(|c| "äöüß".contains(c)));
    }
}
