-- Schema 14: the invoice list reads its columns from one covering index. In the table the
-- issued document (`snapshot`, a few KB of JSON) sits before `gross_cents`, `created_hlc` and
-- `deleted`, so reading those walked every invoice's overflow pages: with 20,200 invoices the
-- list decrypted ~80 MB for a few hundred KB of facts (figures in docs/DESKTOP.md). The
-- recipient's name (searched by the list) is indexed as the expression the list selects, which
-- SQLite reads from the index; the leading columns are the list's order, so it needs no sort.
-- Partial, on the list's own term: only a query that says `state IN ('draft', 'issued')` can
-- use it, so no other query's plan (the billed-once check of every issue, a client's invoices)
-- can start walking all invoices through it.
CREATE INDEX invoices_list ON invoices(deleted, state, period DESC, series, seq DESC, created_hlc DESC, id,
    client_id, kind, number, issue_date, due_date, gross_cents, json_extract(payer, '$.party.name'))
    WHERE state IN ('draft', 'issued');
