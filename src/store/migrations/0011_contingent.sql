-- Schema 11: the number of sessions a client's insurer approved (ÖGK: an approval is needed
-- from the eleventh session on). NULL when no approval is recorded. A plain added column merges
-- per field like the others (store/stamps.rs).
ALTER TABLE clients ADD COLUMN approved_sessions INTEGER;
