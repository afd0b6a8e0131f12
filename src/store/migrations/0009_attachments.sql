-- Schema 9: attachments (consent forms, reports, letters, recordings) of a client or a session.
--
-- The row holds what the client page lists; the bytes are an encrypted file `file` in the data
-- folder's `attachments/` (see src/attachment.rs), written once and never changed. The row
-- replicates per field like other records; deleting one is a tombstone whose name and type are
-- blanked in the same change, and removes the file. `expires_at` (UTC, RFC 3339) is an optional
-- lifetime: the first unlock after it erases the attachment the same way.
CREATE TABLE attachments (
    id           TEXT PRIMARY KEY,
    client_id    TEXT NOT NULL REFERENCES clients(id),
    session_id   TEXT REFERENCES sessions(id),
    file         TEXT NOT NULL,
    name         TEXT NOT NULL,
    media_type   TEXT NOT NULL,
    size         INTEGER NOT NULL CHECK (size >= 0),
    expires_at   TEXT,
    created_hlc  INTEGER NOT NULL,
    updated_hlc  INTEGER NOT NULL,
    device       TEXT NOT NULL,
    deleted      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX attachments_by_client ON attachments(client_id, deleted);
CREATE INDEX attachments_by_expiry ON attachments(expires_at) WHERE expires_at IS NOT NULL AND deleted = 0;
