//! Typed UUIDv7 ids, so that a function taking a `ClientId` cannot be handed a `SessionId`.

use std::fmt;
use std::str::FromStr;

use uuid::Uuid;

use crate::error::Error;

macro_rules! id_type {
    ($name:ident, $entity:literal) => {
        #[cfg_attr(feature = "specta", derive(specta::Type))]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub Uuid);

        impl $name {
            pub const ENTITY: &'static str = $entity;

            /// A new time-ordered id.
            pub fn new() -> Self {
                $name(Uuid::now_v7())
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.hyphenated().fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = Error;
            fn from_str(s: &str) -> Result<Self, Error> {
                Uuid::parse_str(s.trim()).map($name).map_err(|_| Error::not_found($entity, s))
            }
        }
    };
}

id_type!(ClientId, "client");
id_type!(ServiceId, "service");
id_type!(AppointmentId, "appointment");
id_type!(SeriesId, "appointment_series");
id_type!(SessionId, "session");
id_type!(NoteRevisionId, "note_revision");
id_type!(PracticeId, "practice");
id_type!(InvoiceId, "invoice");
id_type!(InvoiceLineId, "invoice_line");
id_type!(PaymentId, "payment");
id_type!(DunningLetterId, "dunning_letter");
id_type!(WriteOffId, "write_off");
id_type!(AttachmentId, "attachment");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_v7_and_parse_back() {
        let id = ClientId::new();
        assert_eq!(id.0.get_version_num(), 7);
        assert_eq!(id.to_string().parse::<ClientId>().unwrap(), id);
        assert_eq!("nonsense".parse::<ClientId>().unwrap_err().code(), "record.not_found");
    }
}
