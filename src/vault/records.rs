//! The records part of a vault ([`Records`], `vault.records()`): the practice and its logo,
//! clients, services, appointments, sessions and their documentation, search. Each operation
//! validates with the domain rules, resolves defaults and writes through the store in one
//! transaction.

use std::io::Read;
use std::ops::{Deref, DerefMut};
use std::path::Path;

use jiff::civil::Date;
use jiff::{Timestamp, ToSpan};

use crate::billing::{fees, rules};
use crate::domain::appointment::{Appointment, AppointmentInput, AppointmentStatus};
use crate::domain::client::{Client, ClientInput, ClientSummary};
use crate::domain::ids::{AppointmentId, ClientId, NoteRevisionId, SeriesId, ServiceId, SessionId};
use crate::domain::logo::{self, Logo};
use crate::domain::money::Cents;
use crate::domain::practice::{Practice, PracticeUpdate};
use crate::domain::recurrence::Recurrence;
use crate::domain::service::{FeeForm, FeePreview, FeeSchedule, Multiplier, Service, ServiceFee, ServiceInput};
use crate::domain::session::{NoteRevision, Session, SessionInput, Setting};
use crate::error::{Error, Problem, Result};
use crate::store::{ClientHit, ClientQuery, NewAppointment, NewSession, SearchResults};

use super::Vault;
use crate::domain::Field;

/// A client's page: the record and everything that happened, newest first.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, serde::Serialize)]
pub struct ClientTimeline {
    pub client: Client,
    pub appointments: Vec<Appointment>,
    pub sessions: Vec<Session>,
    /// Drafts and issued invoices, each with what is still due.
    pub invoices: Vec<crate::billing::model::InvoiceSummary>,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, serde::Deserialize)]
pub struct SeriesInput {
    pub first: AppointmentInput,
    pub recurrence: Recurrence,
}

/// A vault's records, borrowed from it: `vault.records()` reads, `vault.records_mut()` also
/// writes.
pub struct Records<V> {
    pub(super) vault: V,
}

/// How many items of each kind a timeline shows before "show more".
const TIMELINE_LIMIT: u32 = 200;

impl<V: Deref<Target = Vault>> Records<V> {
    pub fn practice(&self) -> Result<Practice> {
        self.vault.store.read().practice()
    }

    pub fn update_practice(&mut self, change: &PracticeUpdate) -> Result<Practice>
    where
        V: DerefMut,
    {
        let updated = change.apply(&self.practice()?)?;
        self.vault.store.write(|tx| tx.put_practice(&updated))?;
        Ok(updated)
    }

    /// The letterhead logo, decoded; `None` when none is set.
    pub fn logo(&self) -> Result<Option<Logo>> {
        self.logo_png()?.map(|png| Logo::from_png(&png)).transpose()
    }

    /// The logo's PNG file as it was chosen, for a preview.
    pub fn logo_png(&self) -> Result<Option<Vec<u8>>> {
        self.vault.store.read().logo()
    }

    /// Sets the letterhead logo from a PNG file's bytes (checked first: a file that is not a
    /// usable PNG changes nothing), or removes it with `None`.
    pub fn set_logo(&mut self, png: Option<&[u8]>) -> Result<()>
    where
        V: DerefMut,
    {
        if let Some(bytes) = png {
            Logo::from_png(bytes)?;
        }
        self.vault.store.write(|tx| tx.put_logo(png))
    }

    /// [`Records::set_logo`] from the PNG file the user chose, or removes the logo with `None`.
    /// Reads one byte past the limit at most, so a video picked by mistake is refused at once.
    pub fn set_logo_file(&mut self, path: Option<&Path>) -> Result<()>
    where
        V: DerefMut,
    {
        let read = |p: &Path| -> std::io::Result<Vec<u8>> {
            let mut png = Vec::new();
            std::fs::File::open(p)?.take(logo::MAX_BYTES as u64 + 1).read_to_end(&mut png)?;
            Ok(png)
        };
        let png = path.map(|p| read(p).map_err(|e| Error::io("read", p, e))).transpose()?;
        self.set_logo(png.as_deref())
    }

    /// Today in the practice's time zone.
    pub fn today(&self) -> Result<Date> {
        Ok(Timestamp::now().to_zoned(self.practice()?.tz()?).date())
    }

    /// Validates a client form without saving it: the same checks as [`Records::add_client`],
    /// so a form can tell the user about a field as they leave it. Returns the normalised input.
    pub fn check_client(&self, input: ClientInput) -> Result<ClientInput> {
        input.validated(self.today()?, self.practice()?.country)
    }

    pub fn add_client(&mut self, input: ClientInput) -> Result<ClientId>
    where
        V: DerefMut,
    {
        let input = self.check_client(input)?;
        let id = ClientId::new();
        self.vault.store.write(|tx| tx.insert_client(id, &input))?;
        Ok(id)
    }

    pub fn update_client(&mut self, id: ClientId, input: ClientInput) -> Result<()>
    where
        V: DerefMut,
    {
        self.vault.retention().ensure_open(id)?;
        let input = self.check_client(input)?;
        self.vault.store.write(|tx| tx.update_client(id, &input))
    }

    /// Deletes a client whose records need not be kept (a tombstone, which a conflict can
    /// still undo; `vault.retention_mut().erase` removes it for good). A client with
    /// documentation or invoices inside their retention is refused with the date it ends.
    pub fn delete_client(&mut self, id: ClientId) -> Result<()>
    where
        V: DerefMut,
    {
        self.vault.retention().ensure_open(id)?;
        let item = self.vault.retention().of(id, self.today()?)?;
        if let (false, Some(until)) = (item.due, item.end) {
            return Err(Error::RetentionActive { until });
        }
        self.vault.store.write(|tx| tx.delete_client(id))
    }

    pub fn client(&self, id: ClientId) -> Result<Client> {
        self.vault.store.read().client(id)
    }

    pub fn clients(&self, q: &ClientQuery) -> Result<(Vec<ClientSummary>, u64)> {
        self.vault.store.read().clients(q)
    }

    pub fn client_timeline(&self, id: ClientId) -> Result<ClientTimeline> {
        let r = self.vault.store.read();
        Ok(ClientTimeline {
            client: r.client(id)?,
            appointments: r.appointments_of(id, TIMELINE_LIMIT)?,
            sessions: r.sessions_of(id, TIMELINE_LIMIT)?,
            invoices: r.invoices(
                &crate::store::InvoiceQuery { client: Some(id), drafts: true, issued: true, ..Default::default() },
                self.today()?,
            )?,
        })
    }

    /// A service as it is saved: its fee schedule and tax mode checked against the practice
    /// (`billing::rules`), a catalogue item's points and usual multiplier filled in, and the
    /// price of a GOÄ or analog item computed from them rather than typed.
    pub(crate) fn check_service(&self, mut input: ServiceInput) -> Result<ServiceInput> {
        let p = self.practice()?;
        rules::check_tax_mode(p.country, p.small_business, input.tax)?;
        let (fee, price) = self.checked_fee(input.fee, input.price)?;
        input.fee = fee;
        input.price = price;
        input.validated()
    }

    /// A service's fee under its schedule: allowed in the practice's country, a catalogue
    /// item's points and usual multiplier filled in, and (GOÄ, analog) the price computed.
    fn checked_fee(&self, mut fee: ServiceFee, price: Cents) -> Result<(ServiceFee, Cents)> {
        rules::check_fee_schedule(self.practice()?.country, fee.schedule)?;
        if fee.schedule.has_points() && fee.points == 0 {
            let item = fees::item(&fee.number)
                .filter(|i| i.schedule == fee.schedule)
                .ok_or(Error::invalid(Field::FeeNumber, Problem::UnknownValue))?;
            fee.number = item.number.into();
            fee.points = item.points;
            if fee.multiplier == Multiplier::default() {
                fee.multiplier = item.multiplier;
            }
        }
        if !fee.schedule.has_points() {
            fee.points = 0;
            fee.multiplier = Multiplier::default();
            return Ok((fee, price));
        }
        if fee.multiplier == Multiplier::default() {
            fee.multiplier = Multiplier::THRESHOLD;
        }
        // A service's usual rate needs no reason; higher ones are set per session's line.
        let usual = fees::max_without_agreement(&fee).min(Multiplier::THRESHOLD);
        if fee.multiplier < Multiplier::ONE || fee.multiplier > usual {
            return Err(Error::invalid(Field::FeeMultiplier, Problem::OutOfRange));
        }
        let price = fees::service_price(&fee, price)?;
        Ok((fee, price))
    }

    /// What a service's fee schedule as typed comes to, checked as saving would check it
    /// (each wrong field named) and saving nothing: the services form shows the fee with it.
    pub fn preview_service_fee(&self, form: &FeeForm) -> Result<FeePreview> {
        let typed = form.parsed()?;
        if typed.schedule != FeeSchedule::None && typed.number.is_empty() {
            return Err(Error::invalid(Field::FeeNumber, Problem::Required));
        }
        let (fee, price) = self.checked_fee(typed, Cents::ZERO)?;
        let decimal = match self.practice()?.language {
            crate::domain::practice::Language::De => ',',
            crate::domain::practice::Language::En => '.',
        };
        let points = fee.schedule.has_points();
        Ok(FeePreview {
            multiplier: if points { fee.multiplier.label(decimal) } else { String::new() },
            text: fees::item_for(&fee).map(|i| i.text.to_string()).unwrap_or_default(),
            price: points.then_some(price),
            fee,
        })
    }

    pub fn add_service(&mut self, input: ServiceInput) -> Result<ServiceId>
    where
        V: DerefMut,
    {
        let input = self.check_service(input)?;
        let id = ServiceId::new();
        self.vault.store.write(|tx| tx.insert_service(id, &input))?;
        Ok(id)
    }

    /// Changes a service. Sessions already recorded keep their own fee; new ones get the new one.
    pub fn update_service(&mut self, id: ServiceId, input: ServiceInput) -> Result<()>
    where
        V: DerefMut,
    {
        let input = self.check_service(input)?;
        self.vault.store.write(|tx| tx.update_service(id, &input))
    }

    /// Retires a service (or brings it back): kept for what used it, not offered for new work.
    pub fn retire_service(&mut self, id: ServiceId, retired: bool) -> Result<()>
    where
        V: DerefMut,
    {
        let mut s = self.vault.store.read().service(id)?.data;
        s.retired = retired;
        self.vault.store.write(|tx| tx.update_service(id, &s))
    }

    /// Deletes a service nobody used; one that sessions or appointments name is refused
    /// (`service.in_use`) and can be retired instead.
    pub fn delete_service(&mut self, id: ServiceId) -> Result<()>
    where
        V: DerefMut,
    {
        self.vault.store.write(|tx| {
            tx.read().service(id)?;
            if tx.read().service_in_use(id)? {
                return Err(Error::ServiceInUse);
            }
            tx.delete_service(id)
        })
    }

    /// Which tax modes and fee schedules this practice may use, and the default: the one rule
    /// (`billing::rules`) that the CLI and the app ask.
    pub fn tax_choices(&self) -> Result<rules::TaxChoices> {
        let p = self.practice()?;
        Ok(rules::choices(p.country, p.small_business))
    }

    pub fn service(&self, id: ServiceId) -> Result<Service> {
        self.vault.store.read().service(id)
    }

    pub fn services(&self) -> Result<Vec<Service>> {
        self.vault.store.read().services()
    }

    /// Books one appointment at a local time in the practice's zone.
    pub fn add_appointment(&mut self, input: AppointmentInput) -> Result<AppointmentId>
    where
        V: DerefMut,
    {
        input.validate()?;
        self.vault.retention().ensure_open(input.client_id)?;
        let practice = self.practice()?;
        let tz = practice.tz()?;
        let start = tz
            .to_ambiguous_zoned(input.local_start)
            .compatible()
            .map_err(|_| Error::invalid(Field::Start, Problem::OutOfRange))?
            .timestamp();
        let end = start
            .checked_add((input.minutes as i64).minutes())
            .map_err(|_| Error::invalid(Field::Minutes, Problem::OutOfRange))?;
        let id = AppointmentId::new();
        self.vault.store.write(|tx| {
            tx.read().client(input.client_id)?;
            if let Some(s) = input.service_id {
                if tx.read().service(s)?.data.retired {
                    return Err(Error::invalid(Field::Service, Problem::NotAllowed));
                }
            }
            tx.insert_appointment(id, &new_appointment(&input, start, end, &practice.time_zone, None))
        })?;
        Ok(id)
    }

    /// Books a recurring series: every occurrence is expanded in local time and stored as its
    /// own appointment, so a single date can be moved or cancelled on its own.
    pub fn add_series(&mut self, input: SeriesInput) -> Result<(SeriesId, Vec<AppointmentId>)>
    where
        V: DerefMut,
    {
        input.first.validate()?;
        self.vault.retention().ensure_open(input.first.client_id)?;
        let practice = self.practice()?;
        let tz = practice.tz()?;
        let occurrences = input.recurrence.expand(input.first.local_start, &tz)?;
        let series = SeriesId::new();
        let first = &input.first;
        let ids = self.vault.store.write(|tx| {
            tx.read().client(first.client_id)?;
            tx.insert_series(
                series,
                first.client_id,
                first.local_start,
                first.minutes,
                &practice.time_zone,
                &input.recurrence,
            )?;
            let mut ids = Vec::with_capacity(occurrences.len());
            for o in &occurrences {
                let end = o
                    .start
                    .checked_add((first.minutes as i64).minutes())
                    .map_err(|_| Error::invalid(Field::Minutes, Problem::OutOfRange))?;
                let id = AppointmentId::new();
                tx.insert_appointment(id, &new_appointment(first, o.start, end, &practice.time_zone, Some(series)))?;
                ids.push(id);
            }
            Ok(ids)
        })?;
        Ok((series, ids))
    }

    pub fn set_appointment_status(&mut self, id: AppointmentId, status: AppointmentStatus) -> Result<()>
    where
        V: DerefMut,
    {
        self.vault.retention().ensure_open(self.appointment(id)?.client_id)?;
        self.vault.store.write(|tx| tx.set_appointment_status(id, status))
    }

    pub fn appointment(&self, id: AppointmentId) -> Result<Appointment> {
        self.vault.store.read().appointment(id)
    }

    /// Appointments on the local days `from..=to` in the practice's zone.
    pub fn appointments_between(&self, from: Date, to: Date) -> Result<Vec<Appointment>> {
        let tz = self.practice()?.tz()?;
        let bad = |_| Error::invalid(Field::Date, Problem::OutOfRange);
        let start = from.to_zoned(tz.clone()).map_err(bad)?.timestamp();
        let end_day = to.checked_add(1.day()).map_err(bad)?;
        let end = end_day.to_zoned(tz).map_err(bad)?.timestamp();
        self.vault.store.read().appointments_between(start, end)
    }

    /// Records a session, from an appointment (which is then marked done) or on its own.
    /// Minutes and fee default to the appointment's and service's.
    pub fn add_session(&mut self, input: SessionInput) -> Result<SessionId>
    where
        V: DerefMut,
    {
        input.validate()?;
        self.vault.retention().ensure_open(input.client_id)?;
        let id = SessionId::new();
        self.vault.store.write(|tx| {
            let r = tx.read();
            r.client(input.client_id)?;
            let appointment = input.appointment_id.map(|a| r.appointment(a)).transpose()?;
            if let Some(a) = &appointment {
                if a.client_id != input.client_id {
                    return Err(Error::invalid(Field::Appointment, Problem::NotAllowed));
                }
            }
            let service_id = input.service_id.or(appointment.as_ref().and_then(|a| a.service_id));
            let service = service_id.map(|s| r.service(s)).transpose()?;
            // A service retired since the appointment was booked still bills that appointment.
            if input.service_id.is_some() && service.as_ref().is_some_and(|s| s.data.retired) {
                return Err(Error::invalid(Field::Service, Problem::NotAllowed));
            }
            let minutes = input
                .minutes
                .or(appointment.as_ref().map(|a| a.minutes() as u32))
                .or(service.as_ref().map(|s| s.data.minutes))
                .ok_or(Error::invalid(Field::Minutes, Problem::Required))?;
            let fee = input
                .fee
                .or(service.as_ref().map(|s| s.data.price))
                .ok_or(Error::invalid(Field::Fee, Problem::Required))?;
            tx.insert_session(
                id,
                &NewSession {
                    client_id: input.client_id,
                    appointment_id: input.appointment_id,
                    service_id,
                    date: input.date,
                    minutes,
                    fee,
                    setting: match input.group_size {
                        Some(_) => Setting::Group,
                        None => input.setting.unwrap_or(Setting::Individual),
                    },
                    group_size: input.group_size,
                },
            )?;
            if let Some(a) = &appointment {
                tx.set_appointment_status(a.id, AppointmentStatus::Done)?;
            }
            if !input.note.trim().is_empty() {
                tx.add_revision(id, &input.note)?;
            }
            Ok(())
        })?;
        Ok(id)
    }

    /// Adds a documentation revision; earlier ones stay readable. An unchanged text adds nothing.
    pub fn revise_session(&mut self, id: SessionId, body: &str) -> Result<Option<NoteRevisionId>>
    where
        V: DerefMut,
    {
        crate::domain::validate::text(Field::Note, body)?;
        self.vault.retention().ensure_open(self.session(id)?.client_id)?;
        self.vault.store.write(|tx| {
            let current = tx.read().session(id)?;
            if current.note == body {
                return Ok(None);
            }
            tx.add_revision(id, body).map(Some)
        })
    }

    pub fn session(&self, id: SessionId) -> Result<Session> {
        self.vault.store.read().session(id)
    }

    pub fn revisions(&self, id: SessionId) -> Result<Vec<NoteRevision>> {
        self.vault.store.read().session(id)?;
        self.vault.store.read().revisions(id)
    }

    pub fn sessions_of(&self, client: ClientId, limit: u32) -> Result<Vec<Session>> {
        self.vault.store.read().sessions_of(client, limit)
    }

    pub fn sessions_between(&self, from: Date, to: Date) -> Result<Vec<Session>> {
        self.vault.store.read().sessions_between(from, to)
    }

    pub fn delete_session(&mut self, id: SessionId) -> Result<()>
    where
        V: DerefMut,
    {
        self.vault.retention().ensure_open(self.session(id)?.client_id)?;
        self.vault.store.write(|tx| tx.delete_session(id))
    }

    pub fn search(&self, query: &str, limit: u32) -> Result<SearchResults> {
        self.vault.store.read().search(query, limit.clamp(1, 200))
    }

    /// Clients only, every typed word a name prefix: the client list's search field, which must
    /// not pay for a documentation search on every keystroke.
    pub fn search_clients(&self, query: &str, limit: u32) -> Result<Vec<ClientHit>> {
        self.vault.store.read().search_clients(query, limit.clamp(1, 200))
    }
}

fn new_appointment<'a>(
    input: &'a AppointmentInput,
    start: Timestamp,
    end: Timestamp,
    zone: &'a str,
    series_id: Option<SeriesId>,
) -> NewAppointment<'a> {
    NewAppointment {
        client_id: input.client_id,
        service_id: input.service_id,
        start,
        end,
        time_zone: zone,
        kind: input.kind,
        video_link: &input.video_link,
        series_id,
        note: &input.note,
    }
}
