//! The benchmark behind `tresor bench`: a generated practice, every figure measured on the
//! encrypted working copy and on a plaintext twin of the same database in the same run, reported
//! as p50/p95 over many repetitions. The twin holds generated demo data only, in the benchmark's
//! own folder; it exists so the cost of encryption can be read off beside the real work.

pub mod merge;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use jiff::ToSpan;
use secrecy::SecretString;

use crate::demo::{self, DemoOptions};
use crate::domain::ids::ClientId;
use crate::error::Result;
use crate::store::{ClientQuery, Reader, Store};
use crate::vault::{CreateOptions, Unlock, Vault};

mod day;
pub use day::{day_markdown, working_day, DayFigures};

const PASSWORD: &str = "benchmark password";
/// The generated practice spans five years; its first year is invoiced (20 % of the sessions).
const YEARS: u32 = 5;

fn first_month(v: &Vault) -> Result<jiff::civil::Date> {
    let today = v.records().today()?;
    Ok(today.checked_sub((YEARS as i64 * 12).months()).unwrap_or(today).first_of_month())
}

/// Month-end runs over the practice's first twelve months.
fn invoice_first_year(v: &mut Vault) -> Result<()> {
    demo::complete_practice_profile(v)?;
    let mut month = first_month(v)?;
    for _ in 0..12 {
        let run = v.billing_mut().draft_month(&month.strftime("%Y-%m").to_string())?;
        for id in run.drafted {
            v.billing_mut().issue_invoice(id, Some(month.last_of_month()))?;
        }
        month = month.checked_add(1.month()).unwrap_or(month);
    }
    Ok(())
}

#[derive(Debug, Clone)]
pub struct BenchOptions {
    pub dir: PathBuf,
    pub clients: u32,
    pub sessions: u32,
    pub reps: u32,
}

#[derive(Debug, Clone, Copy, Default, serde::Serialize)]
pub struct Stats {
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub n: usize,
}

impl Stats {
    fn of(mut samples: Vec<Duration>) -> Stats {
        samples.sort();
        let pick = |q: f64| {
            samples.get(((samples.len() as f64 - 1.0) * q).round() as usize).map_or(0.0, |d| d.as_secs_f64() * 1e3)
        };
        Stats { p50_ms: pick(0.5), p95_ms: pick(0.95), n: samples.len() }
    }
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Figure {
    pub name: String,
    pub goal: String,
    pub plain: Stats,
    pub encrypted: Stats,
}

impl Figure {
    /// Encrypted ÷ plain at the median; `None` where there is no plain figure to compare with.
    pub fn ratio(&self) -> Option<f64> {
        (self.plain.n > 0 && self.plain.p50_ms > 0.0).then(|| self.encrypted.p50_ms / self.plain.p50_ms)
    }
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct BenchReport {
    pub clients: u32,
    pub sessions: u32,
    pub generate_s: f64,
    pub database_mb: f64,
    pub figures: Vec<Figure>,
}

fn time<T>(reps: u32, mut f: impl FnMut(u32) -> Result<T>) -> Result<Stats> {
    let mut samples = Vec::with_capacity(reps as usize);
    for i in 0..reps {
        let t = Instant::now();
        std::hint::black_box(f(i)?);
        samples.push(t.elapsed());
    }
    Ok(Stats::of(samples))
}

/// Draft, issue and render every invoice of `month`, on a copy of the practice so that every
/// run of the benchmark bills the same month. Encrypted only: the plaintext twin is a bare
/// database with no vault to bill in.
fn month_end(root: &Path, data: &Path, home: &Path, month: jiff::civil::Date) -> Result<Vec<Figure>> {
    let scratch = root.join("month-end");
    let _ = std::fs::remove_dir_all(&scratch);
    copy_tree(data, &scratch.join("data"))?;
    copy_tree(home, &scratch.join("home"))?;
    let mut vault = open(&scratch.join("data"), &scratch.join("home"))?;
    let t = Instant::now();
    let run = vault.billing_mut().draft_month(&month.strftime("%Y-%m").to_string())?;
    let draft = t.elapsed();
    let n = run.drafted.len();
    let (mut issue, mut render) = (Vec::with_capacity(n), Vec::with_capacity(n));
    for id in run.drafted {
        let t = Instant::now();
        let number = vault.billing_mut().issue_invoice(id, Some(month.last_of_month()))?;
        issue.push(t.elapsed());
        let t = Instant::now();
        std::hint::black_box(vault.documents_mut().render_invoice(&number, crate::vault::InvoiceFormat::Pdf)?);
        render.push(t.elapsed());
    }
    let total = draft + issue.iter().sum::<Duration>() + render.iter().sum::<Duration>();
    vault.lock()?;
    let _ = std::fs::remove_dir_all(&scratch);
    if n == 0 {
        return Err(crate::Error::NothingToBill);
    }
    let per_200 = total.as_secs_f64() * 1e3 / n as f64 * 200.0;
    let fig =
        |name: String, goal: &str, s: Stats| Figure { name, goal: goal.into(), plain: Stats::default(), encrypted: s };
    Ok(vec![
        fig(format!("month-end run: draft {n} invoices (all at once)"), "—", Stats::of(vec![draft])),
        fig("month-end run: issue one invoice".into(), "—", Stats::of(issue)),
        fig("month-end run: render one invoice PDF".into(), "≤ 5 ms", Stats::of(render)),
        fig(
            format!("month-end run: all {n} invoices (per 200: {per_200:.0} ms)"),
            "≤ 2000 ms per 200",
            Stats::of(vec![total]),
        ),
    ])
}

/// Copies a folder tree keeping file times: the snapshot policy compares them.
pub(crate) fn copy_tree(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to).map_err(|e| crate::Error::io("create", to, e))?;
    for entry in std::fs::read_dir(from).map_err(|e| crate::Error::io("read", from, e))? {
        let entry = entry.map_err(|e| crate::Error::io("read", from, e))?;
        let (src, dst) = (entry.path(), to.join(entry.file_name()));
        if src.is_dir() {
            copy_tree(&src, &dst)?;
        } else {
            std::fs::copy(&src, &dst).map_err(|e| crate::Error::io("copy", &src, e))?;
            if let Ok(t) = entry.metadata().and_then(|m| m.modified()) {
                let _ = std::fs::File::options().write(true).open(&dst).and_then(|f| f.set_modified(t));
            }
        }
    }
    Ok(())
}

/// A screen's query, run the same way on both databases.
type Query<'q> = Box<dyn Fn(&Reader<'_>, u32) -> Result<()> + 'q>;

fn open(data: &Path, home: &Path) -> Result<Vault> {
    Vault::open_in(data, home, Unlock::Password(&SecretString::from(PASSWORD)))
}

/// Builds (or reuses) the practice, then measures.
pub fn run(opts: &BenchOptions, mut progress: impl FnMut(&str)) -> Result<BenchReport> {
    let tag = format!("{}x{}", opts.clients, opts.sessions);
    let root = opts.dir.join(&tag);
    let (data, home, plain) = (root.join("data"), root.join("home"), root.join("plain.db"));
    let mut generate_s = 0.0;
    if !root.join("ready").exists() {
        let _ = std::fs::remove_dir_all(&root);
        progress(&format!("generating {} clients, {} sessions …", opts.clients, opts.sessions));
        let t = Instant::now();
        let copts = CreateOptions { local_root: Some(home.clone()), ..Default::default() };
        let (mut v, _) = Vault::create(&data, &SecretString::from(PASSWORD), &copts)?;
        demo::generate(
            &mut v,
            &DemoOptions { clients: opts.clients, sessions: opts.sessions, years: YEARS, seed: 1 },
            |_| {},
        )?;
        progress("invoicing the first year (20 % of the sessions) …");
        invoice_first_year(&mut v)?;
        generate_s = t.elapsed().as_secs_f64();
        v.store().export_plain_twin(&plain)?;
        v.lock()?;
        crate::fsutil::write_atomic(&root.join("ready"), tag.as_bytes())?;
    }
    let mut figures = Vec::new();

    progress("unlock …");
    let enc = time(5.min(opts.reps), |_| {
        let v = open(&data, &home)?;
        v.records().clients(&ClientQuery::default()).map(|_| ())
    })?;
    let pl = time(5.min(opts.reps), |_| {
        Store::open_plain_twin(&plain)?.read().clients(&ClientQuery::default()).map(|_| ())
    })?;
    figures.push(Figure {
        name: "unlock (KDF + open + first page; plain: open + first page)".into(),
        goal: "≤ 1000 ms".into(),
        plain: pl,
        encrypted: enc,
    });

    let mut vault = open(&data, &home)?;
    let twin = Store::open_plain_twin(&plain)?;
    let database_mb = std::fs::metadata(vault.working_dir().database()).map_or(0.0, |m| m.len() as f64 / 1e6);
    let (clients, _) = vault.records().clients(&ClientQuery { limit: 1000, ..Default::default() })?;
    let ids: Vec<ClientId> = clients.iter().map(|c| c.id).collect();
    let today = vault.records().today()?;
    let tz = vault.records().practice()?.tz()?;
    let week_start =
        today.checked_add(1.day()).unwrap_or(today).to_zoned(tz.clone()).map(|z| z.timestamp()).unwrap_or_default();
    let week_end = week_start.checked_add(jiff::SignedDuration::from_hours(24 * 7)).unwrap_or(week_start);

    let n_ids = ids.len().max(1) as u32;
    let year_start = first_month(&vault)?;
    let year_end = year_start.checked_add(11.months()).unwrap_or(year_start).last_of_month();
    let queries: Vec<(&str, &str, Query<'_>)> = vec![
        (
            "client list, first page by name",
            "≤ 16 ms p95",
            Box::new(|r, _| r.clients(&ClientQuery::default()).map(|_| ())),
        ),
        (
            "client timeline (appointments, sessions, invoices)",
            "≤ 16 ms p95",
            Box::new(|r, i| {
                let c = ids[(i % n_ids) as usize];
                r.appointments_of(c, 200)?;
                r.invoices(
                    &crate::store::InvoiceQuery { client: Some(c), drafts: true, issued: true, ..Default::default() },
                    today,
                )?;
                r.sessions_of(c, 200).map(|_| ())
            }),
        ),
        ("calendar week", "≤ 16 ms p95", Box::new(|r, _| r.appointments_between(week_start, week_end).map(|_| ()))),
        ("search: rare word", "≤ 30 ms p95", Box::new(|r, _| r.search(demo::RARE_WORD, 20).map(|_| ()))),
        ("search: common word (most notes)", "≤ 30 ms p95", Box::new(|r, _| r.search("die", 20).map(|_| ()))),
        ("search: prefix", "≤ 30 ms p95", Box::new(|r, _| r.search("Schlaf*", 20).map(|_| ()))),
        (
            "search: two-word phrase",
            "≤ 30 ms p95",
            Box::new(|r, _| r.search("\"therapeutische Beziehung\"", 20).map(|_| ())),
        ),
        ("search: name with umlaut", "≤ 30 ms p95", Box::new(|r, _| r.search("Jürgen", 20).map(|_| ()))),
        (
            "revenue: one month",
            "≤ 16 ms p95",
            Box::new(|r, _| r.revenue(year_start, year_start.last_of_month()).map(|_| ())),
        ),
        ("revenue: one year by month", "≤ 16 ms p95", Box::new(|r, _| r.revenue(year_start, year_end).map(|_| ()))),
        (
            "before: common word ranked by bm25, full count",
            "(old design)",
            Box::new(|r, _| r.search_sessions_ranked_all("die", 20).map(|_| ())),
        ),
    ];
    for (name, goal, q) in &queries {
        progress(name);
        let reps = if goal.starts_with('(') { opts.reps.min(20) } else { opts.reps };
        // One untimed pass each, so both start from a warm page cache.
        q(&twin.read(), 0)?;
        q(&vault.store().read(), 0)?;
        let plain = time(reps, |i| q(&twin.read(), i))?;
        let encrypted = time(reps, |i| q(&vault.store().read(), i))?;
        figures.push(Figure { name: (*name).into(), goal: (*goal).into(), plain, encrypted });
    }

    progress("month-end run …");
    figures.extend(month_end(&root, &data, &home, year_start.checked_add(12.months()).unwrap_or(year_start))?);

    progress("snapshot …");
    let enc = time(3, |_| vault.snapshot_now().map(|_| ()))?;
    let tmp = root.join("plain-snapshot.db");
    let pl = time(3, |_| {
        let _ = std::fs::remove_file(&tmp);
        twin.vacuum_into(&tmp)
    })?;
    let _ = std::fs::remove_file(&tmp);
    figures.push(Figure { name: "snapshot (VACUUM INTO)".into(), goal: "—".into(), plain: pl, encrypted: enc });
    Ok(BenchReport { clients: opts.clients, sessions: opts.sessions, generate_s, database_mb, figures })
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct SyncFigures {
    /// Bytes written to the data folder for one typical edit (a client's address), per edit.
    pub segment_bytes: Stats,
    /// From a segment landing in the data folder to the change being readable on the other
    /// device (file watcher, merge), in ms.
    pub arrival_to_visible: Stats,
}

/// Two devices on one data folder: the cost of a typical edit in bytes and how soon it shows.
pub fn sync_figures(dir: &Path, reps: u32) -> Result<SyncFigures> {
    use std::sync::{mpsc, Arc, Mutex};
    let root = dir.join("sync");
    let _ = std::fs::remove_dir_all(&root);
    let (data, home_a, home_b) = (root.join("data"), root.join("a"), root.join("b"));
    let copts = CreateOptions { kdf_target: Duration::ZERO, local_root: Some(home_a.clone()), ..Default::default() };
    let (mut a, _) = Vault::create(&data, &SecretString::from(PASSWORD), &copts)?;
    demo::generate(&mut a, &DemoOptions { clients: 50, sessions: 500, years: 1, seed: 2 }, |_| {})?;
    a.sync_now()?;
    let b = Arc::new(Mutex::new(open(&data, &home_b)?));
    let (tx, rx) = mpsc::channel::<Instant>();
    let watched = b.clone();
    let own = crate::sync::watch::OwnFiles::new(&data, &b.lock().map_err(|_| crate::Error::Locked)?.device().id);
    let _watcher = crate::sync::watch::FolderWatcher::start(
        &data,
        own,
        Duration::from_millis(50),
        Duration::from_secs(30),
        move || {
            if let Ok(mut v) = watched.lock() {
                if v.merge_incoming().is_ok_and(|r| !r.applied.is_empty()) {
                    let _ = tx.send(Instant::now());
                }
            }
        },
    )?;
    let (clients, _) = a.records().clients(&ClientQuery::default())?;
    let mut bytes = Vec::new();
    let mut latency = Vec::new();
    for i in 0..reps.min(50) {
        let c = clients[i as usize % clients.len()].id;
        let mut input = a.records().client(c)?.data;
        input.street = format!("Neubaugasse {i}");
        a.records_mut().update_client(c, input)?;
        while rx.try_recv().is_ok() {}
        let path = a.write_segment()?.ok_or(crate::Error::NoSnapshot)?;
        let landed = Instant::now();
        bytes.push(Duration::from_micros(std::fs::metadata(&path).map_or(0, |m| m.len())));
        let seen = rx.recv_timeout(Duration::from_secs(10)).map_err(|_| crate::Error::NoSnapshot)?;
        latency.push(seen.duration_since(landed));
        let street =
            b.lock().map(|v| v.records().client(c).map(|x| x.data.street)).map_err(|_| crate::Error::Locked)??;
        if street != format!("Neubaugasse {i}") {
            return Err(crate::Error::NoSnapshot);
        }
    }
    // Sizes ride in Duration's microseconds so one percentile helper serves both.
    let size = Stats::of(bytes);
    let segment_bytes = Stats { p50_ms: size.p50_ms * 1000.0, p95_ms: size.p95_ms * 1000.0, n: size.n };
    Ok(SyncFigures { segment_bytes, arrival_to_visible: Stats::of(latency) })
}

/// The report as a Markdown table (for docs/PERFORMANCE.md).
pub fn markdown(r: &BenchReport) -> String {
    let mut s = format!(
        "Machine: {}.\n\nPractice: {} clients, {} sessions; encrypted database {:.0} MB.\n\n| figure | goal | plain p50 / p95 (ms) | encrypted p50 / p95 (ms) | ratio (p50) |\n|---|---|---|---|---|\n",
        machine(), r.clients, r.sessions, r.database_mb
    );
    for f in &r.figures {
        let plain = if f.plain.n > 0 { format!("{:.2} / {:.2}", f.plain.p50_ms, f.plain.p95_ms) } else { "—".into() };
        let ratio = f.ratio().map_or("—".into(), |x| format!("{x:.2}"));
        s.push_str(&format!(
            "| {} | {} | {plain} | {:.2} / {:.2} | {ratio} |\n",
            f.name, f.goal, f.encrypted.p50_ms, f.encrypted.p95_ms
        ));
    }
    // The app's workload: every screen and search figure once (not unlock or snapshot, which
    // are dominated by the KDF and by bulk copying).
    let screens: Vec<&Figure> = r.figures.iter().filter(|f| f.goal.contains("ms p95")).collect();
    let plain: f64 = screens.iter().map(|f| f.plain.p50_ms).sum();
    let enc: f64 = screens.iter().map(|f| f.encrypted.p50_ms).sum();
    s.push_str(&format!(
        "| workload: all screens and searches once | ratio ≤ 1.25 | {plain:.2} | {enc:.2} | {:.2} |\n",
        if plain > 0.0 { enc / plain } else { 0.0 }
    ));
    s
}

/// The machine, for the report's heading.
pub fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|s| s.trim().to_string())
        })
        .unwrap_or_else(|| std::env::consts::ARCH.to_string());
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    format!("{cpu}, {cores} cores, {}", std::env::consts::OS)
}

/// Peak resident memory of this process so far, in KiB (Linux; `None` elsewhere).
pub fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status.lines().find(|l| l.starts_with("VmHWM:"))?.split_whitespace().nth(1)?.parse().ok()
}
