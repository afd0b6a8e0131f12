//! Import from other tools into this vault: the dry run ([`Vault::import_preview`]) and the
//! import itself ([`Vault::import_file`]), which saves every valid row in one transaction,
//! journaled like any other change, and remembers the mapping for the next file of that kind.

use std::path::Path;

use crate::domain::ids::{AppointmentId, ClientId, ServiceId, SessionId};
use crate::domain::service::ServiceInput;
use crate::error::Result;
use crate::import::{self, mapping, table, ImportOptions, ImportReport, Kind, Mapping, Preview, Proposal, Record};
use crate::store::NewAppointment;

use std::ops::{Deref, DerefMut};

use super::{Records, Vault};

/// Where the mapping of the last import of a kind is kept: this computer's working copy (the
/// `meta` table), not a synced record: it is a habit of this computer's files, not practice data.
fn mapping_key(kind: Kind) -> String {
    format!("import.mapping.{}", kind.as_str())
}

impl<V: Deref<Target = Vault>> Records<V> {
    /// The mapping the next import of `kind` starts from, for a file with these headers.
    pub fn import_proposal(&self, kind: Kind, headers: &[String]) -> Result<Mapping> {
        let remembered: Mapping = self
            .vault
            .store
            .read()
            .meta(&mapping_key(kind))?
            .and_then(|json| serde_json::from_str(&json).ok())
            .unwrap_or_default();
        Ok(mapping::propose(kind, headers, &remembered))
    }

    /// Reads the file's header: its columns and the mapping proposed for them. Changes nothing.
    pub fn import_columns(&self, kind: Kind, path: &Path) -> Result<Proposal> {
        let table = table::read_file(path)?;
        let mapping = self.import_proposal(kind, &table.headers)?;
        Ok(Proposal {
            kind,
            fields: import::field_choices(kind),
            mapping,
            rows: table.rows.len() as u32,
            columns: table.headers,
        })
    }

    /// The dry run: reads the file and shows what an import would do. Changes nothing.
    pub fn import_preview(&self, kind: Kind, path: &Path, options: &ImportOptions) -> Result<Preview> {
        let table = table::read_file(path)?;
        Ok(self.plan_import(kind, &table, options)?.preview)
    }

    /// Imports every row that can be (duplicates only when asked) in one transaction: all of
    /// them are saved, or, should saving fail, none. Rows that cannot be are in the report.
    pub fn import_file(&mut self, kind: Kind, path: &Path, options: &ImportOptions) -> Result<ImportReport>
    where
        V: DerefMut,
    {
        let table = table::read_file(path)?;
        let plan = self.plan_import(kind, &table, options)?;
        let zone = self.practice()?.time_zone;
        let mapping_json = serde_json::to_string(&plan.preview.mapping).unwrap_or_default();
        let mut imported = 0u32;
        let mut skipped = 0u32;
        self.vault.store.write(|tx| {
            for (record, duplicate) in &plan.records {
                if *duplicate && !options.duplicates {
                    skipped += 1;
                    continue;
                }
                match record {
                    Record::Client(input) => tx.insert_client(ClientId::new(), input)?,
                    Record::Service(input) => tx.insert_service(ServiceId::new(), input)?,
                    Record::Appointment { client_id, service_id, start, end, note } => tx.insert_appointment(
                        AppointmentId::new(),
                        &NewAppointment {
                            client_id: *client_id,
                            service_id: *service_id,
                            start: *start,
                            end: *end,
                            time_zone: &zone,
                            kind: crate::domain::appointment::AppointmentKind::InPerson,
                            video_link: "",
                            series_id: None,
                            note,
                        },
                    )?,
                    Record::Session { session, note } => {
                        let id = SessionId::new();
                        tx.insert_session(id, session)?;
                        if !note.trim().is_empty() {
                            tx.add_revision(id, note)?;
                        }
                    }
                }
                imported += 1;
            }
            tx.set_meta(&mapping_key(kind), &mapping_json)
        })?;
        let rejected_rows = {
            let mut rows: Vec<u32> = plan.preview.rejected.iter().map(|i| i.row).collect();
            rows.dedup();
            rows.len() as u32
        };
        Ok(ImportReport { imported, skipped_duplicates: skipped, rejected_rows, preview: plan.preview })
    }

    fn plan_import(&self, kind: Kind, table: &table::Table, options: &ImportOptions) -> Result<import::Plan> {
        let mapping = match &options.mapping {
            Some(m) => m.clone(),
            None => self.import_proposal(kind, &table.headers)?,
        };
        let mapping = mapping::checked(kind, &table.headers, &mapping)?;
        let records = self.vault.records();
        let practice = records.practice()?;
        let r = self.vault.store.read();
        let check_service = |input: ServiceInput| records.check_service(input);
        let cx = import::Context {
            today: records.today()?,
            country: practice.country,
            tz: practice.tz()?,
            default_tax: records.tax_choices()?.default,
            clients: r.client_identities()?,
            services: r.services()?,
            appointment_keys: r.appointment_keys()?,
            session_keys: r.session_keys()?,
            check_service: &check_service,
        };
        Ok(import::plan(kind, table, mapping, &cx))
    }
}
