-- Schema 5: invoices that a tax office, an insurer and a private health insurer accept.
--
-- Only columns are added (ALTER TABLE ADD COLUMN): every new column is a field of a replicated
-- row and merges per field by itself (store/stamps.rs makes its triggers from the table's
-- columns at open). Values a newer Tresor may extend (fee schedules, insurance kinds) are
-- checked by the core (store/vocab.rs), not by CHECK constraints. Amounts stay integer cents;
-- a multiplier is stored in hundredths (230 = 2,3-fach), so no float touches a fee.

-- The practice: small-business status (Kleinunternehmer, § 6 Abs. 1 Z 27 UStG AT / § 19 UStG
-- DE), which decides the tax modes it may print (billing/rules.rs).
ALTER TABLE practice ADD COLUMN small_business INTEGER NOT NULL DEFAULT 0;

-- Clients: which kind of insurer the number belongs to ('' unspecified, 'at_statutory',
-- 'de_statutory', 'private'), the insured person a co-insured child or spouse is insured
-- through (ÖGK Honorarnote), the date of the medical examination (§ 135 Abs. 1 ASVG), the
-- treatment method printed on the claim form, the date of a fee agreement (§ 2 GOÄ), and the
-- letter salutation.
ALTER TABLE clients ADD COLUMN insurance_kind TEXT NOT NULL DEFAULT '';
ALTER TABLE clients ADD COLUMN insured_name TEXT NOT NULL DEFAULT '';
ALTER TABLE clients ADD COLUMN insured_number TEXT NOT NULL DEFAULT '';
ALTER TABLE clients ADD COLUMN medical_exam_date TEXT;
ALTER TABLE clients ADD COLUMN treatment_method TEXT NOT NULL DEFAULT '';
ALTER TABLE clients ADD COLUMN fee_agreement_date TEXT;
ALTER TABLE clients ADD COLUMN salutation TEXT NOT NULL DEFAULT '';

-- Services: the fee schedule ('' none, 'goae' GOÄ/GOP, 'analog' an analog item of the 2024
-- joint recommendation, 'gebueh' GebüH), the fee number, its points, the default multiplier in
-- hundredths, and whether the service is retired (kept for the sessions that used it).
ALTER TABLE services ADD COLUMN fee_schedule TEXT NOT NULL DEFAULT '';
ALTER TABLE services ADD COLUMN fee_number TEXT NOT NULL DEFAULT '';
ALTER TABLE services ADD COLUMN fee_points INTEGER NOT NULL DEFAULT 0;
ALTER TABLE services ADD COLUMN fee_multiplier INTEGER NOT NULL DEFAULT 0;
ALTER TABLE services ADD COLUMN retired INTEGER NOT NULL DEFAULT 0;

-- Sessions: the number of participants of a group session (ÖGK form, § 12 GOÄ for groups).
ALTER TABLE sessions ADD COLUMN group_size INTEGER;

-- Invoice lines: the fee as § 12 Abs. 2 GOÄ prints it (schedule, number, points, multiplier,
-- the written reason above the threshold), the full fee of a split bill's share, and the group
-- size, all frozen with the line at issue.
ALTER TABLE invoice_lines ADD COLUMN fee_schedule TEXT NOT NULL DEFAULT '';
ALTER TABLE invoice_lines ADD COLUMN fee_number TEXT NOT NULL DEFAULT '';
ALTER TABLE invoice_lines ADD COLUMN fee_points INTEGER NOT NULL DEFAULT 0;
ALTER TABLE invoice_lines ADD COLUMN fee_multiplier INTEGER NOT NULL DEFAULT 0;
ALTER TABLE invoice_lines ADD COLUMN fee_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE invoice_lines ADD COLUMN full_unit_cents INTEGER;
ALTER TABLE invoice_lines ADD COLUMN group_size INTEGER;

-- Billing settings: whether German private invoices print the diagnosis, whether dunning
-- letters announce default interest (§ 288 BGB / § 1000 ABGB), and a number format that takes
-- effect from a later numbering period (a format never changes in the middle of one).
ALTER TABLE billing_settings ADD COLUMN print_diagnosis INTEGER NOT NULL DEFAULT 1;
ALTER TABLE billing_settings ADD COLUMN default_interest INTEGER NOT NULL DEFAULT 0;
ALTER TABLE billing_settings ADD COLUMN next_number_format TEXT NOT NULL DEFAULT '';
ALTER TABLE billing_settings ADD COLUMN next_format_from INTEGER NOT NULL DEFAULT 0;
