//! German private fees (§ 12 GOÄ, applied to psychotherapists by the GOP): the items a
//! psychotherapy practice bills most, the analog items of the 2024 joint recommendation, the
//! point value, how a fee is computed and rounded, and what a line above the threshold needs.
//!
//! **Rounding rule.** A fee is points × point value × multiplier, computed exactly in integers
//! (point value 5,82873 ct = 582 873 / 100 000 ct, multiplier in hundredths) and rounded once,
//! after the multiplication, to a whole cent, half up (§ 5 Abs. 1 S. 4 GOÄ; the BMG's reading
//! of 14.02.2002 of a single commercial rounding). So Nr. 870 at 2,3 is 100,55 € (not 100,56 €,
//! which rounding the single rate first to 43,72 € would give).
//!
//! **Sources** (every number below; `tresor service catalogue` lists the items):
//! - Point value: § 5 Abs. 1 S. 3 GOÄ, "5,82873 Cent" (quoted by MMW, Springer, 10.1007/s15006-014-2699-1).
//! - Points, GOÄ section G: e-bis.de/goae/Goae00000045.html (800–812, with single and 2,3-fold
//!   amounts); Nr. 849: virchowbund.de ("Punkte: 230"); Nr. 860, 861, 3, 1: amounts at 2,3 on
//!   psychotherapie-kendel.de (123,33 / 92,50 / 20,10 / 10,72 €); Nr. 863: dr-landis.de (same
//!   fee as 861); Nr. 870: medalis.de (43,72 / 100,55 / 153,00 €); Nr. 855: deutschesarztportal.de
//!   (single rate 42,08 €); Nr. 85 and 817: edv-medizin.de (67,03 / 24,13 € at 2,3, quoted for
//!   the analog items that inherit their points).
//! - Not confirmed by a source found in this session, taken from the GOÄ as published
//!   (`verified: false`, said so on the item and in the docs): 856, 857, 862, 864, 865, 871.
//! - Nr. 858 is not shipped: the GOÄ's section G goes 855, 856, 857, 860 (bbpp.de's extract of
//!   section G), there is no item 858.
//! - Analog items: the joint recommendation of BÄK, BPtK, PKV-Verband and Beihilfe, in force
//!   since 1 July 2024 (bdpm-online.de, ptk-saar.de, bptk.de FAQ); legends and amounts from
//!   deutschesarztportal.de ("GOÄ – es gibt neue analoge Leistungen für die Psychotherapie") and
//!   edv-medizin.de ("Abrechnungsempfehlungen GOÄ"); the rule that they are billed at their
//!   recommended rate (2,3, diagnostics 1,8) and no higher: psychotherapie-natter.de quoting the
//!   recommendation. The group item (A 812 g) is `verified: false`: its wording was found in one
//!   secondary source only.

use jiff::civil::Date;

use crate::domain::money::Cents;
use crate::domain::service::{FeeSchedule, Multiplier, ServiceFee};
use crate::domain::Field;
use crate::error::{Error, Problem, Result};

/// § 5 Abs. 1 S. 3 GOÄ: 5,82873 Cent, here in 1/100 000 cent.
pub const POINT_VALUE_E5_CENT: u64 = 582_873;

/// One item of a fee schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Item {
    /// What a person types to choose it: "870", "A812s".
    pub key: &'static str,
    pub schedule: FeeSchedule,
    /// The number as the invoice prints it: "870", "A 812".
    pub number: &'static str,
    /// For an analog item: the GOÄ item it is billed "entsprechend" (§ 6 Abs. 2 GOÄ).
    pub analog_of: &'static str,
    pub points: u32,
    /// The usual multiplier: 2,3 (1,8 for the recommendation's diagnostics).
    pub multiplier: Multiplier,
    /// The highest multiplier without a fee agreement: 3,5 for GOÄ items, the recommended
    /// rate for analog items.
    pub max: Multiplier,
    /// The designation § 12 Abs. 2 Nr. 2 GOÄ asks for, with its minimum duration.
    pub text: &'static str,
    pub source: &'static str,
    /// False where the points were not confirmed by a second source (see the module docs).
    pub verified: bool,
}

const G: FeeSchedule = FeeSchedule::Goae;
const A: FeeSchedule = FeeSchedule::Analog;
const M23: Multiplier = Multiplier(230);
const M18: Multiplier = Multiplier(180);
const M35: Multiplier = Multiplier(350);

const fn goae(key: &'static str, points: u32, text: &'static str, source: &'static str, verified: bool) -> Item {
    Item { key, schedule: G, number: key, analog_of: "", points, multiplier: M23, max: M35, text, source, verified }
}

#[expect(clippy::too_many_arguments, reason = "one row of the fee table, written as a call per row")]
const fn analog(
    key: &'static str,
    number: &'static str,
    of: &'static str,
    points: u32,
    m: Multiplier,
    text: &'static str,
    source: &'static str,
    verified: bool,
) -> Item {
    Item { key, schedule: A, number, analog_of: of, points, multiplier: m, max: m, text, source, verified }
}

const EBIS: &str = "e-bis.de/goae/Goae00000045.html";

/// The items shipped: GOÄ sections B and G as psychotherapists bill them, then the analog
/// items of the 2024 recommendation.
pub const CATALOGUE: &[Item] = &[
    goae("1", 80, "Beratung, auch mittels Fernsprecher", "psychotherapie-kendel.de (10,72 € at 2,3)", true),
    goae(
        "3",
        150,
        "Eingehende, das gewöhnliche Maß übersteigende Beratung, auch mittels Fernsprecher, Dauer mindestens 10 Minuten",
        "psychotherapie-kendel.de (20,10 € at 2,3)",
        true,
    ),
    goae(
        "85",
        500,
        "Schriftliche gutachtliche Äußerung mit einem das gewöhnliche Maß übersteigenden Aufwand, je angefangene Stunde Arbeitszeit",
        "edv-medizin.de (67,03 € at 2,3)",
        true,
    ),
    goae(
        "801",
        250,
        "Eingehende psychiatrische Untersuchung, gegebenenfalls unter Einschaltung der Bezugs- und/oder Kontaktperson",
        EBIS,
        true,
    ),
    goae("804", 150, "Psychiatrische Behandlung durch eingehendes therapeutisches Gespräch, auch mit gezielter Exploration", EBIS, true),
    goae(
        "806",
        250,
        "Psychiatrische Behandlung durch gezielte Exploration und eingehendes therapeutisches Gespräch, auch in akuter Konfliktsituation, Mindestdauer 20 Minuten",
        EBIS,
        true,
    ),
    goae(
        "807",
        400,
        "Erhebung einer biographischen psychiatrischen Anamnese bei Kindern oder Jugendlichen unter Einschaltung der Bezugs- und Kontaktpersonen mit schriftlicher Aufzeichnung, auch in mehreren Sitzungen",
        EBIS,
        true,
    ),
    goae(
        "808",
        400,
        "Einleitung oder Verlängerung der tiefenpsychologisch fundierten oder der analytischen Psychotherapie einschließlich Antrag im Gutachterverfahren",
        EBIS,
        true,
    ),
    goae(
        "812",
        500,
        "Psychiatrische Notfallbehandlung bei Suizidversuch und anderer psychischer Dekompensation durch sofortige Intervention und eingehendes therapeutisches Gespräch",
        EBIS,
        true,
    ),
    goae(
        "817",
        180,
        "Eingehende psychiatrische Beratung der Bezugsperson psychisch gestörter Kinder oder Jugendlicher",
        "edv-medizin.de (24,13 € at 2,3 for the analog item)",
        true,
    ),
    goae(
        "849",
        230,
        "Psychotherapeutische Behandlung bei psychoreaktiven, psychosomatischen oder neurotischen Störungen, Dauer mindestens 20 Minuten",
        "virchowbund.de (230 Punkte)",
        true,
    ),
    goae(
        "855",
        722,
        "Anwendung und Auswertung projektiver Testverfahren mit schriftlicher Aufzeichnung, insgesamt",
        "deutschesarztportal.de (single rate 42,08 €)",
        true,
    ),
    goae(
        "856",
        361,
        "Anwendung und Auswertung standardisierter Intelligenz- und Entwicklungstests mit schriftlicher Aufzeichnung, insgesamt",
        "GOÄ Anlage, not confirmed by a second source",
        false,
    ),
    goae(
        "857",
        116,
        "Anwendung und Auswertung orientierender Testuntersuchungen, insgesamt",
        "GOÄ Anlage, not confirmed by a second source",
        false,
    ),
    goae(
        "860",
        920,
        "Erhebung einer biographischen Anamnese unter neurosenpsychologischen Gesichtspunkten mit schriftlicher Aufzeichnung, auch in mehreren Sitzungen",
        "psychotherapie-kendel.de (123,33 € at 2,3)",
        true,
    ),
    goae(
        "861",
        690,
        "Tiefenpsychologisch fundierte Psychotherapie, Einzelbehandlung, Dauer mindestens 50 Minuten",
        "psychotherapie-kendel.de (92,50 € at 2,3)",
        true,
    ),
    goae(
        "862",
        345,
        "Tiefenpsychologisch fundierte Psychotherapie, Gruppenbehandlung mit höchstens acht Teilnehmern, Dauer mindestens 100 Minuten, je Teilnehmer",
        "GOÄ Anlage, not confirmed by a second source",
        false,
    ),
    goae(
        "863",
        690,
        "Analytische Psychotherapie, Einzelbehandlung, Dauer mindestens 50 Minuten",
        "dr-landis.de (same fee as Nr. 861)",
        true,
    ),
    goae(
        "864",
        345,
        "Analytische Psychotherapie, Gruppenbehandlung mit höchstens acht Teilnehmern, Dauer mindestens 100 Minuten, je Teilnehmer",
        "GOÄ Anlage, not confirmed by a second source",
        false,
    ),
    goae(
        "865",
        345,
        "Besprechung mit dem nichtärztlichen Psychotherapeuten über die Fortsetzung der Behandlung",
        "GOÄ Anlage, not confirmed by a second source",
        false,
    ),
    goae(
        "870",
        750,
        "Verhaltenstherapie, Einzelbehandlung, Dauer mindestens 50 Minuten",
        "medalis.de (43,72 / 100,55 / 153,00 €)",
        true,
    ),
    goae(
        "871",
        150,
        "Verhaltenstherapie, Gruppenbehandlung mit höchstens acht Teilnehmern, Dauer mindestens 50 Minuten, je Teilnehmer",
        "GOÄ Anlage, not confirmed by a second source",
        false,
    ),
    analog(
        "A85",
        "A 85",
        "85",
        500,
        M23,
        "Verfahrensspezifischer Bericht an die Gutachterin oder den Gutachter, je angefangene Stunde Arbeitszeit",
        "Abrechnungsempfehlung 2024; edv-medizin.de (67,03 €)",
        true,
    ),
    analog(
        "A801",
        "A 801",
        "801",
        250,
        M23,
        "Erhebung des aktuellen psychischen Befundes",
        "Abrechnungsempfehlung 2024; edv-medizin.de (33,52 €)",
        true,
    ),
    analog(
        "A804",
        "A 804",
        "804",
        150,
        M23,
        "Psychotherapeutische Behandlung durch eingehendes therapeutisches Gespräch",
        "Abrechnungsempfehlung 2024; edv-medizin.de (20,11 €)",
        true,
    ),
    analog(
        "A804d",
        "A 804",
        "804",
        150,
        M23,
        "Einbindung einer die Psychotherapie spezifisch ergänzenden oder unterstützenden digitalen Gesundheitsanwendung (DiGA)",
        "Abrechnungsempfehlung 2024; deutschesarztportal.de (single rate 8,74 €)",
        true,
    ),
    analog(
        "A807",
        "A 807",
        "807",
        400,
        M23,
        "Vertiefte Exploration mit schriftlicher Aufzeichnung, einmal im Behandlungsfall",
        "Abrechnungsempfehlung 2024; edv-medizin.de (53,62 €)",
        true,
    ),
    analog(
        "A812s",
        "A 812",
        "812",
        500,
        M23,
        "Psychotherapeutische Sprechstunde, je vollendete 25 Minuten",
        "Abrechnungsempfehlung 2024; bdpm-online.de, edv-medizin.de",
        true,
    ),
    analog(
        "A812a",
        "A 812",
        "812",
        500,
        M23,
        "Psychotherapeutische Akutbehandlung, je vollendete 25 Minuten",
        "Abrechnungsempfehlung 2024; bdpm-online.de, ptk-saar.de",
        true,
    ),
    analog(
        "A812k",
        "A 812",
        "812",
        500,
        M23,
        "Psychotherapeutische Kurzzeittherapie, Einzelbehandlung, je vollendete 25 Minuten",
        "Abrechnungsempfehlung 2024; bdpm-online.de, ptk-saar.de",
        true,
    ),
    analog(
        "A812g",
        "A 812",
        "812",
        500,
        M23,
        "Gruppenpsychotherapeutische Kurzzeittherapie, je vollendete 50 Minuten, je Teilnehmer",
        "Abrechnungsempfehlung 2024; edv-medizin.de only, wording not confirmed",
        false,
    ),
    analog(
        "A817",
        "A 817",
        "817",
        180,
        M23,
        "Eingehende psychotherapeutische Beratung der Bezugsperson(en) anhand erhobener Befunde",
        "Abrechnungsempfehlung 2024; edv-medizin.de (24,13 €)",
        true,
    ),
    analog(
        "A855t",
        "A 855",
        "855",
        722,
        M18,
        "Durchführung, Auswertung und Besprechung einer psychologischen Testbatterie (mindestens drei Testverfahren), je Testbatterie",
        "Abrechnungsempfehlung 2024; deutschesarztportal.de (42,08 €), edv-medizin.de (75,75 €)",
        true,
    ),
    analog(
        "A855i",
        "A 855",
        "855",
        722,
        M18,
        "Anwendung eines validierten, standardisierten, strukturierten klinisch-diagnostischen Interviews",
        "Abrechnungsempfehlung 2024; edv-medizin.de (75,75 €)",
        true,
    ),
];

/// The catalogue item a person chose ("870", "a812s"), if Tresor ships it.
pub fn item(key: &str) -> Option<&'static Item> {
    let k = key.trim();
    CATALOGUE.iter().find(|i| i.key.eq_ignore_ascii_case(k))
}

/// The catalogue item behind a stored service or line: by schedule and printed number (and,
/// for the several items under "A 812", by points too, which agree among them).
pub fn item_for(fee: &ServiceFee) -> Option<&'static Item> {
    CATALOGUE.iter().find(|i| i.schedule == fee.schedule && i.number == fee.number.trim() && i.points == fee.points)
}

/// points × 5,82873 ct × multiplier, rounded once to whole cents, half up (see the module docs).
pub fn fee(points: u32, m: Multiplier) -> Result<Cents> {
    let exact = points as u128 * POINT_VALUE_E5_CENT as u128 * m.0 as u128;
    // exact is in 1/10 000 000 cent: 1/100 000 from the point value, 1/100 from the multiplier.
    let cents = (exact + 5_000_000) / 10_000_000;
    let c = i64::try_from(cents).map_err(|_| Error::AmountOverflow)?;
    Cents::new(c).bounded(Field::Price)
}

/// The fee of a service under its schedule, or its typed price where the schedule has none.
pub fn service_price(fee_spec: &ServiceFee, typed: Cents) -> Result<Cents> {
    if fee_spec.schedule.has_points() {
        fee(fee_spec.points, fee_spec.multiplier)
    } else {
        Ok(typed)
    }
}

/// The highest multiplier an item may have without a fee agreement.
pub fn max_without_agreement(fee_spec: &ServiceFee) -> Multiplier {
    match (fee_spec.schedule, item_for(fee_spec)) {
        (FeeSchedule::Analog, Some(i)) => i.max,
        _ => Multiplier::MAX,
    }
}

/// What § 5 and § 12 GOÄ ask of one billed item: a multiplier between 1,0 and the maximum; a
/// written reason above the threshold (2,3, or an analog item's recommended rate); above the
/// maximum only with a fee agreement (§ 2 GOÄ) made before the service was rendered.
pub fn check_line(
    fee_spec: &ServiceFee,
    reason: &str,
    agreement: Option<Date>,
    service_date: Option<Date>,
) -> Result<()> {
    if !fee_spec.schedule.has_points() {
        return Ok(());
    }
    let m = fee_spec.multiplier;
    if m < Multiplier::ONE || m > Multiplier::MAX_AGREED {
        return Err(Error::invalid(Field::FeeMultiplier, Problem::OutOfRange));
    }
    crate::domain::validate::line(Field::FeeReason, reason)?;
    let threshold = match fee_spec.schedule {
        FeeSchedule::Analog => max_without_agreement(fee_spec).min(Multiplier::THRESHOLD),
        _ => Multiplier::THRESHOLD,
    };
    let max = max_without_agreement(fee_spec);
    if m > max {
        let agreed_in_time = match (agreement, service_date) {
            (Some(a), Some(d)) => a <= d,
            (Some(_), None) => true,
            (None, _) => false,
        };
        if !agreed_in_time {
            return Err(Error::FeeAgreementRequired { multiplier: m, max });
        }
    }
    if m > threshold && reason.trim().is_empty() {
        return Err(Error::FeeReasonRequired { multiplier: m });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn fees_are_points_times_point_value_times_multiplier_rounded_once() {
        // (points, multiplier, cents): amounts quoted by the sources in the module docs.
        let table = [
            (750, 100, 4372),  // 870 single rate
            (750, 230, 10055), // 870 at 2,3 (100,55 €, not 100,56 €)
            (750, 350, 15300), // 870 at 3,5
            (250, 230, 3352),  // 801 analog at 2,3
            (150, 230, 2011),  // 804 at 2,3
            (500, 230, 6703),  // 812 / 85 at 2,3
            (180, 230, 2413),  // 817 at 2,3
            (722, 180, 7575),  // 855 analog at 1,8
            (722, 100, 4208),  // 855 single rate
            (690, 230, 9250),  // 861 at 2,3
            (690, 300, 12065), // 861 at 3,0
            (80, 230, 1072),   // 1 at 2,3
            (920, 230, 12334), // 860 at 2,3 (single rounding; 123,33 € rounds twice)
        ];
        for (points, m, cents) in table {
            assert_eq!(fee(points, Multiplier(m)).unwrap(), Cents::new(cents), "{points} × {m}");
        }
    }

    #[test]
    fn the_catalogue_is_consistent() {
        let mut keys: Vec<&str> = CATALOGUE.iter().map(|i| i.key).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), CATALOGUE.len(), "keys are unique");
        for i in CATALOGUE {
            assert!(i.points > 0 && !i.text.is_empty() && !i.source.is_empty(), "{}", i.key);
            assert!(i.multiplier <= i.max, "{}", i.key);
            let spec = ServiceFee {
                schedule: i.schedule,
                number: i.number.into(),
                points: i.points,
                multiplier: i.multiplier,
            };
            assert_eq!(item_for(&spec).map(|x| x.points), Some(i.points), "{}", i.key);
            if i.schedule == FeeSchedule::Analog {
                let of = item(i.analog_of).expect("an analog item refers to a shipped GOÄ item");
                assert_eq!(of.points, i.points, "{} inherits the points of Nr. {}", i.key, i.analog_of);
            }
        }
        for wanted in [
            "1", "3", "801", "804", "806", "808", "812", "849", "855", "856", "857", "860", "861", "862", "863", "864",
            "865", "870", "871",
        ] {
            assert!(item(wanted).is_some(), "Nr. {wanted} is shipped");
        }
        assert!(item("858").is_none(), "there is no GOÄ item 858");
        assert_eq!(item("a812S").map(|i| i.number), Some("A 812"));
    }

    #[test]
    fn reasons_and_agreements_are_required_where_goae_asks_for_them() {
        let spec = |m: u32| ServiceFee { schedule: G, number: "870".into(), points: 750, multiplier: Multiplier(m) };
        let d = Some(date(2026, 3, 2));
        assert!(check_line(&spec(230), "", None, d).is_ok());
        assert_eq!(check_line(&spec(300), "", None, d).unwrap_err().code(), "billing.fee_reason_required");
        assert!(check_line(&spec(300), "Erhöhter Zeitaufwand wegen akuter Krise", None, d).is_ok());
        assert_eq!(check_line(&spec(400), "Grund", None, d).unwrap_err().code(), "billing.fee_agreement_required");
        assert!(check_line(&spec(400), "Grund", Some(date(2026, 1, 10)), d).is_ok());
        let late = check_line(&spec(400), "Grund", Some(date(2026, 3, 3)), d).unwrap_err();
        assert_eq!(late.code(), "billing.fee_agreement_required", "an agreement after the session does not count");
        assert!(check_line(&spec(90), "", None, d).is_err());
        // Analog items are billed at their recommended rate at most (without an agreement).
        let a = ServiceFee { schedule: A, number: "A 855".into(), points: 722, multiplier: Multiplier(230) };
        assert_eq!(check_line(&a, "Grund", None, d).unwrap_err().code(), "billing.fee_agreement_required");
        let a18 = ServiceFee { multiplier: Multiplier(180), ..a };
        assert!(check_line(&a18, "", None, d).is_ok());
    }
}
