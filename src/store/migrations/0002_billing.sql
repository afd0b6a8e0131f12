-- Schema 2: billing. Invoices, their lines, payments, dunning letters and write-offs.
-- An issued invoice is a legal document: its row and its lines never change again, and payments,
-- dunning letters and write-offs are append-only. The triggers at the end enforce this in the
-- database itself, so no code path (nor a merge from another device) can alter them. A state
-- change of an issued invoice (paid, cancelled, written off, dunned) is a new row elsewhere.

CREATE TABLE billing_settings (
    id                   TEXT PRIMARY KEY,
    -- Tokens: {year}, {seq:N} (zero-padded to N digits), {series-} (the device's series code
    -- and a dash, or nothing for the first device), {series}.
    number_format        TEXT NOT NULL DEFAULT '{year}-{series-}{seq:4}',
    payment_days         INTEGER NOT NULL DEFAULT 14 CHECK (payment_days BETWEEN 0 AND 365),
    no_show_fee_cents    INTEGER NOT NULL DEFAULT 0 CHECK (no_show_fee_cents >= 0),
    treatment_method     TEXT NOT NULL DEFAULT '',
    dunning_days         INTEGER NOT NULL DEFAULT 14 CHECK (dunning_days BETWEEN 1 AND 365),
    dunning_fee1_cents   INTEGER NOT NULL DEFAULT 0 CHECK (dunning_fee1_cents >= 0),
    dunning_fee2_cents   INTEGER NOT NULL DEFAULT 500 CHECK (dunning_fee2_cents >= 0),
    dunning_fee3_cents   INTEGER NOT NULL DEFAULT 1000 CHECK (dunning_fee3_cents >= 0),
    created_hlc          INTEGER NOT NULL,
    updated_hlc          INTEGER NOT NULL,
    device               TEXT NOT NULL,
    deleted              INTEGER NOT NULL DEFAULT 0
);

-- Each device numbers in its own series, so two computers never hand out the same number
-- (several series are legal in AT and DE). `id` is the device's id; the code of the device that
-- created the vault is '', later devices get 'A', 'B', ….
CREATE TABLE invoice_series (
    id           TEXT PRIMARY KEY,
    code         TEXT NOT NULL UNIQUE,
    created_hlc  INTEGER NOT NULL,
    updated_hlc  INTEGER NOT NULL,
    device       TEXT NOT NULL,
    deleted      INTEGER NOT NULL DEFAULT 0
);

-- Who pays for a client's sessions (JSON `BillTo`); `id` is the client's id. No row means the
-- client record's bill-to party, else the client, pays.
CREATE TABLE client_billing (
    id           TEXT PRIMARY KEY REFERENCES clients(id),
    bill_to      TEXT NOT NULL,
    created_hlc  INTEGER NOT NULL,
    updated_hlc  INTEGER NOT NULL,
    device       TEXT NOT NULL,
    deleted      INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE invoices (
    id           TEXT PRIMARY KEY,
    client_id    TEXT NOT NULL REFERENCES clients(id),
    kind         TEXT NOT NULL CHECK (kind IN ('invoice', 'cancellation')),
    state        TEXT NOT NULL CHECK (state IN ('draft', 'issued')),
    number       TEXT UNIQUE,
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
    cancels      TEXT UNIQUE REFERENCES invoices(id),
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
-- Gapless and unique per series and numbering period (the year, when the format has one).
CREATE UNIQUE INDEX invoices_series_seq ON invoices(series, period, seq) WHERE seq IS NOT NULL;
CREATE INDEX invoices_by_client ON invoices(client_id, deleted);
CREATE INDEX invoices_by_issue_date ON invoices(state, issue_date);

CREATE TABLE invoice_lines (
    id             TEXT PRIMARY KEY,
    invoice_id     TEXT NOT NULL REFERENCES invoices(id),
    position       INTEGER NOT NULL,
    kind           TEXT NOT NULL CHECK (kind IN ('session', 'no_show', 'item')),
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
CREATE INDEX invoice_lines_by_invoice ON invoice_lines(invoice_id, position);
CREATE INDEX invoice_lines_by_session ON invoice_lines(session_id) WHERE session_id IS NOT NULL;
CREATE INDEX invoice_lines_by_appointment ON invoice_lines(appointment_id) WHERE appointment_id IS NOT NULL;

-- A wrong payment is corrected by a negative one, never by changing or removing a row.
CREATE TABLE payments (
    id           TEXT PRIMARY KEY,
    invoice_id   TEXT NOT NULL REFERENCES invoices(id),
    date         TEXT NOT NULL,
    amount_cents INTEGER NOT NULL CHECK (amount_cents <> 0),
    method       TEXT NOT NULL,
    note         TEXT NOT NULL DEFAULT '',
    created_hlc  INTEGER NOT NULL,
    device       TEXT NOT NULL
);
CREATE INDEX payments_by_invoice ON payments(invoice_id, date);
CREATE INDEX payments_by_date ON payments(date);

CREATE TABLE dunning_letters (
    id           TEXT PRIMARY KEY,
    invoice_id   TEXT NOT NULL REFERENCES invoices(id),
    level        INTEGER NOT NULL CHECK (level BETWEEN 1 AND 3),
    date         TEXT NOT NULL,
    due_date     TEXT NOT NULL,
    fee_cents    INTEGER NOT NULL CHECK (fee_cents >= 0),
    created_hlc  INTEGER NOT NULL,
    device       TEXT NOT NULL,
    UNIQUE (invoice_id, level)
);

CREATE TABLE write_offs (
    id           TEXT PRIMARY KEY,
    invoice_id   TEXT NOT NULL UNIQUE REFERENCES invoices(id),
    date         TEXT NOT NULL,
    reason       TEXT NOT NULL CHECK (reason <> ''),
    created_hlc  INTEGER NOT NULL,
    device       TEXT NOT NULL
);

-- Immutability. The message prefix `tresor.immutable:` is mapped to Error::Immutable.
CREATE TRIGGER invoices_issued_no_update BEFORE UPDATE ON invoices WHEN old.state = 'issued'
BEGIN SELECT RAISE(ABORT, 'tresor.immutable:invoice'); END;
CREATE TRIGGER invoices_issued_no_delete BEFORE DELETE ON invoices WHEN old.state = 'issued'
BEGIN SELECT RAISE(ABORT, 'tresor.immutable:invoice'); END;

-- A line stamped after its invoice was issued is refused. One stamped before may still arrive
-- after the invoice row when another device's changes are merged.
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

CREATE TRIGGER payments_no_update BEFORE UPDATE ON payments
BEGIN SELECT RAISE(ABORT, 'tresor.immutable:payment'); END;
CREATE TRIGGER payments_no_delete BEFORE DELETE ON payments
BEGIN SELECT RAISE(ABORT, 'tresor.immutable:payment'); END;
-- A draft takes no payment (a merge may bring a payment before its invoice; that is allowed).
CREATE TRIGGER payments_not_on_drafts BEFORE INSERT ON payments
WHEN (SELECT state FROM invoices WHERE id = new.invoice_id) = 'draft'
BEGIN SELECT RAISE(ABORT, 'tresor.immutable:payment'); END;

CREATE TRIGGER dunning_letters_no_update BEFORE UPDATE ON dunning_letters
BEGIN SELECT RAISE(ABORT, 'tresor.immutable:dunning_letter'); END;
CREATE TRIGGER dunning_letters_no_delete BEFORE DELETE ON dunning_letters
BEGIN SELECT RAISE(ABORT, 'tresor.immutable:dunning_letter'); END;
CREATE TRIGGER write_offs_no_update BEFORE UPDATE ON write_offs
BEGIN SELECT RAISE(ABORT, 'tresor.immutable:write_off'); END;
CREATE TRIGGER write_offs_no_delete BEFORE DELETE ON write_offs
BEGIN SELECT RAISE(ABORT, 'tresor.immutable:write_off'); END;
