//! Gathering what the documents need from the vault: an invoice with its frozen issuer and
//! client, the report rows, the whole client file. Rendering is in `export`; writing to disk
//! is the caller's choice via `export::write_file`.

use jiff::civil::Date;

use std::collections::HashSet;

use crate::billing::{Balance, ClientFacts, Invoice, InvoiceKind, Issuer, LineKind};
use crate::domain::ids::ClientId;
use crate::domain::money::Cents;
use crate::error::{Error, Problem, Result};
use crate::export::client_file::ClientFileData;
use crate::export::letters::{ClaimFacts, SplitPart};
use crate::export::reports::{Heading, JournalRow, ProtocolRow, RevenueMonth};
use crate::export::{self, InvoiceDoc, Locale};
use crate::store::InvoiceQuery;

use super::issued_docs::{Copy, Exported};
use super::report_view::Names;
use super::Vault;

/// Which document of an invoice to render.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InvoiceFormat {
    Pdf,
    Xlsx,
    /// The ÖGK-style claim form.
    Honorarnote,
}

impl Vault {
    /// An invoice (by number, or a draft by id) with everything its documents print.
    pub fn invoice_doc(&self, number_or_id: &str) -> Result<InvoiceDoc> {
        let invoice = self.find_invoice(number_or_id)?;
        let (issuer, client, cancels, storno) = match &invoice.snapshot {
            Some(s) => (s.issuer.clone(), s.client.clone(), s.cancels.clone(), s.storno.clone()),
            None => (
                Issuer::from(&self.practice()?),
                ClientFacts::of(&self.client(invoice.client_id)?, &self.billing_settings()?.treatment_method),
                None,
                None,
            ),
        };
        Ok(InvoiceDoc {
            balance: Balance::of_invoice(&invoice, self.today()?),
            invoice,
            issuer,
            client,
            cancels,
            storno,
            treatment_method: self.billing_settings()?.treatment_method,
            // A logo this version cannot use (say, one a newer Tresor on another computer
            // accepted) must not stop an invoice from printing: it is left off instead.
            logo: self.logo().unwrap_or(None),
        })
    }

    /// The invoice's PDF, workbook or Honorarnote, in memory (see [`Vault::export_invoice`]).
    pub fn render_invoice(&mut self, number_or_id: &str, format: InvoiceFormat) -> Result<Vec<u8>> {
        Ok(self.export_invoice(number_or_id, format)?.bytes)
    }

    /// An invoice's document. An issued invoice's PDF is the one kept when it was issued,
    /// byte for byte; a draft's is a preview. The claim form is kept when first printed, and
    /// every later print is that form marked "Zweitschrift". The workbook is a working aid,
    /// made anew each time.
    pub fn export_invoice(&mut self, number_or_id: &str, format: InvoiceFormat) -> Result<Exported> {
        let invoice = self.find_invoice(number_or_id)?;
        match (format, invoice.number.clone()) {
            (InvoiceFormat::Pdf, Some(number)) => self.issued_invoice_pdf(&invoice, &number),
            (InvoiceFormat::Pdf, None) => {
                let doc = self.invoice_doc(number_or_id)?;
                Ok(Exported { bytes: export::invoice_pdf::invoice_pdf(&doc)?, copy: Copy::Preview })
            }
            (InvoiceFormat::Xlsx, _) => {
                let doc = self.invoice_doc(number_or_id)?;
                Ok(Exported { bytes: export::invoice_xlsx::invoice_xlsx(&doc)?, copy: Copy::Preview })
            }
            (InvoiceFormat::Honorarnote, number) => {
                // A claim is made for treatments that stand: never for a Storno, nor for an
                // invoice it cancelled.
                if invoice.kind == InvoiceKind::Cancellation {
                    return Err(Error::InvoiceState { reason: "is_cancellation" });
                }
                if invoice.cancelled_by.is_some() {
                    return Err(Error::InvoiceState { reason: "cancelled" });
                }
                // Also refuses the second payer's share of a split bill (claimed once).
                let doc = self.invoice_doc(number_or_id)?;
                let claim = self.claim_facts(&doc)?;
                match number {
                    Some(number) => self.issued_claim_form(doc, &claim, &number),
                    None => {
                        Ok(Exported { bytes: export::letters::honorarnote_pdf(&doc, &claim)?, copy: Copy::Preview })
                    }
                }
            }
        }
    }

    /// What the claim form of `doc` states besides the invoice: the client's second session
    /// when the form claims it or a later one (the ÖGK wants the medical examination before
    /// it) and the examination's date, as frozen at issue or else as recorded since.
    pub fn claim_facts(&self, doc: &InvoiceDoc) -> Result<ClaimFacts> {
        let inv = &doc.invoice;
        let r = self.store.read();
        let mut dates: Vec<Date> = r.sessions_of(inv.client_id, u32::MAX)?.into_iter().map(|s| s.date).collect();
        dates.sort();
        let last_claimed =
            inv.lines.iter().filter(|l| l.input.kind == LineKind::Session).filter_map(|l| l.input.date).max();
        let second_session = match (dates.get(1), last_claimed) {
            (Some(&second), Some(last)) if second <= last => Some(second),
            _ => None,
        };
        let medical_exam_date = match doc.client.medical_exam_date {
            Some(d) => Some(d),
            None => r.client(inv.client_id)?.data.medical_exam_date,
        };
        Ok(ClaimFacts { second_session, medical_exam_date, split: self.split_parts(inv)? })
    }

    /// The invoices of a split bill that `inv` belongs to (itself included), first payer first:
    /// those of the client, not cancelled, that bill one of its sessions. The claim is made once
    /// for a session, on the invoice of the first payer that still stands; on any other it is
    /// refused (`claimed_on_first_payer`). Empty for a bill that is not split.
    fn split_parts(&self, inv: &Invoice) -> Result<Vec<SplitPart>> {
        if inv.share_bp >= 10_000 {
            return Ok(Vec::new());
        }
        let sessions: HashSet<_> = inv.lines.iter().filter_map(|l| l.input.session_id).collect();
        let today = self.today()?;
        let mut all: Vec<Invoice> = self
            .store
            .read()
            .invoices_of(inv.client_id)?
            .into_iter()
            .filter(|o| o.kind == InvoiceKind::Invoice && o.cancelled_by.is_none())
            .filter(|o| {
                o.id == inv.id || o.lines.iter().any(|l| l.input.session_id.is_some_and(|s| sessions.contains(&s)))
            })
            .collect();
        all.sort_by_key(|o| o.payer.slot);
        if all.first().is_some_and(|first| first.id != inv.id && first.payer.slot < inv.payer.slot) {
            return Err(Error::InvoiceState { reason: "claimed_on_first_payer" });
        }
        Ok(all
            .iter()
            .map(|o| SplitPart {
                number: o.display_number().to_string(),
                share_bp: o.share_bp,
                paid_on: Balance::of_invoice(o, today).paid_on,
            })
            .collect())
    }

    /// The dunning letter of `level` (default: the newest) for an invoice, as kept when written.
    pub fn render_dunning_letter(&mut self, number: &str, level: Option<u8>) -> Result<Vec<u8>> {
        let invoice = self.invoice_by_number(number)?;
        let letter = match level {
            Some(l) => invoice.dunning.iter().find(|d| d.level == l),
            None => invoice.dunning.iter().max_by_key(|d| d.level),
        }
        .cloned()
        .ok_or(Error::invalid("level", Problem::UnknownValue))?;
        Ok(self.issued_dunning_pdf(&invoice, &letter)?.bytes)
    }

    fn locale(&self) -> Result<(Locale, String)> {
        let p = self.practice()?;
        let name = if p.practice_name.is_empty() { Issuer::from(&p).full_name() } else { p.practice_name.clone() };
        Ok((Locale::new(p.language, p.country), name))
    }

    /// One row per issued invoice dated in `[from, to]`, in number order.
    /// With `Names::Coded`, both recipient and client carry the client's code name.
    pub(crate) fn journal_rows(&self, from: Date, to: Date, names: Names) -> Result<Vec<JournalRow>> {
        let q = InvoiceQuery { from: Some(from), to: Some(to), issued: true, ..Default::default() };
        let mut list = self.invoices(&q)?;
        list.reverse();
        let r = self.store.read();
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

    pub fn render_journal_named(&self, from: Date, to: Date, names: Names) -> Result<(Vec<u8>, Vec<u8>)> {
        let rows = self.journal_rows(from, to, names)?;
        let (loc, name) = self.locale()?;
        let h = Heading { title: loc.t("Rechnungsausgangsbuch", "Invoice journal"), practice: &name, from, to };
        Ok((export::reports::journal_xlsx(&h, &rows, &loc)?, export::reports::journal_pdf(&h, &rows, &loc)?))
    }

    /// Per month from `from`'s month to `to`'s: gross invoiced (cancellations count negative),
    /// received, and what was open before the first month.
    pub(crate) fn revenue(&self, from: Date, to: Date) -> Result<(Option<Cents>, Vec<RevenueMonth>)> {
        self.store.read().revenue(from, to)
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
        let r = self.store.read();
        let mut sessions = self.sessions_between(from, to)?;
        if let Some(c) = client {
            r.client(c)?;
            sessions.retain(|s| s.client_id == c);
        }
        let services: std::collections::HashMap<_, _> =
            self.services()?.into_iter().map(|s| (s.id, s.data.name)).collect();
        let mut labels = std::collections::HashMap::new();
        let p = self.practice()?;
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
                    .unwrap_or_else(|| super::unit_word(p.country, p.language).into()),
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
        let r = self.store.read();
        let client = r.client(id)?;
        let today = self.today()?;
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
        Ok(ClientFileData {
            exported_at: jiff::Timestamp::now(),
            practice: Issuer::from(&self.practice()?),
            bill_to: self.bill_to(id)?,
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
        let p = self.practice()?;
        let loc = Locale::new(f.client.data.language.unwrap_or(p.language), p.country);
        Ok((export::client_file::to_json(&f)?, export::client_file::client_file_pdf(&f, &loc)?))
    }

    /// The emergency kit for this vault; `recovery_key` is the display form the user was shown.
    pub fn emergency_kit(&self, recovery_key: &str) -> Result<Vec<u8>> {
        let (loc, name) = self.locale()?;
        export::emergency_kit_pdf(&name, self.id(), recovery_key, loc.lang)
    }
}

#[cfg(test)]
mod tests {
    use crate::domain::{ClientInput, SessionInput};

    #[test]
    fn a_stored_logo_this_version_cannot_read_is_left_off_not_fatal() {
        let dir = tempfile::tempdir().unwrap();
        let mut v = crate::vault::test_vault(dir.path());
        let client = v.add_client(ClientInput::with_full_name("Jörg Müller")).unwrap();
        v.add_session(SessionInput {
            client_id: client,
            appointment_id: None,
            service_id: None,
            date: jiff::civil::date(2026, 3, 2),
            minutes: Some(50),
            fee: Some(crate::domain::Cents::new(9000)),
            setting: None,
            group_size: None,
            note: String::new(),
        })
        .unwrap();
        let id = v.draft_invoice(client, None, None).unwrap()[0];
        // As if synced from a newer version that accepts what this one does not.
        v.store.write(|tx| tx.put_logo(Some(b"a format of the future"))).unwrap();
        assert_eq!(v.logo().unwrap_err().code(), "record.invalid");
        let doc = v.invoice_doc(&id.to_string()).unwrap();
        assert!(doc.logo.is_none());
        assert!(crate::export::invoice_pdf::invoice_pdf(&doc).unwrap().starts_with(b"%PDF"));
    }
}
