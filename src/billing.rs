//! Billing rules that need no database: invoice and line types, who pays, tax per line and per
//! rate, invoice numbers, status and dunning. The store persists these types; the vault's
//! billing operations combine them in transactions; `export` renders them.

pub mod dunning;
pub mod fees;
pub mod model;
pub mod number;
pub mod rules;
pub mod status;
pub mod tax;

pub use model::{
    BillTo, BillingSettings, ClientFacts, DocSnapshot, DunningLetter, Invoice, InvoiceKind, InvoiceLine,
    InvoiceSummary, InvoiceTexts, Issuer, LineInput, LineKind, Payer, PayerRole, Payment, Split, StornoFacts, WriteOff,
};
pub use number::NumberFormat;
pub use status::{Balance, InvoiceStatus};
pub use tax::{line_tax, RateTotal, Totals};
