-- Schema 10: the texts of invoices and dunning letters, and how many dunning levels are sent.
--
-- The settings hold the defaults (invoice intro and closing, each dunning level's opening
-- paragraph; '' prints the built-in wording). Each invoice keeps its own copy of the texts from
-- the moment it is drafted, so it can be changed on the draft and is frozen with the invoice
-- once issued (the issued-row triggers of 0004 cover the new columns as well).
ALTER TABLE billing_settings ADD COLUMN invoice_intro TEXT NOT NULL DEFAULT '';
ALTER TABLE billing_settings ADD COLUMN invoice_closing TEXT NOT NULL DEFAULT '';
ALTER TABLE billing_settings ADD COLUMN dunning_levels INTEGER NOT NULL DEFAULT 3;
ALTER TABLE billing_settings ADD COLUMN dunning_text1 TEXT NOT NULL DEFAULT '';
ALTER TABLE billing_settings ADD COLUMN dunning_text2 TEXT NOT NULL DEFAULT '';
ALTER TABLE billing_settings ADD COLUMN dunning_text3 TEXT NOT NULL DEFAULT '';
ALTER TABLE invoices ADD COLUMN intro_text TEXT NOT NULL DEFAULT '';
ALTER TABLE invoices ADD COLUMN closing_text TEXT NOT NULL DEFAULT '';
-- The practice's Bundesland (ISO 3166-2, e.g. 'AT-9'), whose own holidays the calendar shades;
-- '' for the nationwide ones only.
ALTER TABLE practice ADD COLUMN holiday_region TEXT NOT NULL DEFAULT '';
