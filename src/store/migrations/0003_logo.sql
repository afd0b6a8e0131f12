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
