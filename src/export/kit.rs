//! The emergency kit (Notfallblatt): a one-page PDF with the practice name, the vault id and the
//! recovery key, and what to do with it. The desktop app calls [`emergency_kit_pdf`] right after
//! creating a vault, while the recovery key is still in memory; the bytes go only where the
//! user saves them.

use crate::domain::practice::Language;
use crate::error::Result;

use super::pdf::{Doc, LEFT, RIGHT};
use super::text::Locale;

/// The kit in `lang`. `recovery_key` is the display form (`XXXXX-XXXXX-…`).
pub fn emergency_kit_pdf(practice_name: &str, vault_id: &str, recovery_key: &str, lang: Language) -> Result<Vec<u8>> {
    let loc = Locale::new(lang, crate::domain::practice::Country::AT);
    let title = loc.t("Tresor – Notfallblatt", "Tresor – Emergency kit");
    let mut d = Doc::new(title)?;
    let width = RIGHT - LEFT;
    d.text(LEFT, 26.0, 20.0, true, title);
    d.y = 36.0;
    d.paragraph(
        LEFT,
        width,
        10.5,
        false,
        loc.t(
            "Mit diesem Blatt kommen Sie wieder an Ihre Daten, wenn Sie Ihr Passwort vergessen haben. Drucken Sie es aus und bewahren Sie es getrennt vom Computer sicher auf, z. B. bei wichtigen Unterlagen oder in einem Safe.",
            "This sheet gets you back into your data if you forget your password. Print it and keep it safe, away from the computer, e.g. with important papers or in a safe.",
        ),
    );
    d.y += 6.0;
    let rows = [(loc.t("Praxis", "Practice"), practice_name), (loc.t("Tresor-ID", "Vault id"), vault_id)];
    for (k, v) in rows {
        d.text(LEFT, d.y, 10.0, false, k);
        d.text(LEFT + 32.0, d.y, 10.0, true, v);
        d.y += 6.0;
    }
    d.y += 6.0;
    d.text(LEFT, d.y, 11.0, true, loc.t("Wiederherstellungsschlüssel", "Recovery key"));
    d.y += 4.0;
    d.fill_rects(&[(LEFT, d.y, width, 24.0)], 0.93);
    // Two rows of four groups, large enough to copy without mistakes. Plain hyphens, as the key
    // is displayed elsewhere: a typographic dash would not be ignored when typed back.
    let groups: Vec<&str> = recovery_key.split('-').collect();
    for (i, half) in groups.chunks(4).enumerate() {
        let line = half.join("-");
        d.text_right(
            LEFT + width / 2.0 + d.width(&line, 16.0, true) / 2.0,
            d.y + 10.0 + i as f32 * 9.0,
            16.0,
            true,
            &line,
        );
    }
    d.y += 34.0;
    d.text(LEFT, d.y, 11.0, true, loc.t("So verwenden Sie ihn", "How to use it"));
    d.y += 6.0;
    let steps = [
        loc.t("1. Öffnen Sie Tresor und wählen Sie „Passwort vergessen“.", "1. Open Tresor and choose “Forgot password”."),
        loc.t(
            "2. Tippen Sie den Schlüssel ein; Groß-/Kleinschreibung und Bindestriche sind egal. Ein Tippfehler wird mit der Gruppe gemeldet, in der er steckt.",
            "2. Type the key; case and dashes do not matter. A typo is reported with the group it is in.",
        ),
        loc.t("3. Vergeben Sie ein neues Passwort. Der Schlüssel bleibt gültig.", "3. Choose a new password. The key stays valid."),
        loc.t(
            "Wer diesen Schlüssel und Ihren Datenordner hat, kann alle Daten lesen. Geben Sie ihn niemandem und speichern Sie ihn nicht unverschlüsselt auf dem Computer oder in einer Cloud.",
            "Anyone with this key and your data folder can read all data. Give it to nobody and do not store it unencrypted on the computer or in a cloud.",
        ),
        loc.t(
            "Ohne Passwort und ohne diesen Schlüssel kann niemand – auch nicht der Hersteller – Ihre Daten wiederherstellen.",
            "Without the password and without this key nobody, not even the maker of Tresor, can recover your data.",
        ),
    ];
    for s in steps {
        d.paragraph(LEFT, width, 10.0, false, s);
        d.y += 2.0;
    }
    d.finish()
}
