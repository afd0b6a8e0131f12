//! Issued invoices for a demo practice (`tresor demo --invoices N`), so the window's invoice
//! list can be tried and measured at the size of a large practice: spread over the last years
//! in number order, about two in three paid, some in part, a few cancelled with a Storno.
//! They are issued as invoices were before Tresor kept documents: each PDF is made and kept at
//! its first export (`vault/documents/issued.rs`), which keeps 20,000 of them to seconds.

use jiff::ToSpan;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

use crate::billing::{BillTo, InvoiceKind, LineInput, LineKind, NumberFormat, Payment};
use crate::domain::ids::{ClientId, InvoiceId, PaymentId};
use crate::domain::money::Cents;
use crate::error::{Error, Result};
use crate::store::NewInvoice;
use crate::vault::Vault;

const BATCH: usize = 2_000;

/// Issues `count` one-line invoices to the practice's clients; `progress(done)` after each
/// committed batch. Returns how many were issued.
pub fn invoices(vault: &mut Vault, count: u32, years: u32, seed: u64, mut progress: impl FnMut(u32)) -> Result<u32> {
    if count == 0 {
        return Ok(0);
    }
    super::complete_practice_profile(vault)?;
    let mut clients: Vec<ClientId> = vault.store_mut().read().client_names()?.into_keys().collect();
    // A map's order is random; the same seed gives the same invoices.
    clients.sort();
    if clients.is_empty() {
        return Err(Error::NothingToBill);
    }
    let mut rng = StdRng::seed_from_u64(seed ^ 0x1a_b0_1c_e5);
    let today = vault.records().today()?;
    let practice = vault.records().practice()?;
    let settings = vault.billing().billing_settings()?;
    let tax = crate::billing::rules::default_tax_mode(practice.country, practice.small_business);
    let span = (years.max(1) * 365) as i64;
    let mut days: Vec<i64> = (0..count).map(|_| rng.random_range(1..=span)).collect();
    days.sort_unstable_by(|a, b| b.cmp(a));
    vault.ensure_series()?;
    let mut done = 0u32;
    for chunk in days.chunks(BATCH) {
        let plan: Vec<(i64, ClientId, u32)> =
            chunk.iter().map(|d| (*d, clients[rng.random_range(0..clients.len())], rng.random_range(0..100))).collect();
        vault.store_mut().write(|tx| {
            for (back, client_id, fate) in &plan {
                let date = today.checked_sub(back.days()).unwrap_or(today);
                let client = tx.read().client(*client_id)?;
                let payer = BillTo::default_for(&client).payers(&client)?.remove(0).0;
                let id = InvoiceId::new();
                tx.insert_draft(
                    id,
                    &NewInvoice {
                        client_id: *client_id,
                        kind: InvoiceKind::Invoice,
                        period_from: date,
                        period_to: date,
                        language: practice.language,
                        payer: payer.clone(),
                        share_bp: 10_000,
                        cancels: None,
                        texts: Default::default(),
                    },
                )?;
                let unit = Cents::new([9_000, 10_000, 12_000, 18_000][(*fate % 4) as usize]);
                tx.add_lines(
                    id,
                    &[LineInput {
                        kind: LineKind::Session,
                        session_id: None,
                        appointment_id: None,
                        date: Some(date),
                        description: "Psychotherapie Einzelsitzung".into(),
                        minutes: Some(50),
                        setting: None,
                        quantity: 1 + (*fate % 3) as i64,
                        unit,
                        tax,
                        fee: Default::default(),
                        fee_reason: String::new(),
                        full_unit: None,
                        group_size: None,
                    }],
                )?;
                let snapshot = crate::vault::snapshot_of(&practice, &settings, &client, None)?;
                let format = NumberFormat::parse(settings.format_for(date.year()))?;
                let due = date.checked_add((settings.payment_days as i64).days()).unwrap_or(date);
                tx.issue_invoice(id, date, due, &format, &snapshot, &payer)?;
                // About two in three paid (after ten days), one in ten in part, the rest open.
                let paid_on = date.checked_add(10.days()).unwrap_or(date).min(today);
                let gross = tx.read().invoice(id)?.totals.gross;
                let amount = match fate {
                    0..=64 => Some(gross),
                    65..=74 => Some(Cents::new(gross.get() / 2)),
                    _ => None,
                };
                if let Some(amount) = amount {
                    let p = Payment {
                        id: PaymentId::new(),
                        invoice_id: id,
                        date: paid_on,
                        amount,
                        method: "transfer".into(),
                        note: String::new(),
                    };
                    tx.insert_payment(&p)?;
                }
            }
            Ok(())
        })?;
        done += chunk.len() as u32;
        progress(done);
    }
    Ok(done)
}

/// A few cancelled, with a Storno each (made the normal way, documents and all).
pub fn cancel_some(vault: &mut Vault, count: u32) -> Result<u32> {
    let q = crate::store::InvoiceQuery { issued: true, ..Default::default() };
    let open: Vec<String> = vault
        .billing()
        .invoices(&q)?
        .into_iter()
        .filter(|s| s.kind == InvoiceKind::Invoice && s.balance.status == crate::billing::InvoiceStatus::Open)
        .filter_map(|s| s.number)
        .take(count as usize)
        .collect();
    for n in &open {
        vault.billing_mut().cancel_invoice(n, "Doppelt verrechnet (Demo)", false, None)?;
    }
    Ok(open.len() as u32)
}
