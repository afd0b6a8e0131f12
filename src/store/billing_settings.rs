//! Billing settings, per-client bill-to, and each device's invoice series.

use rusqlite::{params, OptionalExtension};

use crate::billing::{BillTo, BillingSettings};
use crate::domain::ids::ClientId;
use crate::domain::money::Cents;
use crate::error::Result;

use super::rows;
use super::{Reader, Tx};

/// The settings row has a fixed id: there is one per practice, and two devices that both
/// create it must end up with the same row when their changes merge.
const SETTINGS_ID: &str = "billing";

impl Reader<'_> {
    pub fn billing_settings(&self) -> Result<BillingSettings> {
        let row = self
            .conn
            .prepare_cached(
                "SELECT number_format, payment_days, no_show_fee_cents, treatment_method, dunning_days,
                 dunning_fee1_cents, dunning_fee2_cents, dunning_fee3_cents, print_diagnosis, default_interest,
                 next_number_format, next_format_from, invoice_intro, invoice_closing, dunning_levels,
                 dunning_text1, dunning_text2, dunning_text3 FROM billing_settings WHERE id = ?1",
            )?
            .query_row([SETTINGS_ID], |r| {
                Ok(BillingSettings {
                    number_format: r.get(0)?,
                    payment_days: r.get(1)?,
                    no_show_fee: Cents::new(r.get(2)?),
                    treatment_method: r.get(3)?,
                    dunning_days: r.get(4)?,
                    dunning_fees: [Cents::new(r.get(5)?), Cents::new(r.get(6)?), Cents::new(r.get(7)?)],
                    print_diagnosis: r.get(8)?,
                    default_interest: r.get(9)?,
                    next_number_format: r.get(10)?,
                    next_format_from: r.get(11)?,
                    invoice_intro: r.get(12)?,
                    invoice_closing: r.get(13)?,
                    dunning_levels: r.get(14)?,
                    dunning_texts: [r.get(15)?, r.get(16)?, r.get(17)?],
                })
            })
            .optional()?;
        Ok(row.unwrap_or_default())
    }

    /// Who pays for `client`, if it was set (see `BillTo::default_for` otherwise).
    pub fn client_bill_to(&self, client: ClientId) -> Result<Option<BillTo>> {
        let row = self
            .conn
            .prepare_cached("SELECT bill_to FROM client_billing WHERE id = ?1 AND deleted = 0")?
            .query_row([client.to_string()], |r| rows::json::<BillTo>(r, 0))
            .optional()?;
        Ok(row)
    }

    /// A device's series code, if it has issued before.
    pub fn series_of(&self, device: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .prepare_cached("SELECT code FROM invoice_series WHERE id = ?1 AND deleted = 0")?
            .query_row([device], |r| r.get(0))
            .optional()?)
    }
}

impl Tx<'_> {
    pub fn put_billing_settings(&mut self, s: &BillingSettings) -> Result<()> {
        let hlc = self.stamp();
        self.conn().execute(
            "INSERT INTO billing_settings(id, number_format, payment_days, no_show_fee_cents, treatment_method,
             dunning_days, dunning_fee1_cents, dunning_fee2_cents, dunning_fee3_cents, created_hlc, updated_hlc, device,
             print_diagnosis, default_interest, next_number_format, next_format_from, invoice_intro, invoice_closing,
             dunning_levels, dunning_text1, dunning_text2, dunning_text3)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21)
             ON CONFLICT(id) DO UPDATE SET number_format = excluded.number_format, payment_days = excluded.payment_days,
             no_show_fee_cents = excluded.no_show_fee_cents, treatment_method = excluded.treatment_method,
             dunning_days = excluded.dunning_days, dunning_fee1_cents = excluded.dunning_fee1_cents,
             dunning_fee2_cents = excluded.dunning_fee2_cents, dunning_fee3_cents = excluded.dunning_fee3_cents,
             print_diagnosis = excluded.print_diagnosis, default_interest = excluded.default_interest,
             next_number_format = excluded.next_number_format, next_format_from = excluded.next_format_from,
             invoice_intro = excluded.invoice_intro, invoice_closing = excluded.invoice_closing,
             dunning_levels = excluded.dunning_levels, dunning_text1 = excluded.dunning_text1,
             dunning_text2 = excluded.dunning_text2, dunning_text3 = excluded.dunning_text3,
             updated_hlc = excluded.updated_hlc, device = excluded.device",
            params![
                SETTINGS_ID,
                s.number_format,
                s.payment_days,
                s.no_show_fee.get(),
                s.treatment_method,
                s.dunning_days,
                s.dunning_fees[0].get(),
                s.dunning_fees[1].get(),
                s.dunning_fees[2].get(),
                hlc.0,
                self.device,
                s.print_diagnosis,
                s.default_interest,
                s.next_number_format,
                s.next_format_from,
                s.invoice_intro,
                s.invoice_closing,
                s.dunning_levels,
                s.dunning_texts[0],
                s.dunning_texts[1],
                s.dunning_texts[2],
            ],
        )?;
        self.journal(hlc, "billing_settings", SETTINGS_ID, "update")
    }

    pub fn put_client_bill_to(&mut self, client: ClientId, b: &BillTo) -> Result<()> {
        let hlc = self.stamp();
        self.conn().execute(
            "INSERT INTO client_billing(id, bill_to, created_hlc, updated_hlc, device) VALUES (?1, ?2, ?3, ?3, ?4)
             ON CONFLICT(id) DO UPDATE SET bill_to = excluded.bill_to, updated_hlc = excluded.updated_hlc,
             device = excluded.device, deleted = 0",
            params![client.to_string(), rows::to_json(b), hlc.0, self.device],
        )?;
        self.journal(hlc, "client_billing", &client.to_string(), "update")
    }

    /// This device's series code, claimed on first use: '' for the device that created the
    /// vault (the author of the oldest journal entry, the same on every device), and the first
    /// free code of A, B, … Z, AA, … for any other, so their numbers cannot collide.
    ///
    /// Two new devices that both claim offline could pick the same letter; the sync layer
    /// narrows that by passing the codes other devices announce in their leases
    /// (`taken_elsewhere`), and reports a clash that still happens.
    pub(super) fn claim_series(&mut self) -> Result<String> {
        self.claim_series_avoiding(&[])
    }

    pub fn claim_series_avoiding(&mut self, taken_elsewhere: &[String]) -> Result<String> {
        if let Some(code) = self.read().series_of(self.device)? {
            return Ok(code);
        }
        let creator: Option<String> = self
            .conn()
            .query_row("SELECT device FROM journal ORDER BY hlc, seq LIMIT 1", [], |r| r.get(0))
            .optional()?;
        let taken: Vec<String> = {
            let mut st = self.conn().prepare_cached("SELECT code FROM invoice_series")?;
            let rows = st.query_map([], |r| r.get(0))?;
            let mut taken: Vec<String> = rows.collect::<rusqlite::Result<_>>()?;
            taken.extend(taken_elsewhere.iter().cloned());
            taken
        };
        let first = if creator.as_deref() == Some(self.device) { 0 } else { 1 };
        let code = (first..).map(crate::billing::number::letters).find(|c| !taken.contains(c)).unwrap_or_default();
        let hlc = self.stamp();
        self.conn().execute(
            "INSERT INTO invoice_series(id, code, created_hlc, updated_hlc, device) VALUES (?1, ?2, ?3, ?3, ?1)",
            params![self.device, code, hlc.0],
        )?;
        self.journal(hlc, "invoice_series", self.device, "create")?;
        Ok(code)
    }
}
