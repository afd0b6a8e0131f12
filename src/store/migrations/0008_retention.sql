-- Schema 8: retention, restriction and erasure (issue 16; GDPR Art. 17/18, §630f BGB,
-- PThG 2024, §132 BAO, §147 AO).

-- How long documentation is kept after the last session, and the age before which a minor's
-- documentation is never due (the period runs from then). Replicated with the practice.
ALTER TABLE practice ADD COLUMN retention_years INTEGER NOT NULL DEFAULT 10
    CHECK (retention_years BETWEEN 1 AND 100);
ALTER TABLE practice ADD COLUMN minors_age INTEGER NOT NULL DEFAULT 18
    CHECK (minors_age BETWEEN 0 AND 30);

-- Restriction of processing (Art. 18): the UTC instant it began, NULL while not restricted.
-- A field of the client, so it replicates and merges like the others.
ALTER TABLE clients ADD COLUMN restricted_since TEXT;

-- Data minimisation: the instant (UTC, RFC 3339) after which an appointment's note is erased on
-- the next unlock; NULL keeps it.
ALTER TABLE appointments ADD COLUMN note_expires TEXT;

-- The minimal record an erasure leaves (Art. 17 with Art. 5(2)): no name, no contact, no text.
-- `client_id` is a random id that tells every computer whose rows to remove when the erasure
-- arrives; `pseudonymised` says the client row stayed, as its code name, for invoices still
-- inside their own retention. Append-only; replicated.
CREATE TABLE erasures (
    id             TEXT PRIMARY KEY,
    client_id      TEXT NOT NULL,
    code_name      TEXT NOT NULL,
    first_session  TEXT,
    last_session   TEXT,
    retention_end  TEXT,
    early          INTEGER NOT NULL,
    reason         TEXT NOT NULL,
    erased_at      TEXT NOT NULL,
    erased_by      TEXT NOT NULL,
    pseudonymised  INTEGER NOT NULL,
    created_hlc    INTEGER NOT NULL,
    device         TEXT NOT NULL
);
CREATE INDEX erasures_by_client ON erasures(client_id);
CREATE TRIGGER erasures_no_update BEFORE UPDATE ON erasures
BEGIN SELECT RAISE(ABORT, 'tresor.immutable:erasure'); END;

-- Local only (never replicated): the ids of every row an erasure removed on this computer, so a
-- row of them arriving late from another computer is dropped instead of coming back.
CREATE TABLE erased_rows (
    row_id TEXT PRIMARY KEY
) WITHOUT ROWID;

-- Local only and empty outside an erasure's transaction: the invoices whose rows that erasure
-- may remove although issued (their own retention has ended). The guards below let exactly
-- these through; everything else stays immutable.
CREATE TABLE erasing (
    invoice_id TEXT PRIMARY KEY
) WITHOUT ROWID;

DROP TRIGGER invoices_issued_no_delete;
CREATE TRIGGER invoices_issued_no_delete BEFORE DELETE ON invoices WHEN old.state = 'issued'
 AND NOT EXISTS (SELECT 1 FROM erasing WHERE invoice_id = old.id)
BEGIN SELECT RAISE(ABORT, 'tresor.immutable:invoice'); END;
DROP TRIGGER invoice_lines_issued_no_delete;
CREATE TRIGGER invoice_lines_issued_no_delete BEFORE DELETE ON invoice_lines
WHEN (SELECT state FROM invoices WHERE id = old.invoice_id) = 'issued'
 AND NOT EXISTS (SELECT 1 FROM erasing WHERE invoice_id = old.invoice_id)
BEGIN SELECT RAISE(ABORT, 'tresor.immutable:invoice_line'); END;
DROP TRIGGER payments_no_delete;
CREATE TRIGGER payments_no_delete BEFORE DELETE ON payments
WHEN NOT EXISTS (SELECT 1 FROM erasing WHERE invoice_id = old.invoice_id)
BEGIN SELECT RAISE(ABORT, 'tresor.immutable:payment'); END;
DROP TRIGGER dunning_letters_no_delete;
CREATE TRIGGER dunning_letters_no_delete BEFORE DELETE ON dunning_letters
WHEN NOT EXISTS (SELECT 1 FROM erasing WHERE invoice_id = old.invoice_id)
BEGIN SELECT RAISE(ABORT, 'tresor.immutable:dunning_letter'); END;
DROP TRIGGER write_offs_no_delete;
CREATE TRIGGER write_offs_no_delete BEFORE DELETE ON write_offs
WHEN NOT EXISTS (SELECT 1 FROM erasing WHERE invoice_id = old.invoice_id)
BEGIN SELECT RAISE(ABORT, 'tresor.immutable:write_off'); END;
DROP TRIGGER issued_documents_no_delete;
CREATE TRIGGER issued_documents_no_delete BEFORE DELETE ON issued_documents
WHEN NOT EXISTS (SELECT 1 FROM erasing WHERE invoice_id = old.invoice_id)
BEGIN SELECT RAISE(ABORT, 'tresor.immutable:issued_document'); END;
