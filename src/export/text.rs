//! Document words in German and English, and the locale formats of dates and amounts
//! (`22.11.2026`, `1.234,56 €` in German; `22/11/2026`, `€1,234.56` in English, en-GB style,
//! since the practices are in Austria and Germany).

use jiff::civil::Date;

use crate::domain::money::Cents;
use crate::domain::practice::{Country, Language};
use crate::domain::session::Setting;

/// A document's language and country (the country picks Honorarnote vs. Rechnung).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Locale {
    pub lang: Language,
    pub country: Country,
}

impl Locale {
    pub fn new(lang: Language, country: Country) -> Locale {
        Locale { lang, country }
    }

    pub fn de(&self) -> bool {
        self.lang == Language::De
    }

    /// Picks the German or the English text.
    pub fn t<'a>(&self, de: &'a str, en: &'a str) -> &'a str {
        if self.de() {
            de
        } else {
            en
        }
    }

    pub fn money(&self, c: Cents) -> String {
        match self.lang {
            Language::De => format!("{} €", c.format_de()),
            // `format_en` prints the sign itself; en-GB puts it before the currency sign.
            Language::En => match c.format_en().strip_prefix('-') {
                Some(abs) => format!("-€{abs}"),
                None => format!("€{}", c.format_en()),
            },
        }
    }

    /// A sum that stored amounts may not allow (`None`): said so, in words, instead of a number.
    pub fn money_or_not_computable(&self, c: Option<Cents>) -> String {
        match c {
            Some(c) => self.money(c),
            None => self.t("nicht berechenbar", "not computable").into(),
        }
    }

    pub fn date(&self, d: Date) -> String {
        match self.lang {
            Language::De => d.strftime("%d.%m.%Y").to_string(),
            Language::En => d.strftime("%d/%m/%Y").to_string(),
        }
    }

    pub fn opt_date(&self, d: Option<Date>) -> String {
        d.map(|d| self.date(d)).unwrap_or_default()
    }

    /// Invoice / Honorarnote (AT) / Rechnung (DE).
    pub fn invoice_word(&self) -> &'static str {
        match (self.lang, self.country) {
            (Language::En, _) => "Invoice",
            (Language::De, Country::AT) => "Honorarnote",
            (Language::De, Country::DE) => "Rechnung",
        }
    }

    pub fn cancellation_word(&self) -> &'static str {
        self.t("Stornorechnung", "Cancellation invoice")
    }

    pub fn setting(&self, s: Setting) -> &'static str {
        match s {
            Setting::Individual => self.t("Einzel", "individual"),
            Setting::Group => self.t("Gruppe", "group"),
        }
    }

    /// The payment method as the user typed it, with the usual ones translated.
    pub fn method(&self, m: &str) -> String {
        match m {
            "transfer" => self.t("Überweisung", "bank transfer").into(),
            "cash" => self.t("bar", "cash").into(),
            "card" => self.t("Karte", "card").into(),
            other => other.into(),
        }
    }

    /// How something was paid, as the end of a sentence: "in bar", "per Überweisung".
    pub fn paid_by(&self, m: &str) -> String {
        match m {
            "transfer" => self.t("per Überweisung", "by bank transfer").into(),
            "cash" => self.t("in bar", "in cash").into(),
            "card" => self.t("mit Karte", "by card").into(),
            other => format!("({other})"),
        }
    }

    pub fn status(&self, s: crate::billing::InvoiceStatus) -> &'static str {
        use crate::billing::InvoiceStatus as S;
        match s {
            S::Draft => self.t("Entwurf", "draft"),
            S::Open => self.t("offen", "open"),
            S::PartlyPaid => self.t("teilweise bezahlt", "partly paid"),
            S::Paid => self.t("bezahlt", "paid"),
            S::Cancelled => self.t("storniert", "cancelled"),
            S::WrittenOff => self.t("ausgebucht", "written off"),
            S::NotComputable => self.t("Beträge nicht berechenbar", "amounts not computable"),
        }
    }

    pub fn dunning_title(&self, level: u8) -> &'static str {
        match level {
            1 => self.t("Zahlungserinnerung", "Payment reminder"),
            2 => self.t("Mahnung", "Reminder"),
            _ => self.t("Letzte Mahnung", "Final reminder"),
        }
    }

    pub fn month(&self, m: i8) -> &'static str {
        const DE: [&str; 12] = [
            "Jänner",
            "Februar",
            "März",
            "April",
            "Mai",
            "Juni",
            "Juli",
            "August",
            "September",
            "Oktober",
            "November",
            "Dezember",
        ];
        const EN: [&str; 12] = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ];
        let i = (m.clamp(1, 12) - 1) as usize;
        match (self.lang, self.country) {
            (Language::En, _) => EN[i],
            // Austria says Jänner; the other eleven months are the same.
            (Language::De, Country::AT) => DE[i],
            (Language::De, Country::DE) if i == 0 => "Januar",
            (Language::De, Country::DE) => DE[i],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locale_formats() {
        let de = Locale::new(Language::De, Country::AT);
        let en = Locale::new(Language::En, Country::DE);
        assert_eq!(de.money(Cents::new(123456)), "1.234,56 €");
        assert_eq!(en.money(Cents::new(123456)), "€1,234.56");
        assert_eq!(en.money(Cents::new(-500)), "-€5.00");
        let d = jiff::civil::date(2026, 11, 22);
        assert_eq!(de.date(d), "22.11.2026");
        assert_eq!(en.date(d), "22/11/2026");
        assert_eq!(de.invoice_word(), "Honorarnote");
        assert_eq!(Locale::new(Language::De, Country::DE).invoice_word(), "Rechnung");
        assert_eq!(de.month(1), "Jänner");
    }
}
