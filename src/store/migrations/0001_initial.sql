-- Schema 1: practice records.
-- Every synced row: `id` (UUIDv7 text), `created_hlc`/`updated_hlc` (hybrid logical clock:
-- milliseconds << 16 | counter), `device` (who wrote the current version), `deleted` (tombstone).
-- Tables that FTS indexes have an explicit INTEGER PRIMARY KEY `n`, because VACUUM may renumber
-- an implicit rowid and the full-text index refers to it.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE journal (
    seq     INTEGER PRIMARY KEY AUTOINCREMENT,
    hlc     INTEGER NOT NULL,
    device  TEXT    NOT NULL,
    entity  TEXT    NOT NULL,
    row_id  TEXT    NOT NULL,
    op      TEXT    NOT NULL
);
CREATE INDEX journal_row ON journal(row_id);

CREATE TABLE practice (
    id                  TEXT PRIMARY KEY,
    practitioner_name   TEXT NOT NULL DEFAULT '',
    title               TEXT NOT NULL DEFAULT '',
    profession          TEXT NOT NULL DEFAULT '',
    registration_number TEXT NOT NULL DEFAULT '',
    practice_name       TEXT NOT NULL DEFAULT '',
    street              TEXT NOT NULL DEFAULT '',
    postal_code         TEXT NOT NULL DEFAULT '',
    city                TEXT NOT NULL DEFAULT '',
    country             TEXT NOT NULL DEFAULT 'AT' CHECK (country IN ('AT', 'DE')),
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

CREATE TABLE clients (
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
    status           TEXT NOT NULL DEFAULT 'active'
                     CHECK (status IN ('active', 'closed', 'restricted')),
    notes            TEXT NOT NULL DEFAULT '',
    language         TEXT,
    created_hlc      INTEGER NOT NULL,
    updated_hlc      INTEGER NOT NULL,
    device           TEXT NOT NULL,
    deleted          INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX clients_by_name ON clients(deleted, sort_key);
CREATE INDEX clients_by_status ON clients(deleted, status, sort_key);

CREATE TABLE services (
    id           TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    code         TEXT NOT NULL DEFAULT '',
    minutes      INTEGER NOT NULL CHECK (minutes > 0),
    price_cents  INTEGER NOT NULL CHECK (price_cents >= 0),
    tax_mode     TEXT NOT NULL,
    tax_rate_bp  INTEGER NOT NULL DEFAULT 0,
    created_hlc  INTEGER NOT NULL,
    updated_hlc  INTEGER NOT NULL,
    device       TEXT NOT NULL,
    deleted      INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE appointment_series (
    id           TEXT PRIMARY KEY,
    client_id    TEXT NOT NULL REFERENCES clients(id),
    local_start  TEXT NOT NULL,
    minutes      INTEGER NOT NULL,
    time_zone    TEXT NOT NULL,
    rule         TEXT NOT NULL,
    created_hlc  INTEGER NOT NULL,
    updated_hlc  INTEGER NOT NULL,
    device       TEXT NOT NULL,
    deleted      INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE appointments (
    id           TEXT PRIMARY KEY,
    client_id    TEXT NOT NULL REFERENCES clients(id),
    service_id   TEXT REFERENCES services(id),
    start_utc    INTEGER NOT NULL,
    end_utc      INTEGER NOT NULL CHECK (end_utc > start_utc),
    time_zone    TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('in_person', 'video', 'phone')),
    video_link   TEXT NOT NULL DEFAULT '',
    status       TEXT NOT NULL CHECK (status IN ('planned', 'done', 'cancelled', 'no_show')),
    series_id    TEXT REFERENCES appointment_series(id),
    note         TEXT NOT NULL DEFAULT '',
    created_hlc  INTEGER NOT NULL,
    updated_hlc  INTEGER NOT NULL,
    device       TEXT NOT NULL,
    deleted      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX appointments_by_start ON appointments(deleted, start_utc);
CREATE INDEX appointments_by_client ON appointments(client_id, start_utc);

CREATE TABLE sessions (
    id             TEXT PRIMARY KEY,
    client_id      TEXT NOT NULL REFERENCES clients(id),
    appointment_id TEXT REFERENCES appointments(id),
    service_id     TEXT REFERENCES services(id),
    date           TEXT NOT NULL,
    minutes        INTEGER NOT NULL CHECK (minutes > 0),
    fee_cents      INTEGER NOT NULL CHECK (fee_cents >= 0),
    setting        TEXT NOT NULL DEFAULT 'individual' CHECK (setting IN ('individual', 'group')),
    created_hlc    INTEGER NOT NULL,
    updated_hlc    INTEGER NOT NULL,
    device         TEXT NOT NULL,
    deleted        INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX sessions_by_client ON sessions(client_id, date);
CREATE INDEX sessions_by_date ON sessions(date);

-- Documentation is append-only: a correction is a new row, no row is ever updated or deleted
-- (§630f BGB). A session's current text is its revision with the greatest (created_hlc, id).
CREATE TABLE note_revisions (
    n           INTEGER PRIMARY KEY,
    id          TEXT NOT NULL UNIQUE,
    session_id  TEXT NOT NULL REFERENCES sessions(id),
    body        TEXT NOT NULL,
    created_hlc INTEGER NOT NULL,
    device      TEXT NOT NULL
);
CREATE INDEX note_revisions_by_session ON note_revisions(session_id, created_hlc, id);

-- Full-text indexes. remove_diacritics 2 folds ä→a, é→e, so a search typed without umlauts still
-- finds "Müller"; see docs/ARCHITECTURE.md for the trade-off.
-- Only each session's current revision is indexed. The trigger keeps that invariant even when a
-- revision from another device arrives out of order (an older stamp is stored, not indexed).
CREATE VIRTUAL TABLE notes_fts USING fts5(
    body, content='note_revisions', content_rowid='n',
    tokenize = "unicode61 remove_diacritics 2"
);
CREATE TRIGGER note_revisions_fts AFTER INSERT ON note_revisions
WHEN NOT EXISTS (
    SELECT 1 FROM note_revisions o
    WHERE o.session_id = new.session_id AND o.n <> new.n
      AND (o.created_hlc, o.id) > (new.created_hlc, new.id)
)
BEGIN
    INSERT INTO notes_fts(notes_fts, rowid, body)
        SELECT 'delete', p.n, p.body FROM note_revisions p
        WHERE p.session_id = new.session_id AND p.n <> new.n
        ORDER BY p.created_hlc DESC, p.id DESC LIMIT 1;
    INSERT INTO notes_fts(rowid, body) VALUES (new.n, new.body);
END;

CREATE VIRTUAL TABLE clients_fts USING fts5(
    given_name, family_name, code_name, city, insurance_number,
    content='clients', content_rowid='n',
    tokenize = "unicode61 remove_diacritics 2", prefix = '2 3'
);
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
