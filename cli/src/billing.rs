//! The billing commands: invoices, payments, dunning, reports, client export, emergency kit.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use serde_json::json;
use tresor::billing::fees;
use tresor::billing::{BillTo, InvoiceSummary, LineInput, PayerRole, Split};
use tresor::domain::client::Party;
use tresor::domain::ids::{ClientId, InvoiceId, InvoiceLineId};
use tresor::domain::money::Cents;
use tresor::domain::service::{Multiplier, ServiceFee, TaxMode};
use tresor::domain::validate::parse_date;
use tresor::export::write_file;
use tresor::store::InvoiceQuery;
use tresor::vault::{InvoiceFormat, Names};
use tresor::{Error, Problem, Vault};

use crate::print::Out;
use crate::Failure;
use tresor::domain::Field;

type R = Result<(), Failure>;

#[derive(Subcommand, Debug)]
pub enum InvoiceCommand {
    /// Draft from unbilled sessions: of one client (--client, optional --from/--to), or the
    /// month-end run for every client (--month YYYY-MM).
    Draft {
        #[arg(long, required_unless_present = "month", conflicts_with = "month")]
        client: Option<String>,
        #[arg(long, requires = "client")]
        from: Option<String>,
        #[arg(long, requires = "client")]
        to: Option<String>,
        #[arg(long)]
        month: Option<String>,
        /// Issue the drafts right away (month-end run).
        #[arg(long)]
        issue: bool,
    },
    /// Add an extra item to a draft.
    Item {
        id: String,
        /// The text (default: a catalogue item's designation).
        #[arg(long)]
        text: Option<String>,
        /// Net unit price in euros, e.g. 120,00 or 120.00.
        #[arg(long, conflicts_with = "cents", allow_hyphen_values = true)]
        amount: Option<String>,
        /// Net unit price in cents, e.g. 12000.
        #[arg(long, allow_hyphen_values = true)]
        cents: Option<i64>,
        /// A GOÄ/GOP or analog item (870, A812s; `tresor service catalogue`): the amount is
        /// computed from its points and the multiplier.
        #[arg(long, conflicts_with_all = ["amount", "cents"])]
        fee_number: Option<String>,
        /// The multiplier, e.g. 2,3; above 2,3 with --reason, above 3,5 only with a fee agreement.
        #[arg(long, requires = "fee_number")]
        multiplier: Option<String>,
        /// The written reason for a multiplier above 2,3 (§ 12 Abs. 3 GOÄ).
        #[arg(long, default_value = "")]
        reason: String,
        #[arg(long, default_value_t = 1)]
        quantity: i64,
        /// at-exempt, at-small-business, de-exempt, de-small-business, taxable:RATE
        #[arg(long)]
        tax: Option<String>,
        /// YYYY-MM-DD.
        #[arg(long)]
        date: Option<String>,
    },
    /// Delete a draft (issued invoices cannot be deleted; cancel them).
    Delete {
        id: String,
    },
    /// Issue a draft: assigns the next number; the invoice can never change afterwards.
    Issue {
        id: String,
        /// Issue date (default today).
        #[arg(long)]
        date: Option<String>,
    },
    /// Cancel an issued invoice with a Stornorechnung.
    Cancel {
        number: String,
        /// Why the invoice is cancelled (printed on the Storno).
        #[arg(long)]
        reason: String,
        /// The Storno's date, YYYY-MM-DD (default today; never before the invoice's).
        #[arg(long)]
        date: Option<String>,
        /// Also draft a new invoice with the same lines, to correct.
        #[arg(long)]
        redraft: bool,
    },
    /// Set the multiplier of a draft's GOÄ line (and the reason above 2,3).
    Fee {
        id: String,
        /// The line's id (`tresor invoice show`).
        line: String,
        /// E.g. 3,0; above 2,3 with --reason, above 3,5 only with a fee agreement.
        #[arg(long)]
        multiplier: String,
        #[arg(long, default_value = "")]
        reason: String,
    },
    /// Record a payment (partial payments add up; negative corrects).
    Pay {
        number: String,
        /// The amount in euros, e.g. 480,00 or 480.00 or 480.
        #[arg(
            long,
            allow_hyphen_values = true,
            conflicts_with = "amount_cents",
            required_unless_present = "amount_cents"
        )]
        amount: Option<String>,
        /// The amount in cents, e.g. 48000.
        #[arg(long, allow_hyphen_values = true)]
        amount_cents: Option<i64>,
        #[arg(long)]
        date: Option<String>,
        /// transfer, cash, card or free text.
        #[arg(long, default_value = "transfer")]
        method: String,
    },
    /// Write off what is still owed.
    WriteOff {
        number: String,
        #[arg(long)]
        reason: String,
    },
    List {
        #[arg(long)]
        client: Option<String>,
        #[arg(long)]
        from: Option<String>,
        #[arg(long)]
        to: Option<String>,
        /// Only drafts.
        #[arg(long)]
        drafts: bool,
    },
    Show {
        number: String,
    },
    /// Write the invoice as PDF and/or XLSX.
    Export {
        number: String,
        /// The PDF as issued (for an invoice to a business a Factur-X PDF/A-3 with its XML).
        #[arg(long)]
        pdf: Option<PathBuf>,
        #[arg(long)]
        xlsx: Option<PathBuf>,
        /// The XRechnung XML (CII), for an invoice to a business.
        #[arg(long)]
        xrechnung: Option<PathBuf>,
        /// The buyer reference (BT-10, for public buyers the Leitweg-ID); needed the first time.
        #[arg(long)]
        buyer_reference: Option<String>,
        #[arg(long)]
        force: bool,
    },
    /// Write the receipt for a payment (Quittung for cash, Zahlungsbestätigung otherwise).
    Receipt {
        number: String,
        #[arg(long)]
        pdf: PathBuf,
        /// The payment's id (default: the newest payment).
        #[arg(long)]
        payment: Option<String>,
        #[arg(long)]
        force: bool,
    },
    /// Write the Honorarnote for the insurer (ÖGK style).
    Honorarnote {
        number: String,
        #[arg(long)]
        pdf: PathBuf,
        #[arg(long)]
        force: bool,
    },
    /// Who pays for a client: client, guardian, insurer or other, optionally split.
    BillTo(Box<BillToArgs>),
    /// Billing settings; flags not given stay as they are.
    Settings(SettingsArgs),
}

#[derive(Args, Debug)]
pub struct BillToArgs {
    #[arg(long)]
    pub client: String,
    /// client, guardian, insurer or other.
    #[arg(long)]
    pub payer: String,
    /// Name of the payer for --payer other (or insurer).
    #[arg(long)]
    pub name: Option<String>,
    #[arg(long)]
    pub street: Option<String>,
    #[arg(long)]
    pub postal_code: Option<String>,
    #[arg(long)]
    pub city: Option<String>,
    /// The payer's VAT id (UID, USt-IdNr.), e.g. ATU13585627; makes them a business.
    #[arg(long, requires = "name")]
    pub vat_id: Option<String>,
    /// The payer's e-mail address (an XRechnung needs it: BT-49).
    #[arg(long, requires = "name")]
    pub email: Option<String>,
    /// The payer's country: an ISO code (DE, AT, …) or its name; empty means the practice's.
    #[arg(long, requires = "name")]
    pub country: Option<String>,
    /// Whether the payer is a business (true or false); a VAT id makes them one.
    #[arg(long, requires = "name")]
    pub business: Option<bool>,
    /// The opening of letters to the payer, e.g. "Sehr geehrte Damen und Herren,".
    #[arg(long, requires = "name")]
    pub salutation: Option<String>,
    /// A second payer's name; with --split-percent, they pay that share of every session.
    #[arg(long, requires = "split_percent")]
    pub split_name: Option<String>,
    #[arg(long)]
    pub split_street: Option<String>,
    #[arg(long)]
    pub split_postal_code: Option<String>,
    #[arg(long)]
    pub split_city: Option<String>,
    #[arg(long, requires = "split_name")]
    pub split_percent: Option<u32>,
    #[arg(long, requires = "split_name")]
    pub split_email: Option<String>,
    #[arg(long, requires = "split_name")]
    pub split_country: Option<String>,
    #[arg(long, requires = "split_name")]
    pub split_vat_id: Option<String>,
    #[arg(long, requires = "split_name")]
    pub split_business: Option<bool>,
    #[arg(long, requires = "split_name")]
    pub split_salutation: Option<String>,
}

/// What `invoice bill-to` says about one payer besides the address.
struct PartyExtras {
    email: Option<String>,
    country: Option<String>,
    vat_id: Option<String>,
    business: Option<bool>,
    salutation: Option<String>,
}

impl PartyExtras {
    fn apply(self, p: &mut Party) {
        if let Some(uid) = self.vat_id {
            p.business = !uid.trim().is_empty();
            p.vat_id = uid;
        }
        if let Some(b) = self.business {
            p.business = b;
        }
        for (slot, v) in
            [(&mut p.email, self.email), (&mut p.country, self.country), (&mut p.salutation, self.salutation)]
        {
            if let Some(v) = v {
                *slot = v;
            }
        }
    }
}

#[derive(Args, Debug)]
pub struct SettingsArgs {
    /// Tokens {year}, {seq:N}, {series-}; default {year}-{series-}{seq:4}.
    #[arg(long)]
    pub number_format: Option<String>,
    #[arg(long)]
    pub payment_days: Option<u32>,
    /// The no-show fee in euros, e.g. 60,00.
    #[arg(long, conflicts_with = "no_show_fee_cents")]
    pub no_show_fee: Option<String>,
    /// The no-show fee in cents, e.g. 6000.
    #[arg(long)]
    pub no_show_fee_cents: Option<i64>,
    /// A new number format from a later numbering period (a year) on, with --number-format;
    /// needed once invoices were issued with the current one.
    #[arg(long, requires = "number_format")]
    pub number_format_from: Option<i16>,
    /// German private invoices print the client's diagnosis: true or false.
    #[arg(long)]
    pub print_diagnosis: Option<bool>,
    #[arg(long)]
    pub treatment_method: Option<String>,
    #[arg(long)]
    pub dunning_days: Option<u32>,
    /// Fees for levels 1, 2, 3 in cents, e.g. 0,500,1000 (or 0 500 1000).
    #[arg(long, value_delimiter = ',', num_args = 1..)]
    pub dunning_fees: Option<Vec<i64>>,
    /// Whether dunning letters claim statutory default interest (true or false).
    #[arg(long)]
    pub default_interest: Option<bool>,
}

#[derive(Subcommand, Debug)]
pub enum DunningCommand {
    /// Write the dunning letters that are due today (or on --date).
    Run {
        #[arg(long)]
        date: Option<String>,
    },
    /// The PDF letter of an invoice's dunning level (default: the newest).
    Letter {
        number: String,
        #[arg(long)]
        level: Option<u8>,
        #[arg(long)]
        pdf: PathBuf,
        #[arg(long)]
        force: bool,
    },
}

#[derive(Args, Debug)]
pub struct ReportFiles {
    #[arg(long)]
    pub from: String,
    #[arg(long)]
    pub to: String,
    #[arg(long)]
    pub xlsx: Option<PathBuf>,
    #[arg(long)]
    pub pdf: Option<PathBuf>,
    #[arg(long)]
    pub force: bool,
    /// Code names instead of client names (for a tax office or a supervisor). The revenue
    /// report names no client either way.
    #[arg(long)]
    pub anonymous: bool,
}

#[derive(Subcommand, Debug)]
pub enum ReportCommand {
    /// One row per invoice issued in the period (dates YYYY-MM-DD).
    Journal(ReportFiles),
    /// Per month: invoiced, received, open.
    Revenue(ReportFiles),
    /// Sessions in the period, of one client or all.
    Protocol {
        #[arg(long)]
        client: Option<String>,
        #[command(flatten)]
        files: ReportFiles,
    },
}

fn date_opt(field: tresor::domain::Field, s: &Option<String>) -> Result<Option<jiff::civil::Date>, Failure> {
    Ok(s.as_deref().map(|d| parse_date(field, d)).transpose()?)
}

fn write(path: &Path, bytes: &[u8], force: bool) -> R {
    Ok(write_file(path, bytes, force)?)
}

fn need_output(any: bool) -> R {
    if any {
        Ok(())
    } else {
        Err(Failure::usage("name at least one output file (--pdf, --xlsx or --json-file)".into()))
    }
}

pub fn invoice(v: &mut Vault, out: &Out, cmd: InvoiceCommand) -> R {
    match cmd {
        InvoiceCommand::Draft { client, from, to, month, issue } => {
            let ids = match (client, month) {
                (Some(c), _) => v.billing_mut().draft_invoice(
                    c.parse()?,
                    date_opt(Field::From, &from)?,
                    date_opt(Field::To, &to)?,
                )?,
                (None, Some(m)) => {
                    let run = v.billing_mut().draft_month(&m)?;
                    for (c, code) in &run.skipped {
                        eprintln!("tresor: skipped client {c}: {code}");
                    }
                    run.drafted
                }
                (None, None) => return Err(Failure::usage("give --client or --month".into())),
            };
            let mut created = Vec::with_capacity(ids.len());
            for id in ids {
                let number = if issue { Some(v.billing_mut().issue_invoice(id, None)?) } else { None };
                created.push(json!({ "id": id, "number": number }));
            }
            created_list(out, &created);
        }
        InvoiceCommand::Item { id, text, amount, cents, fee_number, multiplier, reason, quantity, tax, date } => {
            let id: InvoiceId = id.parse()?;
            let tax = match tax {
                Some(t) => TaxMode::parse(&t)?,
                None => v.records().tax_choices()?.default,
            };
            let date = date_opt(Field::Date, &date)?;
            let line = match fee_number {
                Some(n) => {
                    let item = fees::item(&n).ok_or(Error::invalid(Field::FeeNumber, Problem::UnknownValue))?;
                    let m = multiplier.map(|m| Multiplier::parse(&m)).transpose()?.unwrap_or(item.multiplier);
                    let fee = ServiceFee {
                        schedule: item.schedule,
                        number: item.number.into(),
                        points: item.points,
                        multiplier: m,
                    };
                    let text = text.unwrap_or_else(|| match item.analog_of {
                        "" => item.text.to_string(),
                        of => format!("{} (entsprechend Nr. {of} GOÄ)", item.text),
                    });
                    // The amount follows from points and multiplier (`Billing::add_invoice_line`).
                    LineInput { date, fee, fee_reason: reason, ..LineInput::item(&text, Cents::ZERO, quantity, tax) }
                }
                None => {
                    let unit =
                        crate::run::amount(amount, cents)?.ok_or(Error::invalid(Field::Amount, Problem::Required))?;
                    let text = text.ok_or(Error::invalid(Field::Description, Problem::Required))?;
                    LineInput { date, ..LineInput::item(&text, unit, quantity, tax) }
                }
            };
            let line_id = v.billing_mut().add_invoice_line(id, line)?;
            out.created(line_id);
        }
        InvoiceCommand::Delete { id } => {
            let id: InvoiceId = id.parse()?;
            v.billing_mut().delete_draft(id)?;
            out.done("draft deleted", json!({ "id": id }));
        }
        InvoiceCommand::Issue { id, date } => {
            let id: InvoiceId = id.parse()?;
            let number = v.billing_mut().issue_invoice(id, date_opt(Field::Date, &date)?)?;
            out.value(&json!({ "id": id, "number": number }), || format!("{number}\n"));
        }
        InvoiceCommand::Cancel { number, reason, date, redraft } => {
            let c = v.billing_mut().cancel_invoice(&number, &reason, redraft, date_opt(Field::Date, &date)?)?;
            out.value(&json!({ "id": c.id, "number": c.number, "redraft": c.redraft }), || match c.redraft {
                Some(r) => format!("{} cancels {number}; new draft {r}\n", c.number),
                None => format!("{} cancels {number}\n", c.number),
            });
        }
        InvoiceCommand::Fee { id, line, multiplier, reason } => {
            let id: InvoiceId = id.parse()?;
            let line: InvoiceLineId = line.parse()?;
            v.billing_mut().set_line_fee(id, line, Multiplier::parse(&multiplier)?, &reason)?;
            out.done("fee set", json!({ "id": id, "line": line }));
        }
        InvoiceCommand::Pay { number, amount, amount_cents, date, method } => {
            let amount =
                crate::run::amount(amount, amount_cents)?.ok_or(Error::invalid(Field::Amount, Problem::Required))?;
            let id = v.billing_mut().record_payment(&number, amount, date_opt(Field::Date, &date)?, &method)?;
            let inv = v.billing().invoice_by_number(&number)?;
            let b = v.billing().balance(&inv)?;
            let paid_on = inv.payments.iter().find(|p| p.id == id).map(|p| p.date);
            let cash = match paid_on {
                Some(d) if method == "cash" => v.billing().cash_check(d.year())?,
                _ => None,
            };
            if let Some(c) = cash.filter(|c| c.level != tresor::vault::CashLevel::Below) {
                eprintln!("{}", cash_warning(&c));
            }
            out.value(
                &json!({ "id": id, "number": number, "status": b.status, "due_cents": b.due, "cash_check": cash }),
                || format!("{id}\n{number}: {} ({} open)\n", b.status.as_str(), doc_money(b.due)),
            );
        }
        InvoiceCommand::WriteOff { number, reason } => {
            v.billing_mut().write_off(&number, &reason)?;
            out.done("written off", json!({ "number": number }));
        }
        InvoiceCommand::List { client, from, to, drafts } => {
            let q = InvoiceQuery {
                client: client.map(|c| c.parse::<ClientId>()).transpose()?,
                from: date_opt(Field::From, &from)?,
                to: date_opt(Field::To, &to)?,
                drafts,
                issued: !drafts,
            };
            let list = v.billing().invoices(&q)?;
            out.value(&list, || list_text(&list));
        }
        InvoiceCommand::Show { number } => {
            let doc = v.documents().invoice_doc(&number)?;
            out.value(&json!({ "invoice": doc.invoice, "balance": doc.balance }), || show_text(&doc));
        }
        InvoiceCommand::Export { number, pdf, xlsx, xrechnung, buyer_reference, force } => {
            need_output(pdf.is_some() || xlsx.is_some() || xrechnung.is_some())?;
            // Render everything first, so a failure writes nothing at all.
            let pdf_bytes =
                pdf.as_ref().map(|_| v.documents_mut().render_invoice(&number, InvoiceFormat::Pdf)).transpose()?;
            let xlsx_bytes =
                xlsx.as_ref().map(|_| v.documents_mut().render_invoice(&number, InvoiceFormat::Xlsx)).transpose()?;
            let xr_bytes = xrechnung
                .as_ref()
                .map(|_| v.documents_mut().export_xrechnung(&number, buyer_reference.as_deref()).map(|e| e.bytes))
                .transpose()?;
            for (path, bytes) in [(&pdf, &pdf_bytes), (&xlsx, &xlsx_bytes), (&xrechnung, &xr_bytes)] {
                if let (Some(p), Some(b)) = (path, bytes) {
                    write(p, b, force)?;
                }
            }
            out.done("exported", json!({ "number": number, "pdf": pdf, "xlsx": xlsx, "xrechnung": xrechnung }));
        }
        InvoiceCommand::Receipt { number, pdf, payment, force } => {
            let payment = payment.map(|p| p.parse()).transpose()?;
            let bytes = v.documents_mut().export_receipt(&number, payment)?.bytes;
            write(&pdf, &bytes, force)?;
            out.done("exported", json!({ "number": number, "pdf": pdf }));
        }
        InvoiceCommand::Honorarnote { number, pdf, force } => {
            let bytes = v.documents_mut().render_invoice(&number, InvoiceFormat::Honorarnote)?;
            write(&pdf, &bytes, force)?;
            // The form says so too; the practitioner hears it here, where it can be recorded.
            let claim = v.documents().claim_facts(&v.documents().invoice_doc(&number)?)?;
            if claim.exam_missing() {
                eprintln!(
                    "tresor: warning: the claim form claims a second or later session, but the client has no \
                     medical_exam_date; the form says it is not recorded (tresor client update ID \
                     --medical-exam-date YYYY-MM-DD, then print it again)"
                );
            }
            out.done(
                "exported",
                json!({ "number": number, "pdf": pdf, "medical_exam_missing": claim.exam_missing(),
                        "medical_exam_late": claim.exam_late() }),
            );
        }
        InvoiceCommand::BillTo(a) => {
            let a = *a;
            let client: ClientId = a.client.parse()?;
            let party =
                |name: Option<String>, street: Option<String>, postal_code: Option<String>, city: Option<String>| {
                    name.map(|name| Party {
                        name,
                        street: street.unwrap_or_default(),
                        postal_code: postal_code.unwrap_or_default(),
                        city: city.unwrap_or_default(),
                        ..Default::default()
                    })
                };
            let split_extras = PartyExtras {
                email: a.split_email,
                country: a.split_country,
                vat_id: a.split_vat_id,
                business: a.split_business,
                salutation: a.split_salutation,
            };
            let split = match (party(a.split_name, a.split_street, a.split_postal_code, a.split_city), a.split_percent)
            {
                (Some(mut p), Some(pct)) => {
                    let share_bp =
                        pct.checked_mul(100).ok_or(Error::invalid(Field::SplitShare, Problem::OutOfRange))?;
                    split_extras.apply(&mut p);
                    Some(Split { party: p, share_bp })
                }
                _ => None,
            };
            let mut first = party(a.name, a.street, a.postal_code, a.city);
            if let Some(p) = first.as_mut() {
                PartyExtras {
                    email: a.email,
                    country: a.country,
                    vat_id: a.vat_id,
                    business: a.business,
                    salutation: a.salutation,
                }
                .apply(p);
            }
            let b = BillTo { role: PayerRole::parse(&a.payer)?, party: first, split };
            v.billing_mut().set_bill_to(client, &b)?;
            out.done("bill-to set", json!({ "client": client, "bill_to": b }));
        }
        InvoiceCommand::Settings(a) => {
            let mut s = v.billing().billing_settings()?;
            match (a.number_format, a.number_format_from) {
                (Some(f), Some(year)) => (s.next_number_format, s.next_format_from) = (f, year),
                (Some(f), None) => s.number_format = f,
                _ => {}
            }
            if let Some(d) = a.payment_days {
                s.payment_days = d;
            }
            if let Some(c) = crate::run::amount(a.no_show_fee, a.no_show_fee_cents)? {
                s.no_show_fee = c;
            }
            if let Some(p) = a.print_diagnosis {
                s.print_diagnosis = p;
            }
            if let Some(t) = a.treatment_method {
                s.treatment_method = t;
            }
            if let Some(d) = a.dunning_days {
                s.dunning_days = d;
            }
            if let Some(f) = a.dunning_fees {
                if f.len() != s.dunning_fees.len() {
                    return Err(Failure::usage(format!(
                        "--dunning-fees needs {} amounts in cents, one per level, e.g. 0,500,1000 (got {})",
                        s.dunning_fees.len(),
                        f.len()
                    )));
                }
                for (slot, c) in s.dunning_fees.iter_mut().zip(f) {
                    *slot = Cents::new(c);
                }
            }
            if let Some(i) = a.default_interest {
                s.default_interest = i;
            }
            v.billing_mut().update_billing_settings(&s)?;
            out.value(&s, || format!("{s:#?}\n"));
        }
    }
    Ok(())
}

fn created_list(out: &Out, created: &[serde_json::Value]) {
    out.value(&created, || {
        created
            .iter()
            .map(|c| match c["number"].as_str() {
                Some(n) => format!("{} {n}\n", c["id"].as_str().unwrap_or_default()),
                None => format!("{}\n", c["id"].as_str().unwrap_or_default()),
            })
            .collect()
    });
}

/// An amount in German form, or the words that say the stored amounts allow no sum.
fn doc_money(c: Option<Cents>) -> String {
    c.map_or_else(|| "not computable".into(), |c| format!("{} €", c.format_de()))
}

fn list_text(list: &[InvoiceSummary]) -> String {
    let mut s = String::new();
    for i in list {
        let date = i.issue_date.map(|d| d.strftime("%d.%m.%Y").to_string()).unwrap_or_default();
        let number = i.number.clone().unwrap_or_else(|| i.id.to_string());
        let overdue = if i.balance.overdue { " overdue" } else { "" };
        let _ = writeln!(
            s,
            "{number:<14} {date:<10} {:<30} {:>12} € {}{overdue}",
            i.recipient,
            i.gross.format_de(),
            i.balance.status.as_str()
        );
    }
    let _ = writeln!(s, "{} invoices", list.len());
    s
}

fn show_text(doc: &tresor::export::InvoiceDoc) -> String {
    let loc = doc.locale();
    let inv = &doc.invoice;
    let mut s = String::new();
    let _ = writeln!(s, "{} {} — {}", loc.invoice_word(), inv.display_number(), inv.payer.party.name);
    let _ = writeln!(s, "id {}  issued {}  due {}", inv.id, loc.opt_date(inv.issue_date), loc.opt_date(inv.due_date));
    for l in &inv.lines {
        let _ =
            writeln!(s, "  {:<10} {:<40} {:>12}", loc.opt_date(l.input.date), l.input.description, loc.money(l.amount));
    }
    let _ = writeln!(
        s,
        "net {}  tax {}  gross {}",
        loc.money(inv.totals.net),
        loc.money(inv.totals.tax),
        loc.money(inv.totals.gross)
    );
    for p in &inv.payments {
        let _ = writeln!(s, "paid {} on {} ({})", loc.money(p.amount), loc.date(p.date), p.method);
    }
    for d in &inv.dunning {
        let _ = writeln!(
            s,
            "dunning level {} on {}, fee {}, due {}",
            d.level,
            loc.date(d.date),
            loc.money(d.fee),
            loc.date(d.due_date)
        );
    }
    let _ = writeln!(
        s,
        "status {}{}, open {}",
        doc.balance.status.as_str(),
        if doc.balance.overdue { " (overdue)" } else { "" },
        loc.money_or_not_computable(doc.balance.due)
    );
    s
}

pub fn dunning(v: &mut Vault, out: &Out, cmd: DunningCommand) -> R {
    match cmd {
        DunningCommand::Run { date } => {
            let letters = v.billing_mut().dunning_run(date_opt(Field::Date, &date)?)?;
            out.value(&letters, || {
                let mut s: String = letters
                    .iter()
                    .map(|l| format!("{} level {} fee {} €\n", l.number, l.level, l.fee.format_de()))
                    .collect();
                let _ = writeln!(s, "{} letters", letters.len());
                s
            });
        }
        DunningCommand::Letter { number, level, pdf, force } => {
            let bytes = v.documents_mut().render_dunning_letter(&number, level)?;
            write(&pdf, &bytes, force)?;
            out.done("exported", json!({ "number": number, "pdf": pdf }));
        }
    }
    Ok(())
}

pub fn report(v: &Vault, out: &Out, cmd: ReportCommand) -> R {
    let names = |f: &ReportFiles| if f.anonymous { Names::Coded } else { Names::Full };
    let (files, rendered) = match cmd {
        ReportCommand::Journal(f) => {
            let (from, to) = (parse_date(Field::From, &f.from)?, parse_date(Field::To, &f.to)?);
            let r = v.documents().render_journal_named(from, to, names(&f))?;
            (f, r)
        }
        ReportCommand::Revenue(f) => {
            let r = v.documents().render_revenue(parse_date(Field::From, &f.from)?, parse_date(Field::To, &f.to)?)?;
            (f, r)
        }
        ReportCommand::Protocol { client, files } => {
            let client = client.map(|c| c.parse::<ClientId>()).transpose()?;
            let r = v.documents().render_protocol_named(
                client,
                parse_date(Field::From, &files.from)?,
                parse_date(Field::To, &files.to)?,
                names(&files),
            )?;
            (files, r)
        }
    };
    need_output(files.xlsx.is_some() || files.pdf.is_some())?;
    if let Some(p) = &files.xlsx {
        write(p, &rendered.0, files.force)?;
    }
    if let Some(p) = &files.pdf {
        write(p, &rendered.1, files.force)?;
    }
    out.done("exported", json!({ "xlsx": files.xlsx, "pdf": files.pdf }));
    Ok(())
}

pub fn client_export(
    v: &Vault,
    out: &Out,
    id: &str,
    json_path: Option<PathBuf>,
    pdf: Option<PathBuf>,
    force: bool,
) -> R {
    need_output(json_path.is_some() || pdf.is_some())?;
    let (j, p) = v.documents().render_client_file(id.parse()?)?;
    if let Some(path) = &json_path {
        write(path, &j, force)?;
    }
    if let Some(path) = &pdf {
        write(path, &p, force)?;
    }
    out.done("exported", json!({ "json": json_path, "pdf": pdf }));
    Ok(())
}

pub fn kit(v: &Vault, out: &Out, key: &str, pdf: &Path, force: bool) -> R {
    let bytes = v.documents().emergency_kit(key)?;
    write(pdf, &bytes, force)?;
    out.done("emergency kit written", json!({ "pdf": pdf }));
    Ok(())
}

/// The RKSV note for an Austrian practice whose cash payments come near the limits.
fn cash_warning(c: &tresor::vault::CashCheck) -> String {
    let state = match c.level {
        tresor::vault::CashLevel::Exceeded => "exceed",
        _ => "approach",
    };
    format!(
        "tresor: warning: the payments of {} {state} the RKSV limits ({} received, {} of it in cash; a registered cash register is \
         needed above {} a year with more than {} in cash, § 131b BAO). Tresor is not a registered cash register.",
        c.year,
        doc_money(Some(c.received)),
        doc_money(Some(c.cash)),
        doc_money(Some(tresor::vault::RKSV_TURNOVER)),
        doc_money(Some(tresor::vault::RKSV_CASH)),
    )
}
