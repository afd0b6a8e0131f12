//! The data-protection supervisory authority a client may complain to (Art. 77 GDPR), by the
//! practice's country and Bundesland: in Austria always the Datenschutzbehörde; in Germany the
//! authority of the practice's state for the private sector (`Practice::holiday_region`, ISO
//! 3166-2). Names are the offices' own, without the article that changes with the office
//! holder; addresses as the authorities publish them — when an office moves, this table moves.

use crate::domain::practice::Country;

/// One authority: its proper name and postal address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Authority {
    pub name: &'static str,
    pub address: &'static str,
}

const DSB: Authority =
    Authority { name: "Österreichische Datenschutzbehörde", address: "Barichgasse 40–42, 1030 Wien" };

/// The 16 German states' authorities for the private sector (Bavaria has a separate office,
/// the BayLDA, for it; the other states one commissioner for both sectors).
const GERMAN: [(&str, Authority); 16] = [
    (
        "DE-BW",
        Authority {
            name: "Landesbeauftragte für den Datenschutz und die Informationsfreiheit Baden-Württemberg",
            address: "Lautenschlagerstraße 20, 70173 Stuttgart",
        },
    ),
    (
        "DE-BY",
        Authority { name: "Bayerisches Landesamt für Datenschutzaufsicht", address: "Promenade 18, 91522 Ansbach" },
    ),
    (
        "DE-BE",
        Authority {
            name: "Berliner Beauftragte für Datenschutz und Informationsfreiheit",
            address: "Alt-Moabit 59–61, 10555 Berlin",
        },
    ),
    (
        "DE-BB",
        Authority {
            name: "Landesbeauftragte für den Datenschutz und für das Recht auf Akteneinsicht Brandenburg",
            address: "Stahnsdorfer Damm 77, 14532 Kleinmachnow",
        },
    ),
    (
        "DE-HB",
        Authority {
            name: "Landesbeauftragte für Datenschutz und Informationsfreiheit der Freien Hansestadt Bremen",
            address: "Arndtstraße 1, 27570 Bremerhaven",
        },
    ),
    (
        "DE-HH",
        Authority {
            name: "Hamburgische Beauftragte für Datenschutz und Informationsfreiheit",
            address: "Ludwig-Erhard-Straße 22, 20459 Hamburg",
        },
    ),
    (
        "DE-HE",
        Authority {
            name: "Hessische Beauftragte für Datenschutz und Informationsfreiheit",
            address: "Gustav-Stresemann-Ring 1, 65189 Wiesbaden",
        },
    ),
    (
        "DE-MV",
        Authority {
            name: "Landesbeauftragte für Datenschutz und Informationsfreiheit Mecklenburg-Vorpommern",
            address: "Werderstraße 74a, 19055 Schwerin",
        },
    ),
    (
        "DE-NI",
        Authority {
            name: "Landesbeauftragte für den Datenschutz Niedersachsen",
            address: "Prinzenstraße 5, 30159 Hannover",
        },
    ),
    (
        "DE-NW",
        Authority {
            name: "Landesbeauftragte für Datenschutz und Informationsfreiheit Nordrhein-Westfalen",
            address: "Kavalleriestraße 2–4, 40213 Düsseldorf",
        },
    ),
    (
        "DE-RP",
        Authority {
            name: "Landesbeauftragte für den Datenschutz und die Informationsfreiheit Rheinland-Pfalz",
            address: "Hintere Bleiche 34, 55116 Mainz",
        },
    ),
    (
        "DE-SL",
        Authority {
            name: "Unabhängiges Datenschutzzentrum Saarland",
            address: "Fritz-Dobisch-Straße 12, 66111 Saarbrücken",
        },
    ),
    (
        "DE-SN",
        Authority {
            name: "Sächsische Datenschutz- und Transparenzbeauftragte",
            address: "Devrientstraße 5, 01067 Dresden",
        },
    ),
    (
        "DE-ST",
        Authority {
            name: "Landesbeauftragte für den Datenschutz Sachsen-Anhalt",
            address: "Otto-von-Guericke-Straße 34a, 39104 Magdeburg",
        },
    ),
    (
        "DE-SH",
        Authority {
            name: "Unabhängiges Landeszentrum für Datenschutz Schleswig-Holstein",
            address: "Holstenstraße 98, 24103 Kiel",
        },
    ),
    (
        "DE-TH",
        Authority {
            name: "Thüringer Landesbeauftragte für den Datenschutz und die Informationsfreiheit",
            address: "Häßlerstraße 8, 99096 Erfurt",
        },
    ),
];

/// The authority responsible for a practice in `country` and `region`; `None` for a German
/// practice that has not named its Bundesland (the file then describes the rule in words).
pub fn authority(country: Country, region: &str) -> Option<Authority> {
    match country {
        Country::AT => Some(DSB),
        Country::DE => GERMAN.iter().find(|(code, _)| *code == region.trim()).map(|(_, a)| *a),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::holidays;

    #[test]
    fn every_german_state_has_its_authority_and_austria_always_the_dsb() {
        let states = holidays::regions(Country::DE);
        assert_eq!(states.len(), 16);
        for (code, _) in states {
            assert!(authority(Country::DE, code).is_some(), "{code}");
        }
        assert_eq!(authority(Country::DE, "DE-BY").unwrap().address, "Promenade 18, 91522 Ansbach");
        assert_eq!(authority(Country::DE, ""), None);
        assert_eq!(authority(Country::AT, "AT-9"), Some(DSB));
        assert_eq!(authority(Country::AT, ""), Some(DSB));
    }
}
