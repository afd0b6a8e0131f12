-- Schema 6: documents kept as issued (GoBD: a reprint is the identical copy).
--
-- The bytes of every document Tresor hands out about an invoice: the invoice and the Storno
-- (rendered in the transaction that issues them), each dunning letter (in the transaction
-- that writes it), and the receipt, the claim form and the XRechnung file (when first made).
-- Exporting such a document again writes exactly these bytes. Rows are only inserted, never
-- changed or deleted (the triggers below), and replicate as append-only rows, so every
-- computer and every snapshot and backup holds them. `number` is the invoice number the
-- document shows: two computers that issued the same draft offline keep both documents, and
-- each shows the one of the number it kept. `subject_id` is what it documents: the invoice,
-- the dunning letter or the payment.
CREATE TABLE issued_documents (
    id           TEXT PRIMARY KEY,
    invoice_id   TEXT NOT NULL REFERENCES invoices(id),
    subject_id   TEXT NOT NULL,
    kind         TEXT NOT NULL,
    number       TEXT NOT NULL,
    media_type   TEXT NOT NULL,
    content      BLOB NOT NULL,
    sha256       TEXT NOT NULL,
    created_hlc  INTEGER NOT NULL,
    device       TEXT NOT NULL
);
CREATE INDEX issued_documents_by_subject ON issued_documents(subject_id, kind, number, created_hlc);
CREATE INDEX issued_documents_by_invoice ON issued_documents(invoice_id);
CREATE TRIGGER issued_documents_no_update BEFORE UPDATE ON issued_documents
BEGIN SELECT RAISE(ABORT, 'tresor.immutable:issued_document'); END;
CREATE TRIGGER issued_documents_no_delete BEFORE DELETE ON issued_documents
BEGIN SELECT RAISE(ABORT, 'tresor.immutable:issued_document'); END;
