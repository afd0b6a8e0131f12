//! Reports (invoice journal, revenue, session protocol), the client file (GDPR Art. 15/20) and
//! the emergency kit, each rendered anew from the records.

use std::ops::Deref;

use jiff::civil::Date;

use crate::billing::{Balance, Issuer};
use crate::domain::ids::ClientId;
use crate::domain::money::Cents;
use crate::error::Result;
use crate::export::client_file::{authority, ClientFileData, Disclosure};
use crate::export::reports::{Heading, JournalRow, ProtocolRow, RevenueMonth};
use crate::export::{self, Locale};
use crate::store::InvoiceQuery;

use super::Documents;
use crate::vault::report_view::Names;
use crate::vault::Vault;

impl<V: Deref<Target = Vault>> Documents<V> {
    fn locale(&self) -> Result<(Locale, String)> {
        let p = self.vault.records().practice()?;
        let name = if p.practice_name.is_empty() { Issuer::from(&p).full_name() } else { p.practice_name.clone() };
        Ok((Locale::new(p.language, p.country), name))
    }

    /// One row per issued invoice dated in `[from, to]`, in number order.
    /// With `Names::Coded`, both recipient and client carry the client's code name.
    pub(crate) fn journal_rows(&self, from: Date, to: Date, names: Names) -> Result<Vec<JournalRow>> {
        let q = InvoiceQuery { from: Some(from), to: Some(to), issued: true, ..Default::default() };
        let mut list = self.vault.billing().invoices(&q)?;
        list.reverse();
        let r = self.vault.store.read();
        let mut codes: std::collections::HashMap<ClientId, String> = std::collections::HashMap::new();
        list.into_iter()
            .map(|s| {
                let inv = r.invoice(s.id)?;
                let (recipient, client) = match names {
                    Names::Full => {
                        (s.recipient, inv.snapshot.as_ref().map(|x| x.client.name.clone()).unwrap_or_default())
                    }
                    Names::Coded => {
                        let code = match codes.entry(s.client_id) {
                            std::collections::hash_map::Entry::Occupied(e) => e.get().clone(),
                            std::collections::hash_map::Entry::Vacant(e) => {
                                e.insert(names.of(&r.client(s.client_id)?)).clone()
                            }
                        };
                        (code.clone(), code)
                    }
                };
                Ok(JournalRow {
                    number: s.number.unwrap_or_default(),
                    kind: s.kind,
                    issue_date: s.issue_date.unwrap_or(from),
                    recipient,
                    client,
                    totals: inv.totals,
                    status: s.balance.status,
                    paid_on: s.balance.paid_on,
                    link: match inv.kind {
                        crate::billing::InvoiceKind::Cancellation => {
                            inv.snapshot.as_ref().and_then(|x| x.cancels.as_ref()).map(|(n, _)| n.clone())
                        }
                        crate::billing::InvoiceKind::Invoice => inv.cancelled_by.as_ref().map(|(_, n)| n.clone()),
                    },
                })
            })
            .collect()
    }

    /// The invoice journal as (XLSX, PDF).
    pub fn render_journal(&self, from: Date, to: Date) -> Result<(Vec<u8>, Vec<u8>)> {
        self.render_journal_named(from, to, Names::Full)
    }

    /// The invoice journal with names as `names` says (code names for an anonymised copy).
    pub fn render_journal_named(&self, from: Date, to: Date, names: Names) -> Result<(Vec<u8>, Vec<u8>)> {
        let rows = self.journal_rows(from, to, names)?;
        let (loc, name) = self.locale()?;
        let h = Heading { title: loc.t("Rechnungsausgangsbuch", "Invoice journal"), practice: &name, from, to };
        Ok((export::reports::journal_xlsx(&h, &rows, &loc)?, export::reports::journal_pdf(&h, &rows, &loc)?))
    }

    /// Per month from `from`'s month to `to`'s: gross invoiced (cancellations count negative),
    /// received, and what was open before the first month.
    pub(crate) fn revenue(&self, from: Date, to: Date) -> Result<(Option<Cents>, Vec<RevenueMonth>)> {
        self.vault.store.read().revenue(from, to)
    }

    /// The revenue report as (XLSX, PDF).
    pub fn render_revenue(&self, from: Date, to: Date) -> Result<(Vec<u8>, Vec<u8>)> {
        let (opening, months) = self.revenue(from, to)?;
        let (loc, name) = self.locale()?;
        let h = Heading { title: loc.t("Umsatzübersicht", "Revenue report"), practice: &name, from, to };
        Ok((
            export::reports::revenue_xlsx(&h, opening, &months, &loc)?,
            export::reports::revenue_pdf(&h, opening, &months, &loc)?,
        ))
    }

    /// Sessions in `[from, to]`, of one client or all, with the invoice each is billed on.
    pub(crate) fn protocol_rows(
        &self,
        client: Option<ClientId>,
        from: Date,
        to: Date,
        names: Names,
    ) -> Result<Vec<ProtocolRow>> {
        let r = self.vault.store.read();
        let mut sessions = self.vault.records().sessions_between(from, to)?;
        if let Some(c) = client {
            r.client(c)?;
            sessions.retain(|s| s.client_id == c);
        }
        let services: std::collections::HashMap<_, _> =
            self.vault.records().services()?.into_iter().map(|s| (s.id, s.data.name)).collect();
        let mut labels = std::collections::HashMap::new();
        let p = self.vault.records().practice()?;
        let mut rows = Vec::with_capacity(sessions.len());
        for s in sessions {
            let client = labels
                .entry(s.client_id)
                .or_insert_with(|| r.client(s.client_id).map(|c| names.of(&c)).unwrap_or_default())
                .clone();
            rows.push(ProtocolRow {
                date: s.date,
                client,
                service: s
                    .service_id
                    .and_then(|x| services.get(&x).cloned())
                    .unwrap_or_else(|| crate::vault::unit_word(p.country, p.language).into()),
                minutes: s.minutes,
                setting: s.setting,
                fee: s.fee,
                invoice: r.session_invoice_numbers(s.id)?.join(", "),
            });
        }
        Ok(rows)
    }

    /// The session protocol as (XLSX, PDF).
    pub fn render_protocol(&self, client: Option<ClientId>, from: Date, to: Date) -> Result<(Vec<u8>, Vec<u8>)> {
        self.render_protocol_named(client, from, to, Names::Full)
    }

    /// The session protocol with names as `names` says.
    pub fn render_protocol_named(
        &self,
        client: Option<ClientId>,
        from: Date,
        to: Date,
        names: Names,
    ) -> Result<(Vec<u8>, Vec<u8>)> {
        let rows = self.protocol_rows(client, from, to, names)?;
        let (loc, name) = self.locale()?;
        let h = Heading { title: loc.t("Sitzungsprotokoll", "Session protocol"), practice: &name, from, to };
        Ok((export::reports::protocol_xlsx(&h, &rows, &loc)?, export::reports::protocol_pdf(&h, &rows, &loc)?))
    }

    /// Everything Tresor holds about one client (GDPR Art. 15/20).
    pub(crate) fn client_file(&self, id: ClientId) -> Result<ClientFileData> {
        let r = self.vault.store.read();
        let client = r.client(id)?;
        let today = self.vault.records().today()?;
        let mut appointments = r.appointments_of(id, u32::MAX)?;
        appointments.reverse();
        let mut sessions = Vec::new();
        let mut list = r.sessions_of(id, u32::MAX)?;
        list.reverse();
        for s in list {
            let revs = r.revisions(s.id)?;
            sessions.push((s, revs));
        }
        let mut invoices = Vec::new();
        for inv in r.invoices_of(id)? {
            let status = Balance::of_invoice(&inv, today).status;
            invoices.push((inv, status));
        }
        let mut ids: Vec<String> = vec![id.to_string()];
        ids.extend(appointments.iter().map(|a| a.id.to_string()));
        for (s, revs) in &sessions {
            ids.push(s.id.to_string());
            ids.extend(revs.iter().map(|r| r.id.to_string()));
        }
        for (i, _) in &invoices {
            ids.push(i.id.to_string());
            ids.extend(i.lines.iter().map(|l| l.id.to_string()));
            ids.extend(i.payments.iter().map(|p| p.id.to_string()));
            ids.extend(i.dunning.iter().map(|d| d.id.to_string()));
            ids.extend(i.write_off.iter().map(|w| w.id.to_string()));
        }
        let practice = self.vault.records().practice()?;
        Ok(ClientFileData {
            exported_at: jiff::Timestamp::now(),
            practice: Issuer::from(&practice),
            zone: practice.tz()?,
            disclosure: Disclosure {
                retention_end: self.vault.retention().of(id, today)?.end,
                tax_adviser: Some(practice.tax_adviser.trim().to_string()).filter(|s| !s.is_empty()),
                documentation_years: self.vault.retention().policy()?.years,
                authority: authority(practice.country, &practice.holiday_region),
            },
            bill_to: self.vault.billing().bill_to(id)?,
            journal: r.journal_for(&ids)?,
            client,
            appointments,
            sessions,
            invoices,
        })
    }

    /// The client file as (JSON, PDF), in the client's language (else the practice's).
    pub fn render_client_file(&self, id: ClientId) -> Result<(Vec<u8>, Vec<u8>)> {
        let f = self.client_file(id)?;
        let p = self.vault.records().practice()?;
        let loc = Locale::new(f.client.data.language.unwrap_or(p.language), p.country);
        Ok((export::client_file::to_json(&f, &loc)?, export::client_file::client_file_pdf(&f, &loc)?))
    }

    /// The emergency kit for this vault; `recovery_key` is the display form the user was shown.
    pub fn emergency_kit(&self, recovery_key: &str) -> Result<Vec<u8>> {
        let (loc, name) = self.locale()?;
        export::emergency_kit_pdf(&name, self.vault.id(), recovery_key, loc.lang)
    }
}
