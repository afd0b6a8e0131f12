//! Conflicts two computers left behind, as the CLI and the shell see them: listed with both
//! values and the computers' names, resolved by taking one side (journaled, and carried to the
//! other computers by the next segment like any change).

use std::collections::BTreeMap;

use std::ops::{Deref, DerefMut};

use crate::error::{Error, Result};
use crate::store::{Conflict, Side, Store};

use super::{lease, Replica};
use crate::domain::Field;

impl<S: Deref<Target = Store>> Replica<'_, S> {
    /// Conflicts, newest first: only the open ones unless `all`.
    pub fn conflicts(&self, all: bool) -> Result<Vec<Conflict>> {
        let mut list = self.store().read().conflicts(all)?;
        let names = self.device_names();
        for c in &mut list {
            for side in [&mut c.kept, &mut c.other] {
                side.device_name = names.get(&side.device).cloned().unwrap_or_default();
            }
        }
        Ok(list)
    }

    /// Takes one side of a conflict, named by its id or an unambiguous start of it. Taking
    /// a side again (changing one's mind) is allowed: the last choice is what the record holds.
    pub fn resolve_conflict(&mut self, id: &str, side: Side) -> Result<Conflict>
    where
        S: DerefMut,
    {
        let id = self.full_conflict_id(id)?;
        self.store_mut().write(|tx| tx.resolve_conflict(&id, side))?;
        self.conflicts(true)?.into_iter().find(|c| c.id == id).ok_or_else(|| Error::not_found("conflict", &id))
    }

    fn full_conflict_id(&self, given: &str) -> Result<String> {
        let given = given.trim().to_ascii_lowercase();
        let all = self.store().read().conflicts(true)?;
        if all.iter().any(|c| c.id == given) {
            return Ok(given);
        }
        let mut matching = all.iter().filter(|c| given.len() >= 4 && c.id.starts_with(&given));
        match (matching.next(), matching.next()) {
            (Some(c), None) => Ok(c.id.clone()),
            (Some(_), Some(_)) => Err(Error::invalid(Field::Id, crate::Problem::NotAllowed)),
            _ => Err(Error::not_found("conflict", &given)),
        }
    }

    /// Computer names by device id, as the leases in the data folder announce them.
    fn device_names(&self) -> BTreeMap<String, String> {
        let mut names: BTreeMap<String, String> =
            lease::read_all(self.data_folder()).into_iter().map(|l| (l.lease.device, l.lease.name)).collect();
        names.insert(self.device().id.clone(), self.device().name.clone());
        names
    }
}
