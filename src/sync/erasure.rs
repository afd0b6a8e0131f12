//! An erasure reaches the data folder: every segment that still holds a row of the erased
//! client is rewritten without it (same name, same chain, sealed again), and every snapshot
//! that was made before the erasure was carried out is removed. Snapshots are told apart by
//! what is in them (`erased_rows` holds the erasure's id once it was carried out), not by their
//! names or times: a clock that ran wrong cannot keep an old one.

use std::collections::HashSet;
use std::path::Path;

use crate::crypto::{DataKey, KEY_LEN};
use crate::error::Result;
use crate::fsutil;
use crate::paths::DataFolder;
use crate::store::{touches_erased, OpenMode, Store};

use super::segment::{self, Opened};
use super::snapshot;

/// What the sweep changed in the folder.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Swept {
    pub segments_rewritten: usize,
    pub snapshots_removed: usize,
    /// Segments that could not be opened (damaged, of a newer Tresor): left as they are.
    pub segments_unread: usize,
}

/// Rewrites the segments of every device without the rows in `erased` and removes the
/// snapshots that do not hold every erasure in `erasure_ids` as carried out.
pub fn sweep(
    folder: &DataFolder,
    key: &DataKey,
    seg_key: &[u8; KEY_LEN],
    vault_id: &str,
    erased: &HashSet<String>,
    erasure_ids: &[String],
) -> Result<Swept> {
    let mut out = Swept::default();
    for files in segment::list(&folder.log(), "").into_values() {
        for f in files {
            let mut seg = match segment::open(seg_key, vault_id, &f) {
                Ok(Opened::Current(seg)) => seg,
                Ok(Opened::Newer { .. }) | Err(_) => {
                    out.segments_unread += 1;
                    continue;
                }
            };
            let before = seg.rows.len();
            seg.rows.retain(|img| !touches_erased(img, erased));
            if seg.rows.len() == before {
                continue;
            }
            // The journal keeps only ids; those of removed rows go too, so a reader does not
            // wait for a row that will never come.
            seg.journal.retain(|e| e.entity == crate::store::ERASURE_ENTITY || !erased.contains(&e.row_id));
            let bytes = segment::seal(seg_key, &seg)?;
            fsutil::write_atomic(&f.path, &bytes)?;
            out.segments_rewritten += 1;
        }
    }
    for info in snapshot::list_for(folder, vault_id) {
        if !holds_erasures(&info.path, key, erasure_ids) {
            // Gone already (another computer swept first) is as good as removed.
            if std::fs::remove_file(&info.path).is_ok() {
                out.snapshots_removed += 1;
            }
        }
    }
    Ok(out)
}

/// True when the snapshot at `path` carried out every erasure in `ids`; a snapshot that cannot
/// be read is not trusted to.
fn holds_erasures(path: &Path, key: &DataKey, ids: &[String]) -> bool {
    let Ok(store) = Store::open(path, key, OpenMode::ReadOnly, "sweep") else {
        return false;
    };
    let Ok(done) = store.read().erased_ids() else {
        return false;
    };
    ids.iter().all(|id| done.contains(id))
}
