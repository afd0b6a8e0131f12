//! Locking the app while the month-end run issues (issue 14): the run stops before its next
//! invoice and keeps nothing — no number used, every draft of the run gone — and says so
//! (`billing.run_cancelled`); after unlocking, the same month can be run again in full.

use jiff::ToSpan;
use tresor::domain::{ClientInput, Country, PracticeUpdate, SessionInput};
use tresor_desktop::billing as b;
use tresor_desktop::handlers::{self as h, Secret};
use tresor_desktop::state::Shell;

#[test]
fn a_lock_during_the_month_run_leaves_nothing_issued_and_the_run_can_be_repeated() {
    let dir = tempfile::tempdir().unwrap();
    // The core puts working copies under TRESOR_HOME; this is the only test in this binary.
    std::env::set_var("TRESOR_HOME", dir.path().join("home"));
    let folder = dir.path().join("Datenordner");
    let password = "Sonnenblume am Fenster 7";
    let shell = Shell::new(None);
    h::create_vault(&shell, &folder, password.into(), Country::AT).unwrap();
    h::update_practice(
        &shell,
        &PracticeUpdate {
            practitioner_name: Some("Mag. Anna Huber".into()),
            street: Some("Währinger Straße 12/3".into()),
            postal_code: Some("1090".into()),
            city: Some("Wien".into()),
            tax_number: Some("12 345/6789".into()),
            iban: Some("AT61 1904 3002 3457 3201".into()),
            bic: Some("GIBAATWWXXX".into()),
            ..Default::default()
        },
    )
    .unwrap();
    let first = h::today(&shell).unwrap().first_of_month().checked_sub(1.month()).unwrap();
    let mut clients = Vec::new();
    for name in ["Bärbel Größ", "Jörg Öztürk", "Anna Berger"] {
        let mut c = ClientInput::with_full_name(name);
        c.street = "Lindengasse 5".into();
        c.postal_code = "1070".into();
        c.city = "Wien".into();
        let client = h::add_client(&shell, c).unwrap();
        h::add_session(
            &shell,
            SessionInput {
                client_id: client,
                appointment_id: None,
                service_id: None,
                date: first.checked_add(3.days()).unwrap(),
                minutes: Some(50),
                fee: Some(tresor::domain::Cents::new(9000)),
                setting: None,
                group_size: None,
                note: String::new(),
            },
        )
        .unwrap();
        clients.push(client);
    }
    let month = first.strftime("%Y-%m").to_string();

    // The user locks (by hand or idle) after the first of three invoices was issued.
    let mut seen = Vec::new();
    let e = b::issue_month(&shell, &month, &clients, None, |done, total| {
        seen.push((done, total));
        if done == 1 {
            assert!(shell.lock_now(), "the vault was open");
        }
    })
    .unwrap_err();
    assert_eq!(e.code, "billing.run_cancelled", "{e:?}");
    assert_eq!(seen, vec![(0, 3), (1, 3)], "stopped before the second invoice");
    assert!(!shell.is_unlocked());

    // Unlocked again: nothing of the run is there, and the month runs in full.
    h::unlock(&shell, &folder, Secret::Password(password.into()), &mut |_| {}).unwrap();
    let preview = b::month_preview(&shell, &month).unwrap();
    assert_eq!(preview.drafts.len(), 3, "every client is still unbilled");
    let out = b::issue_month(&shell, &month, &clients, None, |_, _| {}).unwrap();
    let numbers: Vec<&str> = out.issued.iter().map(|i| i.number.as_str()).collect();
    assert_eq!(numbers.len(), 3);
    assert!(numbers[0].ends_with("0001"), "the first number was not used by the cancelled run: {numbers:?}");
}
