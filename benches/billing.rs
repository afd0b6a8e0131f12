//! Billing benchmark on a generated practice (not a test): the month-end run that drafts,
//! issues and renders every invoice of a month, and one invoice's PDF and XLSX.
//!
//!     cargo bench --bench billing            (CARGO_TARGET_DIR as you like)
//!
//! Targets (issue 3): invoice PDF ≤ 5 ms and ≤ 30 KB, XLSX ≤ 1.5 ms, a month-end run of 200
//! invoices ≤ 2 s. The practice lives in a temp folder that is removed afterwards.

use std::time::{Duration, Instant};

use jiff::ToSpan;
use secrecy::SecretString;
use tresor::export::{invoice_pdf::invoice_pdf, invoice_xlsx::invoice_xlsx};
use tresor::vault::InvoiceFormat;
use tresor::{CreateOptions, Vault};

fn median_p95(mut v: Vec<Duration>) -> (Duration, Duration) {
    v.sort();
    (v[v.len() / 2], v[(v.len() * 95 / 100).min(v.len() - 1)])
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn main() -> tresor::Result<()> {
    let dir = tempfile::tempdir().map_err(|e| tresor::Error::io("temp dir", std::env::temp_dir(), e))?;
    let opts =
        CreateOptions { kdf_target: Duration::ZERO, local_root: Some(dir.path().join("home")), ..Default::default() };
    let (mut v, _) = Vault::create(&dir.path().join("data"), &SecretString::from("benchmark password"), &opts)?;
    tresor::demo::complete_practice_profile(&mut v)?;
    // 200 clients with ~4 sessions a month each over a year: every month bills ~200 clients.
    let t = Instant::now();
    let demo = tresor::demo::DemoOptions { clients: 200, sessions: 9_600, years: 1, seed: 7 };
    tresor::demo::generate(&mut v, &demo, |_| {})?;
    println!("generated practice: 200 clients, 9600 sessions in {}", ms(t.elapsed()));

    let last_month =
        v.records().today()?.first_of_month().checked_sub(1.month()).map_err(|_| tresor::Error::NothingToBill)?;
    let month = last_month.strftime("%Y-%m").to_string();
    let issue_date = last_month.last_of_month();

    let t = Instant::now();
    let run = v.billing_mut().draft_month(&month)?;
    let drafted = t.elapsed();
    let mut numbers = Vec::with_capacity(run.drafted.len());
    for id in &run.drafted {
        numbers.push(v.billing_mut().issue_invoice(*id, Some(issue_date))?);
    }
    let issued = t.elapsed() - drafted;
    let mut bytes = 0usize;
    for n in &numbers {
        bytes += v.documents_mut().render_invoice(n, InvoiceFormat::Pdf)?.len();
    }
    let total = t.elapsed();
    println!(
        "month-end run {month}: {} invoices drafted in {}, issued in {}, rendered in {} — total {} ({} KB of PDF)",
        numbers.len(),
        ms(drafted),
        ms(issued),
        ms(total - drafted - issued),
        ms(total),
        bytes / 1024
    );

    // One typical invoice, rendered from memory (the document is gathered once).
    let doc = v.documents().invoice_doc(&numbers[0])?;
    let lines = doc.invoice.lines.len();
    let rounds = 200;
    let mut pdf_times = Vec::with_capacity(rounds);
    let mut size = 0;
    for _ in 0..rounds {
        let t = Instant::now();
        size = invoice_pdf(&doc)?.len();
        pdf_times.push(t.elapsed());
    }
    let mut xlsx_times = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        let t = Instant::now();
        invoice_xlsx(&doc)?;
        xlsx_times.push(t.elapsed());
    }
    let mut gather_times = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        let t = Instant::now();
        v.documents().invoice_doc(&numbers[0])?;
        gather_times.push(t.elapsed());
    }
    let (pm, pp) = median_p95(pdf_times);
    let (xm, xp) = median_p95(xlsx_times);
    let (gm, gp) = median_p95(gather_times);
    println!("invoice PDF ({lines} lines): median {}, p95 {}, {} bytes", ms(pm), ms(pp), size);
    println!("invoice XLSX ({lines} lines): median {}, p95 {}", ms(xm), ms(xp));
    println!("gathering one invoice from the database: median {}, p95 {}", ms(gm), ms(gp));
    drop(v);
    Ok(())
}
