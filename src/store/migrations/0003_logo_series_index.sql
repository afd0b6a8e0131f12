-- The practice's letterhead logo (PNG bytes, checked by `domain::logo` before they get here).
-- A row of its own, not a column of `practice`: rows merge whole between devices, and a logo
-- changed on one computer must not undo an address changed on another. Fixed id 'logo'.
CREATE TABLE practice_logo (
    id           TEXT PRIMARY KEY,
    png          BLOB,
    created_hlc  INTEGER NOT NULL,
    updated_hlc  INTEGER NOT NULL,
    device       TEXT NOT NULL,
    deleted      INTEGER NOT NULL DEFAULT 0
);

-- Issuing looks up the series' last number and its latest date. Without these both were a scan
-- of every invoice (6 ms each issue among 13,000 invoices); with them, two index seeks.
CREATE INDEX invoices_by_series_seq ON invoices(series, period, seq);
CREATE INDEX invoices_by_series_date ON invoices(series, period, issue_date);
