//! The figures of the Reports screen for a period (per month and per client: money invoiced and
//! received, sessions, hours, missed appointments) and the list of payments received, each with
//! the text to show, so the window formats and adds up nothing itself. Names can be replaced by
//! code names (`Names::Coded`) for a report that leaves the practice.

use std::collections::hash_map::Entry;
use std::collections::HashMap;

use jiff::civil::Date;
use jiff::ToSpan;

use crate::domain::appointment::AppointmentStatus;
use crate::domain::client::Client;
use crate::domain::ids::{ClientId, InvoiceId};
use crate::domain::money::Cents;
use crate::domain::practice::Language;
use crate::domain::Field;
use crate::error::{Error, Problem, Result};
use crate::export::Locale;
use crate::store::InvoiceQuery;

use std::ops::Deref;

use super::{Documents, Vault};

/// How reports name clients.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Names {
    /// The client's name as in the client list.
    #[default]
    Full,
    /// The client's code name, or `K-` and the end of the record id where none was given: what a
    /// tax adviser or a supervision group may see.
    Coded,
}

impl Names {
    /// How `client` is named in a report.
    pub fn of(self, client: &Client) -> String {
        match self {
            Names::Full => client.display_name(),
            Names::Coded => code_name(client),
        }
    }
}

/// The client's code name; without one, `K-` and the last six hex digits of the id (the random
/// end of a UUIDv7, so two clients created in the same millisecond still differ).
pub fn code_name(client: &Client) -> String {
    let given = client.data.code_name.trim();
    if !given.is_empty() {
        return given.to_string();
    }
    let id = client.id.to_string().replace('-', "");
    format!("K-{}", &id[id.len().saturating_sub(6)..].to_uppercase())
}

/// One line's figures. Money is `None` where the stored amounts do not add up within range.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Figures {
    /// Gross of the invoices issued in the period; a Storno counts negative.
    pub invoiced: Option<Cents>,
    /// Payments received in the period.
    pub received: Option<Cents>,
    pub sessions: u32,
    pub minutes: u64,
    /// Appointments marked as missed (no-show).
    pub no_shows: u32,
    /// Missed appointments per session held or missed, in basis points; `None` when neither.
    pub no_show_bp: Option<u32>,
}

impl Default for Figures {
    fn default() -> Self {
        Figures {
            invoiced: Some(Cents::ZERO),
            received: Some(Cents::ZERO),
            sessions: 0,
            minutes: 0,
            no_shows: 0,
            no_show_bp: None,
        }
    }
}

impl Figures {
    fn add_invoiced(&mut self, c: Cents) {
        self.invoiced = self.invoiced.and_then(|s| s.checked_add(c).ok());
    }

    fn add_received(&mut self, c: Cents) {
        self.received = self.received.and_then(|s| s.checked_add(c).ok());
    }

    fn add(&mut self, o: &Figures) {
        self.invoiced = self.invoiced.zip(o.invoiced).and_then(|(a, b)| a.checked_add(b).ok());
        self.received = self.received.zip(o.received).and_then(|(a, b)| a.checked_add(b).ok());
        self.sessions = self.sessions.saturating_add(o.sessions);
        self.minutes = self.minutes.saturating_add(o.minutes);
        self.no_shows = self.no_shows.saturating_add(o.no_shows);
    }

    fn finish(mut self) -> Figures {
        let due = u64::from(self.sessions) + u64::from(self.no_shows);
        self.no_show_bp = (due > 0).then(|| ((u64::from(self.no_shows) * 10_000 + due / 2) / due) as u32);
        self
    }
}

/// The figures as the window shows them, in the requested language.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FigureTexts {
    pub invoiced: String,
    pub received: String,
    pub sessions: String,
    pub hours: String,
    pub no_shows: String,
    /// "8,3 %"; "–" when there was nothing to miss.
    pub no_show_rate: String,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ReportLine {
    /// "Jänner 2026" for a month, the client's name or code name for a client, "Summe" for the total.
    pub label: String,
    pub figures: Figures,
    pub text: FigureTexts,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ReportView {
    /// The period, widened to whole months.
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub from: Date,
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub to: Date,
    /// "01.01.2026 – 31.12.2026".
    pub period: String,
    pub months: Vec<ReportLine>,
    /// Every client with a session, a missed appointment, an invoice or a payment in the period,
    /// by label.
    pub clients: Vec<ReportLine>,
    pub total: ReportLine,
}

/// One payment received.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PaymentLine {
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub date: Date,
    pub date_text: String,
    pub invoice: String,
    pub client: String,
    pub amount: Cents,
    pub amount_text: String,
    pub method: String,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PaymentList {
    pub period: String,
    /// Oldest first.
    pub payments: Vec<PaymentLine>,
    pub total: Option<Cents>,
    pub total_text: String,
}

/// The period widened to whole months: the revenue sums are kept per month.
pub fn whole_months(from: Date, to: Date) -> Result<(Date, Date)> {
    if from > to {
        return Err(Error::invalid(Field::From, Problem::OutOfRange));
    }
    Ok((from.first_of_month(), to.last_of_month()))
}

/// Minutes as hours with one decimal: "12,5 h" / "12.5 h".
pub fn hours_text(minutes: u64, lang: Language) -> String {
    let tenths = (minutes.saturating_mul(10) + 30) / 60;
    let sep = if lang == Language::De { ',' } else { '.' };
    format!("{}{sep}{} h", group(tenths / 10, lang), tenths % 10)
}

/// Basis points as a percentage with one decimal: "8,3 %" / "8.3%".
pub fn rate_text(bp: Option<u32>, lang: Language) -> String {
    let Some(bp) = bp else { return "–".into() };
    let tenths = (bp + 5) / 10;
    match lang {
        Language::De => format!("{},{} %", tenths / 10, tenths % 10),
        Language::En => format!("{}.{}%", tenths / 10, tenths % 10),
    }
}

/// A whole number with thousands separators: "1.234" / "1,234".
fn group(n: u64, lang: Language) -> String {
    let digits = n.to_string();
    let sep = if lang == Language::De { '.' } else { ',' };
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(ch);
    }
    out
}

fn line(label: String, f: Figures, loc: &Locale) -> ReportLine {
    let f = f.finish();
    ReportLine {
        label,
        text: FigureTexts {
            invoiced: loc.money_or_not_computable(f.invoiced),
            received: loc.money_or_not_computable(f.received),
            sessions: group(f.sessions.into(), loc.lang),
            hours: hours_text(f.minutes, loc.lang),
            no_shows: group(f.no_shows.into(), loc.lang),
            no_show_rate: rate_text(f.no_show_bp, loc.lang),
        },
        figures: f,
    }
}

impl<V: Deref<Target = Vault>> Documents<V> {
    /// The Reports screen for `[from, to]` (widened to whole months), its texts in `lang`.
    pub fn report_view(&self, from: Date, to: Date, names: Names, lang: Language) -> Result<ReportView> {
        let (from, to) = whole_months(from, to)?;
        let practice = self.vault.records().practice()?;
        let loc = Locale::new(lang, practice.country);
        let tz = practice.tz()?;
        let r = self.vault.store.read();

        let mut keys = Vec::new();
        let mut m = from;
        while m <= to {
            keys.push((m.year(), m.month()));
            m = m.checked_add(1.month()).map_err(|_| Error::invalid(Field::To, Problem::OutOfRange))?;
        }
        let mut months: HashMap<(i16, i8), Figures> = keys.iter().map(|k| (*k, Figures::default())).collect();
        let mut clients: HashMap<ClientId, Figures> = HashMap::new();

        // Money per month from the store's aggregates, so the screen and the revenue export agree.
        let (_, revenue) = r.revenue(from, to)?;
        for rm in revenue {
            if let Some(f) = months.get_mut(&(rm.year, rm.month)) {
                f.invoiced = rm.invoiced;
                f.received = rm.received;
            }
        }
        let issued = InvoiceQuery { from: Some(from), to: Some(to), issued: true, ..Default::default() };
        let mut owner: HashMap<InvoiceId, ClientId> = HashMap::new();
        for inv in self.vault.billing().invoices(&issued)? {
            owner.insert(inv.id, inv.client_id);
            clients.entry(inv.client_id).or_default().add_invoiced(inv.gross);
        }
        for p in r.payments_between(from, to)? {
            let client = match owner.get(&p.invoice_id) {
                Some(c) => *c,
                None => {
                    let c = r.invoice(p.invoice_id)?.client_id;
                    owner.insert(p.invoice_id, c);
                    c
                }
            };
            clients.entry(client).or_default().add_received(p.amount);
        }
        for s in self.vault.records().sessions_between(from, to)? {
            for f in [months.get_mut(&(s.date.year(), s.date.month())), Some(clients.entry(s.client_id).or_default())]
                .into_iter()
                .flatten()
            {
                f.sessions += 1;
                f.minutes += u64::from(s.minutes);
            }
        }
        for a in self.vault.records().appointments_between(from, to)? {
            if a.status != AppointmentStatus::NoShow {
                continue;
            }
            let day = a.start.to_zoned(tz.clone()).date();
            if let Some(f) = months.get_mut(&(day.year(), day.month())) {
                f.no_shows += 1;
            }
            clients.entry(a.client_id).or_default().no_shows += 1;
        }

        let mut total = Figures::default();
        let months: Vec<ReportLine> = keys
            .iter()
            .map(|k| {
                let f = months.get(k).copied().unwrap_or_default();
                total.add(&f);
                line(format!("{} {}", loc.month(k.1), k.0), f, &loc)
            })
            .collect();
        let mut by_client = Vec::with_capacity(clients.len());
        for (id, f) in clients {
            by_client.push(line(names.of(&r.client(id)?), f, &loc));
        }
        by_client.sort_by_key(|l| l.label.to_lowercase());
        Ok(ReportView {
            from,
            to,
            period: format!("{} – {}", loc.date(from), loc.date(to)),
            months,
            clients: by_client,
            total: line(loc.t("Summe", "Total").into(), total, &loc),
        })
    }

    /// The payments received in `[from, to]`, oldest first, with their sum.
    pub fn payment_list(&self, from: Date, to: Date, names: Names, lang: Language) -> Result<PaymentList> {
        if from > to {
            return Err(Error::invalid(Field::From, Problem::OutOfRange));
        }
        let loc = Locale::new(lang, self.vault.records().practice()?.country);
        let r = self.vault.store.read();
        let mut invoices: HashMap<InvoiceId, (String, ClientId)> = HashMap::new();
        let mut client_names: HashMap<ClientId, String> = HashMap::new();
        let mut payments = Vec::new();
        let list = r.payments_between(from, to)?;
        let total = Cents::sum_stored(list.iter().map(|p| p.amount));
        for p in list {
            let (number, client) = match invoices.entry(p.invoice_id) {
                Entry::Occupied(e) => e.get().clone(),
                Entry::Vacant(e) => {
                    let inv = r.invoice(p.invoice_id)?;
                    e.insert((inv.number.clone().unwrap_or_default(), inv.client_id)).clone()
                }
            };
            if let Entry::Vacant(e) = client_names.entry(client) {
                e.insert(names.of(&r.client(client)?));
            }
            payments.push(PaymentLine {
                date_text: loc.date(p.date),
                date: p.date,
                invoice: number,
                client: client_names[&client].clone(),
                amount_text: loc.money(p.amount),
                amount: p.amount,
                method: loc.method(&p.method),
            });
        }
        Ok(PaymentList {
            period: format!("{} – {}", loc.date(from), loc.date(to)),
            payments,
            total,
            total_text: loc.money_or_not_computable(total),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hours_and_rates_read_as_the_language_writes_them() {
        for (minutes, de, en) in
            [(0, "0,0 h", "0.0 h"), (50, "0,8 h", "0.8 h"), (90, "1,5 h", "1.5 h"), (75_000, "1.250,0 h", "1,250.0 h")]
        {
            assert_eq!(hours_text(minutes, Language::De), de);
            assert_eq!(hours_text(minutes, Language::En), en);
        }
        assert_eq!(rate_text(Some(833), Language::De), "8,3 %");
        assert_eq!(rate_text(Some(10_000), Language::En), "100.0%");
        assert_eq!(rate_text(None, Language::De), "–");
    }

    #[test]
    fn no_show_rate_counts_missed_among_held_and_missed() {
        let f = Figures { sessions: 11, no_shows: 1, ..Default::default() }.finish();
        assert_eq!(f.no_show_bp, Some(833));
        assert_eq!(Figures::default().finish().no_show_bp, None);
    }

    #[test]
    fn a_period_widens_to_whole_months_and_runs_forward() {
        let (f, t) = whole_months(jiff::civil::date(2026, 2, 10), jiff::civil::date(2026, 3, 3)).unwrap();
        assert_eq!((f, t), (jiff::civil::date(2026, 2, 1), jiff::civil::date(2026, 3, 31)));
        let e = whole_months(jiff::civil::date(2026, 3, 1), jiff::civil::date(2026, 2, 1)).unwrap_err();
        assert_eq!(e.code(), "record.invalid");
    }
}
