//! `cargo bench`: the small practice's figures (the large and huge ones take minutes; run them
//! with `cargo run --release -- bench --size large`).

fn main() {
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("bench");
    let opts = tresor::bench::BenchOptions { dir: dir.clone(), clients: 100, sessions: 5_000, reps: 100 };
    match tresor::bench::run(&opts, |step| eprintln!("bench: {step}")) {
        Ok(report) => println!("{}", tresor::bench::markdown(&report)),
        Err(e) => {
            eprintln!("bench failed: {e}");
            std::process::exit(1);
        }
    }
    match tresor::bench::sync_figures(&dir, 30) {
        Ok(s) => println!(
            "sync: {} bytes per edit (p50), landed → visible p50 {:.0} ms",
            s.segment_bytes.p50_ms, s.arrival_to_visible.p50_ms
        ),
        Err(e) => eprintln!("sync figures failed: {e}"),
    }
}
