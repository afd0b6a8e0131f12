//! Full-text search over clients and documentation (FTS5 inside the encrypted database).
//!
//! User input is never handed to FTS5 as query syntax: it is split into words and "quoted
//! phrases", each passed as an FTS5 string, so quotes, stars, parentheses, `AND`/`NEAR` or a
//! lone `-` can never produce a syntax error or change the query's meaning. A trailing `*` on a
//! word asks for a prefix match. Documentation hits come most recently written first and the total is counted
//! only up to a cap, so a common word costs as little as a rare one.

use rusqlite::params;

use crate::domain::client::ClientSummary;
use crate::domain::ids::{ClientId, SessionId};
use crate::error::{Error, Result};

use super::rows;
use super::Reader;

/// Counting stops here; the UI shows "more than 1000".
pub const COUNT_CAP: u32 = 1000;
const MARK_START: char = '\u{2}';
const MARK_END: char = '\u{3}';

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CappedCount {
    pub count: u32,
    /// True when there are at least `count` hits and maybe more.
    pub capped: bool,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SnippetPart {
    pub text: String,
    pub hit: bool,
}

pub type Snippet = Vec<SnippetPart>;

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SessionHit {
    pub session_id: SessionId,
    pub client_id: ClientId,
    pub client_name: String,
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub date: jiff::civil::Date,
    pub snippet: Snippet,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ClientHit {
    pub client: ClientSummary,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SearchResults {
    pub clients: Vec<ClientHit>,
    pub sessions: Vec<SessionHit>,
    pub session_total: CappedCount,
}

/// Builds a safe FTS5 expression. `all_prefix` makes every word a prefix (type-ahead on names).
pub fn fts_query(input: &str, all_prefix: bool) -> Result<String> {
    let mut terms: Vec<String> = Vec::new();
    let mut rest = input;
    while !rest.is_empty() {
        rest = rest.trim_start();
        if rest.is_empty() {
            break;
        }
        let (raw, is_phrase, next) = if let Some(after) = rest.strip_prefix('"') {
            // An unbalanced quote makes the rest of the input one phrase.
            match after.find('"') {
                Some(end) => (&after[..end], true, &after[end + 1..]),
                None => (after, true, ""),
            }
        } else {
            let end = rest.find(|c: char| c.is_whitespace() || c == '"').unwrap_or(rest.len());
            (&rest[..end], false, &rest[end..])
        };
        rest = next;
        let prefix = !is_phrase && (all_prefix || raw.ends_with('*'));
        let cleaned: String = raw.chars().map(|c| if c.is_alphanumeric() || c == '\'' { c } else { ' ' }).collect();
        let words: Vec<&str> = cleaned.split_whitespace().collect();
        if words.is_empty() {
            continue;
        }
        let body = words.join(" ").replace('"', "\"\"");
        terms.push(if prefix { format!("\"{body}\"*") } else { format!("\"{body}\"") });
    }
    if terms.is_empty() {
        return Err(Error::EmptySearch);
    }
    Ok(terms.join(" "))
}

fn parse_snippet(s: &str) -> Snippet {
    let mut parts = Vec::new();
    let mut hit = false;
    let mut cur = String::new();
    for c in s.chars() {
        if c == MARK_START || c == MARK_END {
            if !cur.is_empty() {
                parts.push(SnippetPart { text: std::mem::take(&mut cur), hit });
            }
            hit = c == MARK_START;
        } else {
            cur.push(c);
        }
    }
    if !cur.is_empty() {
        parts.push(SnippetPart { text: cur, hit });
    }
    parts
}

impl Reader<'_> {
    /// Clients whose names, code name, city or insurance number start with the typed words.
    pub fn search_clients(&self, input: &str, limit: u32) -> Result<Vec<ClientHit>> {
        let q = fts_query(input, true)?;
        let mut st = self.conn.prepare_cached(
            "SELECT c.id, c.given_name, c.family_name, c.code_name, c.birth_date, c.status, c.city
             FROM clients_fts f JOIN clients c ON c.n = f.rowid
             WHERE clients_fts MATCH ?1 AND c.deleted = 0 AND c.restricted_since IS NULL ORDER BY f.rank LIMIT ?2",
        )?;
        let rows = st.query_map(params![q, limit], |r| Ok(ClientHit { client: super::clients::map_summary(r)? }))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Documentation hits, newest first, with highlighted snippets.
    pub fn search_sessions(&self, input: &str, limit: u32) -> Result<(Vec<SessionHit>, CappedCount)> {
        let q = fts_query(input, false)?;
        let snippet_sql = format!(
            "SELECT s.id, s.client_id, c.given_name, c.family_name, s.date,
                    snippet(notes_fts, 0, '{MARK_START}', '{MARK_END}', '…', 16)
             FROM notes_fts f JOIN note_revisions r ON r.n = f.rowid
             JOIN sessions s ON s.id = r.session_id JOIN clients c ON c.id = s.client_id
             WHERE notes_fts MATCH ?1 AND s.deleted = 0 AND c.restricted_since IS NULL
             ORDER BY f.rowid DESC LIMIT ?2"
        );
        let mut st = self.conn.prepare_cached(&snippet_sql)?;
        let rows = st.query_map(params![q, limit], |r| {
            let given: String = r.get(2)?;
            let family: String = r.get(3)?;
            Ok(SessionHit {
                session_id: rows::parse(r, 0, "session id")?,
                client_id: rows::parse(r, 1, "client id")?,
                client_name: format!("{given} {family}").trim().to_string(),
                date: rows::parse(r, 4, "date")?,
                snippet: parse_snippet(&r.get::<_, String>(5)?),
            })
        })?;
        let hits = rows.collect::<rusqlite::Result<Vec<_>>>()?;
        let count: u32 = self
            .conn
            .prepare_cached("SELECT count(*) FROM (SELECT 1 FROM notes_fts WHERE notes_fts MATCH ?1 LIMIT ?2)")?
            .query_row(params![q, COUNT_CAP + 1], |r| r.get(0))?;
        Ok((hits, CappedCount { count: count.min(COUNT_CAP), capped: count > COUNT_CAP }))
    }

    /// The design this module replaced, kept for the benchmark's before/after figure: rank every
    /// hit by bm25, snippet the best, count them all. Its cost grows with the number of hits.
    pub fn search_sessions_ranked_all(&self, input: &str, limit: u32) -> Result<(usize, u64)> {
        let q = fts_query(input, false)?;
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT snippet(notes_fts, 0, '{MARK_START}', '{MARK_END}', '…', 16) FROM notes_fts
             WHERE notes_fts MATCH ?1 ORDER BY rank LIMIT ?2"
        ))?;
        let n = st.query_map(params![q, limit], |r| r.get::<_, String>(0))?.count();
        let total: i64 = self
            .conn
            .prepare_cached("SELECT count(*) FROM notes_fts WHERE notes_fts MATCH ?1")?
            .query_row([q], |r| r.get(0))?;
        Ok((n, total as u64))
    }

    pub fn search(&self, input: &str, limit: u32) -> Result<SearchResults> {
        let clients = self.search_clients(input, limit)?;
        let (sessions, session_total) = self.search_sessions(input, limit)?;
        Ok(SearchResults { clients, sessions, session_total })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_input_becomes_quoted_terms() {
        let table = [
            ("angst", "\"angst\""),
            ("Angst Schlaf", "\"Angst\" \"Schlaf\""),
            ("\"innere Unruhe\"", "\"innere Unruhe\""),
            ("\"unbalanced phrase", "\"unbalanced phrase\""),
            ("thera*", "\"thera\"*"),
            ("(angst OR NOT", "\"angst\" \"OR\" \"NOT\""),
            ("a:b", "\"a b\""),
            ("Müller-Lüdenscheidt", "\"Müller Lüdenscheidt\""),
            ("NEAR(a b)", "\"NEAR a\" \"b\""),
        ];
        for (input, want) in table {
            assert_eq!(fts_query(input, false).unwrap(), want, "{input}");
        }
        assert_eq!(fts_query("mül", true).unwrap(), "\"mül\"*");
    }

    #[test]
    fn nothing_searchable_is_a_clear_error() {
        for q in ["", "   ", "\"\"", "*", "((( )))", "-", "^"] {
            assert!(matches!(fts_query(q, false), Err(Error::EmptySearch)), "{q}");
        }
    }

    #[test]
    fn snippets_split_into_marked_parts() {
        let p = parse_snippet("…die \u{2}Angst\u{3} vor …");
        assert_eq!(p.len(), 3);
        assert!(p[1].hit && p[1].text == "Angst");
    }
}
