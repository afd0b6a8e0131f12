-- Schema 7: how a kept document was made, so it travels as a hash, not as a file.
--
-- An invoice, Storno or dunning letter is rendered from rows that replicate anyway (its frozen
-- facts) plus a few inputs: the moment it was made, the logo in force, the treatment method and
-- the interest default. `recipe` holds those inputs (JSON); segments then carry the row without
-- its `content`, and the other computer renders the document itself and keeps it only when the
-- bytes match `sha256` (issue 11: ~30 KB per invoice in the data folder). NULL for documents
-- that travel whole (receipts, claim forms, XRechnung files) and for those kept before.
ALTER TABLE issued_documents ADD COLUMN recipe TEXT;
