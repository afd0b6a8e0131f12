-- Schema 12: the practice's tax adviser (name and address on one line, '' for none), named as a
-- recipient of invoice data in a client's Art. 15 file. A plain added column merges per field
-- like the others (store/stamps.rs).
ALTER TABLE practice ADD COLUMN tax_adviser TEXT NOT NULL DEFAULT '';
