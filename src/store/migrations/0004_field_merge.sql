-- Schema 4: rows merge per field between computers, and a newer computer cannot stop an older one.
--
-- 1. Values that a newer Tresor may add (statuses, kinds, tax modes, countries, dunning levels)
--    are no longer CHECK constraints: a row from a newer computer that fails one would stop the
--    merge. The core checks them (store/vocab.rs) and keeps a row it cannot represent aside.
--    The affected tables are rebuilt (SQLite cannot drop a constraint): new table, copy, drop,
--    rename, then their indexes and triggers again. `migrate.rs` runs this with foreign keys off
--    and checks them before it commits. `n` is copied, so the full-text indexes stay in step.
-- 2. `row_stamps`: the per-field stamps of rows changed since they were created.
-- 3. `conflicts`: both values when two computers changed the same field (replicated).
-- 4. `kept_aside`: rows and segments from a newer Tresor, kept until this one is updated.

PRAGMA legacy_alter_table = ON;

CREATE TABLE new_practice (
    id                  TEXT PRIMARY KEY,
    practitioner_name   TEXT NOT NULL DEFAULT '',
    title               TEXT NOT NULL DEFAULT '',
    profession          TEXT NOT NULL DEFAULT '',
    registration_number TEXT NOT NULL DEFAULT '',
    practice_name       TEXT NOT NULL DEFAULT '',
    street              TEXT NOT NULL DEFAULT '',
    postal_code         TEXT NOT NULL DEFAULT '',
    city                TEXT NOT NULL DEFAULT '',
    country             TEXT NOT NULL DEFAULT 'AT',
    phone               TEXT NOT NULL DEFAULT '',
    email               TEXT NOT NULL DEFAULT '',
    tax_number          TEXT NOT NULL DEFAULT '',
    vat_id              TEXT NOT NULL DEFAULT '',
    iban                TEXT NOT NULL DEFAULT '',
    bic                 TEXT NOT NULL DEFAULT '',
    bank                TEXT NOT NULL DEFAULT '',
    currency            TEXT NOT NULL DEFAULT 'EUR',
    time_zone           TEXT NOT NULL DEFAULT 'Europe/Vienna',
    language            TEXT NOT NULL DEFAULT 'de',
    created_hlc         INTEGER NOT NULL,
    updated_hlc         INTEGER NOT NULL,
    device              TEXT NOT NULL,
    deleted             INTEGER NOT NULL DEFAULT 0
);
INSERT INTO new_practice(id, practitioner_name, title, profession, registration_number, practice_name, street,
    postal_code, city, country, phone, email, tax_number, vat_id, iban, bic, bank, currency, time_zone, language,
    created_hlc, updated_hlc, device, deleted)
SELECT id, practitioner_name, title, profession, registration_number, practice_name, street,
    postal_code, city, country, phone, email, tax_number, vat_id, iban, bic, bank, currency, time_zone, language,
    created_hlc, updated_hlc, device, deleted FROM practice;
DROP TABLE practice;
ALTER TABLE new_practice RENAME TO practice;

CREATE TABLE new_clients (
    n                INTEGER PRIMARY KEY,
    id               TEXT NOT NULL UNIQUE,
    given_name       TEXT NOT NULL,
    family_name      TEXT NOT NULL,
    sort_key         TEXT NOT NULL,
    code_name        TEXT NOT NULL DEFAULT '',
    birth_date       TEXT,
    email            TEXT NOT NULL DEFAULT '',
    phone            TEXT NOT NULL DEFAULT '',
    street           TEXT NOT NULL DEFAULT '',
    postal_code      TEXT NOT NULL DEFAULT '',
    city             TEXT NOT NULL DEFAULT '',
    country          TEXT NOT NULL DEFAULT '',
    insurer          TEXT NOT NULL DEFAULT '',
    insurance_number TEXT NOT NULL DEFAULT '',
    diagnoses        TEXT NOT NULL DEFAULT '[]',
    guardian         TEXT,
    bill_to          TEXT,
    status           TEXT NOT NULL DEFAULT 'active',
    notes            TEXT NOT NULL DEFAULT '',
    language         TEXT,
    created_hlc      INTEGER NOT NULL,
    updated_hlc      INTEGER NOT NULL,
    device           TEXT NOT NULL,
    deleted          INTEGER NOT NULL DEFAULT 0
);
INSERT INTO new_clients(n, id, given_name, family_name, sort_key, code_name, birth_date, email, phone, street,
    postal_code, city, country, insurer, insurance_number, diagnoses, guardian, bill_to, status, notes, language,
    created_hlc, updated_hlc, device, deleted)
SELECT n, id, given_name, family_name, sort_key, code_name, birth_date, email, phone, street,
    postal_code, city, country, insurer, insurance_number, diagnoses, guardian, bill_to, status, notes, language,
    created_hlc, updated_hlc, device, deleted FROM clients;
DROP TABLE clients;
ALTER TABLE new_clients RENAME TO clients;
CREATE INDEX clients_by_name ON clients(deleted, sort_key);
CREATE INDEX clients_by_status ON clients(deleted, status, sort_key);
CREATE TRIGGER clients_fts_ai AFTER INSERT ON clients BEGIN
    INSERT INTO clients_fts(rowid, given_name, family_name, code_name, city, insurance_number)
        VALUES (new.n, new.given_name, new.family_name, new.code_name, new.city, new.insurance_number);
END;
CREATE TRIGGER clients_fts_au AFTER UPDATE ON clients BEGIN
    INSERT INTO clients_fts(clients_fts, rowid, given_name, family_name, code_name, city, insurance_number)
        VALUES ('delete', old.n, old.given_name, old.family_name, old.code_name, old.city, old.insurance_number);
    INSERT INTO clients_fts(rowid, given_name, family_name, code_name, city, insurance_number)
        VALUES (new.n, new.given_name, new.family_name, new.code_name, new.city, new.insurance_number);
END;

CREATE TABLE new_appointments (
    id           TEXT PRIMARY KEY,
    client_id    TEXT NOT NULL REFERENCES clients(id),
    service_id   TEXT REFERENCES services(id),
    start_utc    INTEGER NOT NULL,
    end_utc      INTEGER NOT NULL CHECK (end_utc > start_utc),
    time_zone    TEXT NOT NULL,
    kind         TEXT NOT NULL,
    video_link   TEXT NOT NULL DEFAULT '',
    status       TEXT NOT NULL,
    series_id    TEXT REFERENCES appointment_series(id),
    note         TEXT NOT NULL DEFAULT '',
    created_hlc  INTEGER NOT NULL,
    updated_hlc  INTEGER NOT NULL,
    device       TEXT NOT NULL,
    deleted      INTEGER NOT NULL DEFAULT 0
);
INSERT INTO new_appointments(id, client_id, service_id, start_utc, end_utc, time_zone, kind, video_link, status,
    series_id, note, created_hlc, updated_hlc, device, deleted)
SELECT id, client_id, service_id, start_utc, end_utc, time_zone, kind, video_link, status,
    series_id, note, created_hlc, updated_hlc, device, deleted FROM appointments;
DROP TABLE appointments;
ALTER TABLE new_appointments RENAME TO appointments;
CREATE INDEX appointments_by_start ON appointments(deleted, start_utc);
CREATE INDEX appointments_by_client ON appointments(client_id, start_utc);

CREATE TABLE new_sessions (
    id             TEXT PRIMARY KEY,
    client_id      TEXT NOT NULL REFERENCES clients(id),
    appointment_id TEXT REFERENCES appointments(id),
    service_id     TEXT REFERENCES services(id),
    date           TEXT NOT NULL,
    minutes        INTEGER NOT NULL CHECK (minutes > 0),
    fee_cents      INTEGER NOT NULL CHECK (fee_cents >= 0),
    setting        TEXT NOT NULL DEFAULT 'individual',
    created_hlc    INTEGER NOT NULL,
    updated_hlc    INTEGER NOT NULL,
    device         TEXT NOT NULL,
    deleted        INTEGER NOT NULL DEFAULT 0
);
INSERT INTO new_sessions(id, client_id, appointment_id, service_id, date, minutes, fee_cents, setting,
    created_hlc, updated_hlc, device, deleted)
SELECT id, client_id, appointment_id, service_id, date, minutes, fee_cents, setting,
    created_hlc, updated_hlc, device, deleted FROM sessions;
DROP TABLE sessions;
ALTER TABLE new_sessions RENAME TO sessions;
CREATE INDEX sessions_by_client ON sessions(client_id, date);
CREATE INDEX sessions_by_date ON sessions(date);

CREATE TABLE new_invoices (
    id           TEXT PRIMARY KEY,
    client_id    TEXT NOT NULL REFERENCES clients(id),
    kind         TEXT NOT NULL,
    state        TEXT NOT NULL,
    number       TEXT,
    series       TEXT,
    period       INTEGER,
    seq          INTEGER,
    issue_date   TEXT,
    due_date     TEXT,
    period_from  TEXT NOT NULL,
    period_to    TEXT NOT NULL,
    language     TEXT NOT NULL,
    payer        TEXT NOT NULL,
    share_bp     INTEGER NOT NULL DEFAULT 10000 CHECK (share_bp BETWEEN 1 AND 10000),
    cancels      TEXT REFERENCES invoices(id),
    snapshot     TEXT,
    net_cents    INTEGER NOT NULL DEFAULT 0,
    tax_cents    INTEGER NOT NULL DEFAULT 0,
    gross_cents  INTEGER NOT NULL DEFAULT 0,
    created_hlc  INTEGER NOT NULL,
    updated_hlc  INTEGER NOT NULL,
    device       TEXT NOT NULL,
    deleted      INTEGER NOT NULL DEFAULT 0,
    CHECK (state = 'draft' OR (number IS NOT NULL AND seq IS NOT NULL AND issue_date IS NOT NULL
                               AND due_date IS NOT NULL AND snapshot IS NOT NULL AND deleted = 0))
);
INSERT INTO new_invoices(id, client_id, kind, state, number, series, period, seq, issue_date, due_date, period_from,
    period_to, language, payer, share_bp, cancels, snapshot, net_cents, tax_cents, gross_cents, created_hlc,
    updated_hlc, device, deleted)
SELECT id, client_id, kind, state, number, series, period, seq, issue_date, due_date, period_from,
    period_to, language, payer, share_bp, cancels, snapshot, net_cents, tax_cents, gross_cents, created_hlc,
    updated_hlc, device, deleted FROM invoices;
DROP TABLE invoices;
ALTER TABLE new_invoices RENAME TO invoices;
CREATE UNIQUE INDEX invoices_series_seq ON invoices(device, series, period, seq) WHERE seq IS NOT NULL;
CREATE INDEX invoices_by_number ON invoices(number) WHERE number IS NOT NULL;
CREATE INDEX invoices_by_cancels ON invoices(cancels) WHERE cancels IS NOT NULL;
CREATE INDEX invoices_by_client ON invoices(client_id, deleted);
CREATE INDEX invoices_by_issue_date ON invoices(state, issue_date, gross_cents);
CREATE INDEX invoices_by_series_seq ON invoices(series, period, seq);
CREATE INDEX invoices_by_series_date ON invoices(series, period, issue_date);
CREATE TRIGGER invoices_issued_no_update BEFORE UPDATE ON invoices WHEN old.state = 'issued'
BEGIN SELECT RAISE(ABORT, 'tresor.immutable:invoice'); END;
CREATE TRIGGER invoices_issued_no_delete BEFORE DELETE ON invoices WHEN old.state = 'issued'
BEGIN SELECT RAISE(ABORT, 'tresor.immutable:invoice'); END;

CREATE TABLE new_invoice_lines (
    id             TEXT PRIMARY KEY,
    invoice_id     TEXT NOT NULL REFERENCES invoices(id),
    position       INTEGER NOT NULL,
    kind           TEXT NOT NULL,
    session_id     TEXT REFERENCES sessions(id),
    appointment_id TEXT REFERENCES appointments(id),
    date           TEXT,
    description    TEXT NOT NULL,
    minutes        INTEGER,
    setting        TEXT,
    quantity       INTEGER NOT NULL CHECK (quantity > 0),
    unit_cents     INTEGER NOT NULL,
    amount_cents   INTEGER NOT NULL CHECK (amount_cents = quantity * unit_cents),
    tax_mode       TEXT NOT NULL,
    tax_rate_bp    INTEGER NOT NULL,
    tax_cents      INTEGER NOT NULL,
    created_hlc    INTEGER NOT NULL,
    updated_hlc    INTEGER NOT NULL,
    device         TEXT NOT NULL,
    deleted        INTEGER NOT NULL DEFAULT 0
);
INSERT INTO new_invoice_lines(id, invoice_id, position, kind, session_id, appointment_id, date, description, minutes,
    setting, quantity, unit_cents, amount_cents, tax_mode, tax_rate_bp, tax_cents, created_hlc, updated_hlc, device,
    deleted)
SELECT id, invoice_id, position, kind, session_id, appointment_id, date, description, minutes,
    setting, quantity, unit_cents, amount_cents, tax_mode, tax_rate_bp, tax_cents, created_hlc, updated_hlc, device,
    deleted FROM invoice_lines;
DROP TABLE invoice_lines;
ALTER TABLE new_invoice_lines RENAME TO invoice_lines;
CREATE INDEX invoice_lines_by_invoice ON invoice_lines(invoice_id, position);
CREATE INDEX invoice_lines_by_session ON invoice_lines(session_id) WHERE session_id IS NOT NULL;
CREATE INDEX invoice_lines_by_appointment ON invoice_lines(appointment_id) WHERE appointment_id IS NOT NULL;
CREATE TRIGGER invoice_lines_issued_no_insert BEFORE INSERT ON invoice_lines
WHEN (SELECT state FROM invoices WHERE id = new.invoice_id) = 'issued'
 AND new.created_hlc > (SELECT updated_hlc FROM invoices WHERE id = new.invoice_id)
BEGIN SELECT RAISE(ABORT, 'tresor.immutable:invoice_line'); END;
CREATE TRIGGER invoice_lines_issued_no_update BEFORE UPDATE ON invoice_lines
WHEN (SELECT state FROM invoices WHERE id = old.invoice_id) = 'issued'
  OR (SELECT state FROM invoices WHERE id = new.invoice_id) = 'issued'
BEGIN SELECT RAISE(ABORT, 'tresor.immutable:invoice_line'); END;
CREATE TRIGGER invoice_lines_issued_no_delete BEFORE DELETE ON invoice_lines
WHEN (SELECT state FROM invoices WHERE id = old.invoice_id) = 'issued'
BEGIN SELECT RAISE(ABORT, 'tresor.immutable:invoice_line'); END;

CREATE TABLE new_dunning_letters (
    id           TEXT PRIMARY KEY,
    invoice_id   TEXT NOT NULL REFERENCES invoices(id),
    level        INTEGER NOT NULL,
    date         TEXT NOT NULL,
    due_date     TEXT NOT NULL,
    fee_cents    INTEGER NOT NULL CHECK (fee_cents >= 0),
    created_hlc  INTEGER NOT NULL,
    device       TEXT NOT NULL
);
INSERT INTO new_dunning_letters(id, invoice_id, level, date, due_date, fee_cents, created_hlc, device)
SELECT id, invoice_id, level, date, due_date, fee_cents, created_hlc, device FROM dunning_letters;
DROP TABLE dunning_letters;
ALTER TABLE new_dunning_letters RENAME TO dunning_letters;
CREATE INDEX dunning_letters_by_invoice ON dunning_letters(invoice_id, level);
CREATE TRIGGER dunning_letters_no_update BEFORE UPDATE ON dunning_letters
BEGIN SELECT RAISE(ABORT, 'tresor.immutable:dunning_letter'); END;
CREATE TRIGGER dunning_letters_no_delete BEFORE DELETE ON dunning_letters
BEGIN SELECT RAISE(ABORT, 'tresor.immutable:dunning_letter'); END;

PRAGMA legacy_alter_table = OFF;

-- The stamps of a row whose fields no longer share one stamp, as JSON:
-- {"base": [hlc, "device"], "f": {"column": [hlc, "device"], …}, "seen": {"device": hlc, …}}.
-- A column not in "f" carries "base". "seen" holds, per device, the newest change of that device
-- this version of the row includes: it tells a concurrent edit from a later one. A row without an
-- entry has every field stamped with its own (updated_hlc, device). Local writes keep this up to
-- date through temporary triggers that the store creates at open (store/stamps.rs); merges
-- write it themselves.
CREATE TABLE row_stamps (
    entity  TEXT NOT NULL,
    row_id  TEXT NOT NULL,
    stamps  TEXT NOT NULL,
    PRIMARY KEY (entity, row_id)
) WITHOUT ROWID;

-- Two computers changed the same field without seeing each other's change: the newer value
-- stayed in the record ("kept"), the other is kept here until someone takes one of them. The id
-- is derived from what collided, so two computers that find the same conflict make one record.
-- Values are JSON as they travel in segments. `field` 'deleted' is a record deleted on one
-- computer while it was edited on another.
CREATE TABLE conflicts (
    id           TEXT PRIMARY KEY,
    entity       TEXT NOT NULL,
    row_id       TEXT NOT NULL,
    field        TEXT NOT NULL,
    kept_value   TEXT NOT NULL,
    kept_hlc     INTEGER NOT NULL,
    kept_device  TEXT NOT NULL,
    other_value  TEXT NOT NULL,
    other_hlc    INTEGER NOT NULL,
    other_device TEXT NOT NULL,
    resolution   TEXT NOT NULL DEFAULT '',
    created_hlc  INTEGER NOT NULL,
    updated_hlc  INTEGER NOT NULL,
    device       TEXT NOT NULL,
    deleted      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX conflicts_open ON conflicts(resolution, entity, row_id);

-- Rows (and whole segments, entity '') from a newer Tresor that this version cannot represent:
-- not applied, not lost. Tried again when the schema version grew (this computer was updated).
-- Local to this computer: the writer still has them, and so does every updated computer.
CREATE TABLE kept_aside (
    digest      TEXT PRIMARY KEY,
    source      TEXT NOT NULL,
    entity      TEXT NOT NULL,
    row_id      TEXT NOT NULL,
    image       TEXT NOT NULL,
    reason      TEXT NOT NULL,
    schema      INTEGER NOT NULL,
    kept_hlc    INTEGER NOT NULL
);
CREATE INDEX kept_aside_by_row ON kept_aside(entity, row_id);
