//! The window's billing forms on real files: a draft's payer chosen on its page (issued with
//! that payer's current address, refused once issued), and a service's fee schedule previewed
//! by the core with each wrong field named.

mod common;

use common::*;
use jiff::civil::date;
use tresor::billing::{BillTo, PayerRole, Split};
use tresor::domain::client::{ClientInput, Party};
use tresor::domain::money::Cents;
use tresor::domain::service::{FeeForm, FeeSchedule, ServiceInput, TaxMode};
use tresor::domain::{ClientId, Country, Field};
use tresor::error::Problem;
use tresor::{Error, Vault};

fn child(v: &mut Vault) -> ClientId {
    let mut c = ClientInput::with_full_name("Lena Kind");
    c.street = "Lindengasse 5".into();
    c.postal_code = "1070".into();
    c.city = "Wien".into();
    c.guardian = Some(Party {
        name: "Maria Kind".into(),
        street: "Hauptstraße 1".into(),
        postal_code: "8010".into(),
        city: "Graz".into(),
        ..Default::default()
    });
    v.records_mut().add_client(c).unwrap()
}

#[test]
fn a_drafts_payer_chosen_on_its_page_is_the_one_issued_and_then_frozen() {
    let w = World::new();
    let (mut v, _) = w.create_vault();
    setup_practice(&mut v, Country::AT);
    let c = child(&mut v);
    billable_session(&mut v, c, date(2026, 3, 2), 9000);
    let id = v.billing_mut().draft_invoice(c, None, None).unwrap()[0];

    // The client record has a guardian but no insurer and no other payer.
    let view = v.billing().invoice_view(id).unwrap();
    let offered: Vec<_> = view.payer_choices.iter().map(|p| (p.role.as_str(), p.name.as_str())).collect();
    assert_eq!(offered, [("client", "Lena Kind"), ("guardian", "Maria Kind")]);
    assert_eq!(view.payer_role, "client");

    v.billing_mut().set_draft_payer(id, PayerRole::Guardian).unwrap();
    let view = v.billing().invoice_view(id).unwrap();
    assert_eq!((view.payer_role.as_str(), view.payer_name.as_str()), ("guardian", "Maria Kind"));

    // No insurer in the record: the field to fill in is named and the draft keeps its payer.
    let e = v.billing_mut().set_draft_payer(id, PayerRole::Insurer).unwrap_err();
    assert_eq!(e.fields(), vec![(Field::Insurer, Problem::Required)], "{e}");
    assert_eq!(v.billing().invoice(id).unwrap().payer.party.name, "Maria Kind");

    // The guardian moves before issuing: the invoice prints the address of today, and the
    // client's bill-to (still "the client") does not make the chosen payer "changed".
    let mut input = v.records().client(c).unwrap().data;
    input.guardian.as_mut().unwrap().street = "Neue Gasse 7".into();
    v.records_mut().update_client(c, input).unwrap();
    let number = v.billing_mut().issue_invoice(id, Some(date(2026, 3, 31))).unwrap();
    let issued = v.billing().invoice_by_number(&number).unwrap();
    assert_eq!((issued.payer.role, issued.payer.party.street.as_str()), (PayerRole::Guardian, "Neue Gasse 7"));

    // Issued: the payer can no longer change, and nothing is offered.
    let e = v.billing_mut().set_draft_payer(id, PayerRole::Client).unwrap_err();
    assert!(matches!(e, Error::Immutable { .. }), "{e}");
    assert_eq!(e.code(), "record.immutable");
    assert_eq!(v.billing().invoice(id).unwrap().payer.role, PayerRole::Guardian);
    assert!(v.billing().invoice_view(id).unwrap().payer_choices.is_empty());
}

#[test]
fn a_share_of_a_split_bill_keeps_its_payer() {
    let w = World::new();
    let (mut v, _) = w.create_vault();
    setup_practice(&mut v, Country::AT);
    let c = child(&mut v);
    let other = Party { name: "Peter Kind".into(), city: "Linz".into(), ..Default::default() };
    let split = Some(Split { party: other, share_bp: 4000 });
    v.billing_mut().set_bill_to(c, &BillTo { role: PayerRole::Guardian, party: None, split }).unwrap();
    billable_session(&mut v, c, date(2026, 3, 2), 9000);
    let ids = v.billing_mut().draft_invoice(c, None, None).unwrap();
    assert!(v.billing().invoice_view(ids[0]).unwrap().payer_choices.is_empty());
    let e = v.billing_mut().set_draft_payer(ids[0], PayerRole::Client).unwrap_err();
    assert_eq!(e.fields(), vec![(Field::Payer, Problem::NotAllowed)], "{e}");
    assert_eq!(v.billing().invoice(ids[0]).unwrap().payer.role, PayerRole::Guardian);
}

fn form(schedule: FeeSchedule, number: &str, points: &str, multiplier: &str) -> FeeForm {
    FeeForm { schedule, number: number.into(), points: points.into(), multiplier: multiplier.into() }
}

#[test]
fn the_core_computes_a_services_goae_fee_and_names_each_wrong_field() {
    let w = World::new();
    let (mut v, _) = w.create_vault();
    setup_practice(&mut v, Country::DE);

    // Nr. 870 from the catalogue: 750 points at 2,3 = 100,55 € (rounded once).
    let p = v.records().preview_service_fee(&form(FeeSchedule::Goae, "870", "", "")).unwrap();
    assert_eq!((p.fee.points, p.fee.multiplier.0, p.price), (750, 230, Some(Cents::new(10055))));
    assert_eq!(p.multiplier, "2,3");
    assert!(p.text.contains("Verhaltenstherapie"), "{}", p.text);
    // Typed points and a lower rate: 750 × 5,82873 ct × 1,8 = 78,69 €.
    let p = v.records().preview_service_fee(&form(FeeSchedule::Goae, "870", "750", "1,8")).unwrap();
    assert_eq!(p.price, Some(Cents::new(7869)));

    let e = v.records().preview_service_fee(&form(FeeSchedule::Goae, "870", "viel", "zwei")).unwrap_err();
    assert_eq!(e.fields(), vec![(Field::FeePoints, Problem::BadFormat), (Field::FeeMultiplier, Problem::BadFormat)]);
    // Above the threshold the reason belongs on the session's line, not the service.
    let e = v.records().preview_service_fee(&form(FeeSchedule::Goae, "870", "", "3,5")).unwrap_err();
    assert_eq!(e.fields(), vec![(Field::FeeMultiplier, Problem::OutOfRange)]);
    let e = v.records().preview_service_fee(&form(FeeSchedule::Goae, "", "", "")).unwrap_err();
    assert_eq!(e.fields(), vec![(Field::FeeNumber, Problem::Required)]);
    let e = v.records().preview_service_fee(&form(FeeSchedule::Goae, "9999", "", "")).unwrap_err();
    assert_eq!(e.fields(), vec![(Field::FeeNumber, Problem::UnknownValue)]);

    // What the preview returns is what saving stores: the price is the core's, not the typed one.
    let fee = v.records().preview_service_fee(&form(FeeSchedule::Goae, "870", "", "")).unwrap().fee;
    let input = ServiceInput {
        name: "Verhaltenstherapie".into(),
        code: String::new(),
        minutes: 50,
        price: Cents::new(1),
        tax: TaxMode::DeExempt,
        fee,
        retired: false,
    };
    let id = v.records_mut().add_service(input).unwrap();
    assert_eq!(v.records().service(id).unwrap().data.price, Cents::new(10055));

    // An Austrian practice bills no GOÄ.
    let w2 = World::new();
    let (mut at, _) = w2.create_vault();
    setup_practice(&mut at, Country::AT);
    let e = at.records().preview_service_fee(&form(FeeSchedule::Goae, "870", "", "")).unwrap_err();
    assert_eq!(e.fields(), vec![(Field::FeeSchedule, Problem::NotAllowed)]);
}
