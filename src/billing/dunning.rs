//! When an invoice gets its next dunning letter: level 1 (Zahlungserinnerung) the day after the
//! due date, levels 2 and 3 (Mahnung) once the previous letter's own deadline has passed.
//! Never more than the practice's levels (three at most); never for a settled, cancelled or
//! written-off invoice.

use jiff::civil::Date;
use jiff::ToSpan;

use crate::domain::money::Cents;
use crate::error::{Error, Problem, Result};

use super::model::{BillingSettings, DunningLetter};
use super::status::Balance;
use crate::domain::Field;

pub const MAX_LEVEL: u8 = 3;

/// The next letter's level, fee and deadline, or `None` when none is due today.
pub fn next_letter(
    balance: &Balance,
    due_date: Date,
    letters: &[DunningLetter],
    settings: &BillingSettings,
    today: Date,
) -> Result<Option<(u8, Cents, Date)>> {
    if !balance.overdue || balance.due.is_none_or(|d| !d.is_positive()) {
        return Ok(None);
    }
    let last = letters.iter().max_by_key(|l| l.level);
    let (level, deadline) = match last {
        None => (1, due_date),
        Some(l) if l.level >= settings.dunning_levels.clamp(1, MAX_LEVEL) => return Ok(None),
        Some(l) => (l.level + 1, l.due_date),
    };
    if today <= deadline {
        return Ok(None);
    }
    // Settings saved before fees were bounded must not put an unpayable fee on a letter.
    let fee = settings.dunning_fees[(level - 1) as usize].bounded(Field::DunningFees)?;
    let new_due = today
        .checked_add((settings.dunning_days as i64).days())
        .map_err(|_| Error::invalid(Field::Date, Problem::OutOfRange))?;
    Ok(Some((level, fee, new_due)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::billing::model::InvoiceKind;
    use crate::billing::status::{BalanceFacts, InvoiceStatus};
    use crate::domain::ids::{DunningLetterId, InvoiceId};
    use jiff::civil::date;

    fn balance(today: Date) -> Balance {
        let f = BalanceFacts {
            kind: InvoiceKind::Invoice,
            issued: true,
            gross: Cents::new(9000),
            paid: Some(Cents::ZERO),
            fees: Some(Cents::ZERO),
            cancelled: false,
            written_off: false,
            due_date: Some(date(2026, 1, 15)),
            last_payment: None,
            dunning_level: 0,
        };
        Balance::of(&f, today)
    }

    #[test]
    fn levels_follow_each_deadline_and_stop_at_three() {
        let s = BillingSettings::default();
        let due = date(2026, 1, 15);
        assert_eq!(next_letter(&balance(due), due, &[], &s, due).unwrap(), None, "not before the due date has passed");
        let d1 = date(2026, 1, 16);
        let (lvl, fee, deadline) = next_letter(&balance(d1), due, &[], &s, d1).unwrap().unwrap();
        assert_eq!((lvl, fee, deadline), (1, Cents::new(0), date(2026, 1, 30)));
        let mut letters = vec![DunningLetter {
            id: DunningLetterId::new(),
            invoice_id: InvoiceId::new(),
            level: 1,
            date: d1,
            due_date: deadline,
            fee,
        }];
        assert_eq!(next_letter(&balance(date(2026, 1, 30)), due, &letters, &s, date(2026, 1, 30)).unwrap(), None);
        let (lvl, fee, _) =
            next_letter(&balance(date(2026, 1, 31)), due, &letters, &s, date(2026, 1, 31)).unwrap().unwrap();
        assert_eq!((lvl, fee), (2, Cents::new(500)));
        letters.push(DunningLetter { level: 3, ..letters[0].clone() });
        assert_eq!(next_letter(&balance(date(2026, 6, 1)), due, &letters, &s, date(2026, 6, 1)).unwrap(), None);
        let mut paid = balance(d1);
        paid.status = InvoiceStatus::Paid;
        paid.overdue = false;
        assert_eq!(next_letter(&paid, due, &[], &s, d1).unwrap(), None);
    }

    #[test]
    fn a_practice_that_sends_two_levels_gets_no_third() {
        let s = BillingSettings { dunning_levels: 2, ..BillingSettings::default() };
        let due = date(2026, 1, 15);
        let letter = |level| DunningLetter {
            id: DunningLetterId::new(),
            invoice_id: InvoiceId::new(),
            level,
            date: date(2026, 1, 16),
            due_date: date(2026, 1, 30),
            fee: Cents::ZERO,
        };
        let late = date(2026, 3, 1);
        let (lvl, fee, _) = next_letter(&balance(late), due, &[letter(1)], &s, late).unwrap().unwrap();
        assert_eq!((lvl, fee), (2, Cents::new(500)));
        assert_eq!(next_letter(&balance(late), due, &[letter(1), letter(2)], &s, late).unwrap(), None);
    }

    #[test]
    fn settings_name_the_field_of_a_bad_text_or_level_count() {
        use crate::error::Error;
        let field_of = |s: BillingSettings| match s.validate() {
            Err(Error::Invalid { field, .. }) => Some(field),
            _ => None,
        };
        assert_eq!(field_of(BillingSettings::default()), None);
        assert_eq!(field_of(BillingSettings { dunning_levels: 0, ..Default::default() }), Some(Field::DunningLevels));
        assert_eq!(field_of(BillingSettings { dunning_levels: 4, ..Default::default() }), Some(Field::DunningLevels));
        let long = "x".repeat(super::super::model::MAX_LETTER_TEXT + 1);
        assert_eq!(
            field_of(BillingSettings { invoice_intro: long.clone(), ..Default::default() }),
            Some(Field::InvoiceIntro)
        );
        assert_eq!(
            field_of(BillingSettings { invoice_closing: "a\0b".into(), ..Default::default() }),
            Some(Field::InvoiceClosing)
        );
        let texts = [String::new(), long, String::new()];
        assert_eq!(field_of(BillingSettings { dunning_texts: texts, ..Default::default() }), Some(Field::DunningTexts));
        let ok = BillingSettings { invoice_intro: "Zeile 1\nZeile 2".into(), ..Default::default() };
        assert_eq!(field_of(ok), None, "paragraphs are allowed");
    }
}
