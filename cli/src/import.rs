//! `tresor import clients|services|appointments|sessions FILE`: records from another tool's CSV
//! or XLSX export. `--dry-run` shows what would be imported and every row that cannot be;
//! without it the good rows are saved in one transaction and the same table is printed.

use std::fmt::Write;
use std::path::PathBuf;

use clap::{Args, ValueEnum};
use tresor::import::{mapping, ImportOptions, Kind, Preview, ReadyRow, Reason};

use crate::print::Out;
use crate::run::open;
use crate::Failure;

#[derive(Args, Debug)]
pub struct ImportArgs {
    #[arg(value_enum)]
    pub kind: KindArg,
    /// The CSV (`,`/`;`/tab, UTF-8 or Windows-1252) or XLSX file.
    pub file: PathBuf,
    /// Which column fills which field, e.g. `family_name=Nachname,birth_date=Geb.-Datum`;
    /// without it the mapping of the last import of this kind, or one guessed from the headers.
    #[arg(long)]
    pub map: Option<String>,
    /// Show what would be imported; change nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Import rows that match an existing record too (else they are reported and skipped).
    #[arg(long)]
    pub duplicates: bool,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum KindArg {
    Clients,
    Services,
    Appointments,
    Sessions,
}

impl From<KindArg> for Kind {
    fn from(k: KindArg) -> Kind {
        match k {
            KindArg::Clients => Kind::Clients,
            KindArg::Services => Kind::Services,
            KindArg::Appointments => Kind::Appointments,
            KindArg::Sessions => Kind::Sessions,
        }
    }
}

pub fn run(vault: &Option<PathBuf>, out: &Out, args: ImportArgs) -> Result<(), Failure> {
    let kind = Kind::from(args.kind);
    let options = ImportOptions {
        mapping: args.map.as_deref().map(mapping::parse_arg).transpose()?,
        duplicates: args.duplicates,
    };
    if args.dry_run {
        let v = open(vault)?;
        let p = v.records().import_preview(kind, &args.file, &options)?;
        out.value(&p, || {
            let mut s = table(&p);
            let _ = writeln!(
                s,
                "Dry run: {} row(s) would be imported, {} duplicate(s) {}, {} row(s) cannot be. Nothing was changed.",
                p.ready.len(),
                p.duplicates.len(),
                if args.duplicates { "imported too" } else { "skipped" },
                rejected_rows(&p)
            );
            s
        });
    } else {
        let mut v = open(vault)?;
        let r = v.records_mut().import_file(kind, &args.file, &options)?;
        out.value(&r, || {
            let mut s = table(&r.preview);
            let _ = writeln!(
                s,
                "Imported {} row(s); {} duplicate(s) skipped; {} row(s) not imported (see above).",
                r.imported, r.skipped_duplicates, r.rejected_rows
            );
            s
        });
    }
    Ok(())
}

fn rejected_rows(p: &Preview) -> usize {
    let mut rows: Vec<u32> = p.rejected.iter().map(|i| i.row).collect();
    rows.dedup();
    rows.len()
}

/// Every row by its number: what it becomes, or why not.
fn table(p: &Preview) -> String {
    let mut lines: Vec<(u32, String)> = Vec::new();
    let ready = |r: &ReadyRow, status: &str| {
        let mut s = format!("{:>5}  {status:<9}  {:<28}", r.row, r.label);
        if let Some(d) = r.date {
            let _ = write!(s, "  {}", d.strftime("%d.%m.%Y"));
        }
        if let Some(t) = &r.time {
            let _ = write!(s, " {t}");
        }
        if let Some(m) = r.minutes {
            let _ = write!(s, "  {m} min");
        }
        if let Some(a) = r.amount {
            let _ = write!(s, "  {} €", a.format_de());
        }
        (r.row, s)
    };
    lines.extend(p.ready.iter().map(|r| ready(r, "import")));
    lines.extend(p.duplicates.iter().map(|r| ready(r, "duplicate")));
    for i in &p.rejected {
        let why = match (i.reason, i.problem) {
            (Reason::Invalid, Some(problem)) => problem.as_str().to_string(),
            (reason, _) => {
                serde_json::to_value(reason).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
            }
        };
        lines.push((i.row, format!("{:>5}  {:<9}  {}: {why}", i.row, "rejected", i.field.as_str())));
    }
    lines.sort_by_key(|(row, _)| *row);
    let mut s = String::from("  Row  Status     Record\n");
    for (_, l) in lines {
        s.push_str(l.trim_end());
        s.push('\n');
    }
    s
}
