//! The information GDPR Art. 15(1) a–h requires beside the data itself (controller, purposes,
//! categories, recipients, storage period, rights, complaint, source, automated decisions),
//! written from the practice's country in the file's language. The PDF and the JSON both carry
//! these sections, so the portable copy answers the request on its own too.

use jiff::civil::Date;
use serde::Serialize;

use crate::domain::practice::Country;

use super::super::text::Locale;
use super::authority::Authority;
use super::ClientFileData;

/// Documentation is kept this many years after the last session (§ 630f Abs. 3 BGB; the
/// Austrian Psychotherapiegesetz 2024 asks the same).
pub const DOCUMENTATION_YEARS: u32 = 10;

/// Invoices are kept this many years after the end of the year they were issued in: § 132 BAO
/// (AT), § 147 Abs. 3 AO as amended for 2025 (DE).
pub fn invoice_years(country: Country) -> u32 {
    match country {
        Country::AT => 7,
        Country::DE => 8,
    }
}

/// What the file says beyond the records: the practice's settings and the retention rules.
#[derive(Debug, Clone)]
pub struct Disclosure {
    /// The day the last retention period of this client ends, when the retention rules have
    /// computed it; without it the file states the rules only.
    pub retention_end: Option<Date>,
    /// The practice's tax adviser, when one is configured; named as a recipient of invoices.
    pub tax_adviser: Option<String>,
    /// The practice's documentation period in years (its retention policy).
    pub documentation_years: u8,
    /// The authority a complaint goes to; `None` for a German practice without its Bundesland.
    pub authority: Option<Authority>,
}

impl Default for Disclosure {
    /// The rules as the law states them, for an Austrian practice.
    fn default() -> Self {
        Disclosure {
            retention_end: None,
            tax_adviser: None,
            documentation_years: DOCUMENTATION_YEARS as u8,
            authority: super::authority::authority(Country::AT, ""),
        }
    }
}

/// One section: a stable key (JSON), its heading and its paragraphs in the file's language.
#[derive(Debug, Clone, Serialize)]
pub struct Section {
    pub key: &'static str,
    pub heading: String,
    pub paragraphs: Vec<String>,
}

/// The stable keys, in the order the file shows them.
pub const KEYS: [&str; 9] = [
    "controller",
    "purposes",
    "categories",
    "recipients",
    "storage_period",
    "rights",
    "complaint",
    "source",
    "automated_decisions",
];

/// The Art. 15 sections for `f`, in `loc`'s language.
pub fn sections(f: &ClientFileData, loc: &Locale) -> Vec<Section> {
    let de = loc.de();
    let t = |g: &str, e: &str| -> String { loc.t(g, e).to_string() };
    let p = &f.practice;
    let at = p.country == Country::AT;
    let mut out = Vec::with_capacity(KEYS.len());

    let country = match (p.country, de) {
        (Country::AT, true) => "Österreich",
        (Country::AT, false) => "Austria",
        (Country::DE, true) => "Deutschland",
        (Country::DE, false) => "Germany",
    };
    let mut controller = vec![p.full_name()];
    for line in [&p.practice_name, &p.profession] {
        if !line.trim().is_empty() {
            controller.push(line.clone());
        }
    }
    let place = format!("{} {}", p.postal_code, p.city).trim().to_string();
    controller.push(
        [p.street.trim(), &place, country].iter().filter(|s| !s.is_empty()).cloned().collect::<Vec<_>>().join(", "),
    );
    if !p.email.trim().is_empty() {
        controller.push(format!("{}: {}", t("E-Mail", "Email"), p.email));
    }
    if !p.phone.trim().is_empty() {
        controller.push(format!("{}: {}", t("Telefon", "Phone"), p.phone));
    }
    out.push(Section { key: KEYS[0], heading: t("Verantwortliche Stelle", "Controller"), paragraphs: controller });

    let doc_law = match (at, de) {
        (true, true) => "Dokumentationspflicht nach dem Psychotherapiegesetz 2024",
        (true, false) => "duty to document under the Austrian Psychotherapy Act 2024",
        (false, true) => "Dokumentationspflicht nach § 630f BGB",
        (false, false) => "duty to document under § 630f BGB",
    };
    let tax_law = if at { "§ 132 BAO" } else { "§ 147 AO" };
    let purposes = if de {
        vec![
            format!("Psychotherapeutische Behandlung und ihre Dokumentation (Art. 9 Abs. 2 lit. h DSGVO; {doc_law})."),
            "Vereinbarung und Organisation von Terminen (Art. 6 Abs. 1 lit. b DSGVO).".to_string(),
            format!(
                "Abrechnung der Leistungen und Erfüllung der steuerlichen Aufbewahrungspflichten \
                 (Art. 6 Abs. 1 lit. b und c DSGVO; {tax_law})."
            ),
            "Nachvollziehbarkeit jeder Änderung (Änderungsprotokoll) zur Sicherheit der Verarbeitung (Art. 32 DSGVO)."
                .to_string(),
        ]
    } else {
        vec![
            format!("Psychotherapeutic treatment and its documentation (Art. 9(2)(h) GDPR; {doc_law})."),
            "Arranging and organising appointments (Art. 6(1)(b) GDPR).".to_string(),
            format!(
                "Billing the services and keeping the records tax law requires (Art. 6(1)(b) and (c) GDPR; {tax_law})."
            ),
            "Tracing every change (change journal) for the security of the processing (Art. 32 GDPR).".to_string(),
        ]
    };
    out.push(Section {
        key: KEYS[1],
        heading: t("Zwecke der Verarbeitung", "Purposes of the processing"),
        paragraphs: purposes,
    });

    let c = &f.client.data;
    let mut categories = vec![t(
        "Stamm- und Kontaktdaten (Name, Geburtsdatum, Adresse, E-Mail, Telefon)",
        "Identification and contact data (name, date of birth, address, email, phone)",
    )];
    if !c.insurer.trim().is_empty() || !c.insurance_number.trim().is_empty() || !c.insured_name.trim().is_empty() {
        categories.push(t("Versicherungsdaten", "Insurance data"));
    }
    if !c.diagnoses.is_empty() || !f.sessions.is_empty() || !c.treatment_method.trim().is_empty() {
        categories.push(t(
            "Gesundheitsdaten (Diagnosen, Dokumentation der Sitzungen mit allen Fassungen)",
            "Health data (diagnoses, documentation of the sessions with every revision)",
        ));
    }
    if !f.appointments.is_empty() {
        categories.push(t("Termine", "Appointments"));
    }
    if !f.invoices.is_empty() {
        categories.push(t("Rechnungs- und Zahlungsdaten", "Invoice and payment data"));
    }
    categories.push(t(
        "Änderungsprotokoll (wann welcher Datensatz geändert wurde)",
        "Change journal (when which record was changed)",
    ));
    out.push(Section {
        key: KEYS[2],
        heading: t("Kategorien der Daten", "Categories of data"),
        paragraphs: categories,
    });

    let mut recipients = Vec::new();
    if !c.insurer.trim().is_empty() {
        recipients.push(format!(
            "{} – {}",
            c.insurer.trim(),
            t(
                "Ihre Versicherung, soweit Leistungen mit ihr abgerechnet werden oder Sie eine Kostenerstattung beantragen.",
                "your insurer, as far as services are billed to it or you claim a refund.",
            )
        ));
    }
    let client_name = f.client.display_name();
    let mut payers: Vec<String> = Vec::new();
    for party in c.bill_to.iter().chain(f.invoices.iter().map(|(i, _)| &i.payer.party)) {
        let n = party.name.trim().to_string();
        if !n.is_empty() && n != client_name && !payers.contains(&n) && n != c.insurer.trim() {
            payers.push(n);
        }
    }
    for n in payers {
        recipients.push(format!("{n} – {}", t("Empfänger*in von Rechnungen.", "recipient of invoices.")));
    }
    if let Some(adviser) = f.disclosure.tax_adviser.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        recipients.push(format!(
            "{adviser} – {}",
            t("Steuerberatung der Praxis, nur Rechnungsdaten.", "the practice's tax adviser, invoice data only.")
        ));
    }
    recipients.push(t(
        "Finanzbehörden nur im Rahmen einer gesetzlich vorgesehenen Prüfung, nur Rechnungsdaten.",
        "Tax authorities only in an audit the law provides for, invoice data only.",
    ));
    recipients.push(t(
        "Ein Speicherdienst, über den die Praxis ihre Geräte abgleicht, erhält die Daten nur verschlüsselt und kann sie nicht lesen.",
        "A storage service the practice uses to keep its computers in step receives the data encrypted only and cannot read it.",
    ));
    out.push(Section { key: KEYS[3], heading: t("Empfänger", "Recipients"), paragraphs: recipients });

    let years = invoice_years(p.country);
    let doc_years = match (f.disclosure.documentation_years, de) {
        (10, true) => "zehn".to_string(),
        (10, false) => "ten".to_string(),
        (n, _) => n.to_string(),
    };
    let mut storage = vec![
        if at {
            format!(
                "{} {doc_years} {}",
                t("Die Dokumentation wird", "The documentation is kept for"),
                t(
                    "Jahre nach der letzten Sitzung aufbewahrt (Psychotherapiegesetz 2024).",
                    "years after the last session (Austrian Psychotherapy Act 2024)."
                )
            )
        } else {
            format!(
                "{} {doc_years} {}",
                t("Die Dokumentation wird", "The documentation is kept for"),
                t(
                    "Jahre nach der letzten Sitzung aufbewahrt (§ 630f Abs. 3 BGB).",
                    "years after the last session (§ 630f(3) BGB)."
                )
            )
        },
        if de {
            format!(
                "Rechnungen werden {} Jahre nach dem Ende des Jahres ihrer Ausstellung aufbewahrt ({tax_law}).",
                if years == 7 { "sieben" } else { "acht" }
            )
        } else {
            format!(
                "Invoices are kept for {} years after the end of the year they were issued in ({tax_law}).",
                if years == 7 { "seven" } else { "eight" }
            )
        },
    ];
    if let Some(last) = f.sessions.iter().map(|(s, _)| s.date).max() {
        storage.push(format!("{} {}.", t("Ihre letzte Sitzung war am", "Your last session was on"), loc.date(last)));
    }
    if let Some(end) = f.disclosure.retention_end {
        storage.push(format!(
            "{} {}.",
            t(
                "Nach den derzeit gespeicherten Daten endet die Aufbewahrung am",
                "On the data held today, retention ends on"
            ),
            loc.date(end)
        ));
    }
    storage.push(t(
        "Danach werden die Daten gelöscht, sofern keine andere gesetzliche Pflicht entgegensteht.",
        "The data are then erased unless another legal duty stands against it.",
    ));
    out.push(Section { key: KEYS[4], heading: t("Speicherdauer", "Storage period"), paragraphs: storage });

    out.push(Section {
        key: KEYS[5],
        heading: t("Ihre Rechte", "Your rights"),
        paragraphs: vec![
            t("Sie haben das Recht auf Berichtigung unrichtiger Daten (Art. 16 DSGVO).", "You have the right to have inaccurate data rectified (Art. 16 GDPR)."),
            t(
                "Sie haben das Recht auf Löschung (Art. 17 DSGVO), soweit keine gesetzliche Aufbewahrungspflicht entgegensteht.",
                "You have the right to erasure (Art. 17 GDPR) unless a legal duty to keep the data stands against it.",
            ),
            t("Sie haben das Recht auf Einschränkung der Verarbeitung (Art. 18 DSGVO).", "You have the right to restriction of processing (Art. 18 GDPR)."),
            t("Sie haben das Recht, der Verarbeitung zu widersprechen (Art. 21 DSGVO).", "You have the right to object to the processing (Art. 21 GDPR)."),
            t(
                "Die maschinenlesbare Fassung dieser Auskunft (JSON) dient Ihrem Recht auf Datenübertragbarkeit (Art. 20 DSGVO).",
                "The machine-readable copy of this file (JSON) serves your right to data portability (Art. 20 GDPR).",
            ),
            t("Wenden Sie sich dafür an die oben genannte verantwortliche Stelle.", "Please address the controller named above."),
        ],
    });

    let complaint = if at {
        vec![
            t(
                "Sie haben das Recht, sich bei der Aufsichtsbehörde zu beschweren (Art. 77 DSGVO):",
                "You have the right to lodge a complaint with the supervisory authority (Art. 77 GDPR):",
            ),
            t(
                "Österreichische Datenschutzbehörde, Barichgasse 40–42, 1030 Wien, dsb@dsb.gv.at, www.dsb.gv.at",
                "Austrian Data Protection Authority (Datenschutzbehörde), Barichgasse 40–42, 1030 Vienna, dsb@dsb.gv.at, www.dsb.gv.at",
            ),
        ]
    } else if let Some(a) = f.disclosure.authority {
        // The proper name stays German in an English file: it is the office's name.
        vec![
            t(
                "Sie haben das Recht, sich bei einer Datenschutz-Aufsichtsbehörde zu beschweren (Art. 77 DSGVO). Zuständig für die Praxis ist:",
                "You have the right to lodge a complaint with a data protection supervisory authority (Art. 77 GDPR). The authority for the practice is:",
            ),
            format!("{}, {}", a.name, a.address),
            t(
                "Sie können sich auch an die Aufsichtsbehörde des Bundeslandes wenden, in dem Sie wohnen.",
                "You may also turn to the authority of the state in which you live.",
            ),
        ]
    } else {
        vec![format!(
            "{}{}{}",
            t(
                "Sie haben das Recht, sich bei einer Datenschutz-Aufsichtsbehörde zu beschweren (Art. 77 DSGVO), insbesondere bei der Aufsichtsbehörde für den Datenschutz des Bundeslandes, in dem die Praxis ihren Sitz hat",
                "You have the right to lodge a complaint with a data protection supervisory authority (Art. 77 GDPR), in particular with the data protection authority of the German state in which the practice is located",
            ),
            if p.city.trim().is_empty() { String::new() } else { format!(" ({})", p.city.trim()) },
            t(", oder des Bundeslandes, in dem Sie wohnen.", ", or of the state in which you live."),
        )]
    };
    out.push(Section {
        key: KEYS[6],
        heading: t("Beschwerderecht", "Right to lodge a complaint"),
        paragraphs: complaint,
    });

    out.push(Section {
        key: KEYS[7],
        heading: t("Herkunft der Daten", "Source of the data"),
        paragraphs: vec![t(
            "Die Daten stammen von Ihnen selbst (oder Ihrer erziehungsberechtigten Person) und aus der Dokumentation der Behandlung durch die Praxis; Zahlungen aus den Zahlungseingängen der Praxis.",
            "The data come from you (or your guardian) and from the practice's documentation of the treatment; payments from the payments the practice received.",
        )],
    });
    out.push(Section {
        key: KEYS[8],
        heading: t("Automatisierte Entscheidungen", "Automated decisions"),
        paragraphs: vec![t(
            "Eine automatisierte Entscheidungsfindung einschließlich Profiling (Art. 22 DSGVO) findet nicht statt.",
            "There is no automated decision-making, including profiling (Art. 22 GDPR).",
        )],
    });
    out
}
