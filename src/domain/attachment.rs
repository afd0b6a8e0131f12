//! An attachment as the client page lists it, the rules for its name, and its media type (from
//! the name's extension: what the window can show inside itself is decided by it).

use crate::domain::ids::{AttachmentId, ClientId, SessionId};
use crate::domain::{Field, Stamps};
use crate::error::{Error, Problem, Result};

/// The largest file Tresor attaches: a scanned report or a session's compressed audio fits;
/// an uncompressed hour of audio (~600 MB) does not. Opening one in the window holds it in
/// memory once, which this keeps within the app's memory budget.
pub const MAX_BYTES: u64 = 256 << 20;

/// The largest attachment the window shows inside itself (it travels to the window whole, as
/// base64); larger ones are saved to a file and opened there.
pub const MAX_VIEW_BYTES: u64 = 48 << 20;

/// The longest name kept (in characters), as file systems allow.
pub const MAX_NAME_CHARS: usize = 255;

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Attachment {
    pub id: AttachmentId,
    pub client_id: ClientId,
    pub session_id: Option<SessionId>,
    /// The file's name as it was attached (shown in Tresor only; never a name in the folder).
    pub name: String,
    pub media_type: String,
    /// Plaintext bytes.
    #[cfg_attr(feature = "specta", specta(type = f64))]
    pub size: u64,
    /// When the attachment is erased (at the first unlock after it), if it has a lifetime.
    #[cfg_attr(feature = "specta", specta(type = Option<String>))]
    pub expires_at: Option<jiff::Timestamp>,
    pub stamps: Stamps,
    /// Whether the window can show it inside itself: a PDF or a picture of at most
    /// [`MAX_VIEW_BYTES`].
    pub viewable: bool,
    /// The encrypted file's name in `attachments/`.
    #[serde(skip)]
    pub(crate) file: String,
}

/// The name kept for an attachment: the last part of what was given (a path's folders never
/// travel), trimmed; empty, too long, or with control characters is refused.
pub fn clean_name(given: &str) -> Result<String> {
    let last = given.rsplit(['/', '\\']).next().unwrap_or("").trim();
    if last.is_empty() || last == "." || last == ".." {
        return Err(Error::invalid(Field::Name, Problem::Required));
    }
    if last.chars().count() > MAX_NAME_CHARS {
        return Err(Error::invalid(Field::Name, Problem::TooLong));
    }
    if last.chars().any(char::is_control) {
        return Err(Error::invalid(Field::Name, Problem::BadFormat));
    }
    Ok(last.to_string())
}

/// Whether an attachment of this type and size is shown inside the window (see
/// [`Attachment::viewable`]).
pub fn viewable(media_type: &str, size: u64) -> bool {
    let shown = matches!(media_type, "application/pdf" | "image/png" | "image/jpeg" | "image/gif" | "image/webp");
    shown && size <= MAX_VIEW_BYTES
}

/// The media type a name's extension stands for; `application/octet-stream` when unknown.
pub fn media_type(name: &str) -> &'static str {
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    match ext.as_str() {
        "pdf" => "application/pdf",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "txt" => "text/plain",
        "mp3" => "audio/mpeg",
        "m4a" => "audio/mp4",
        "wav" => "audio/wav",
        "ogg" | "oga" => "audio/ogg",
        "doc" => "application/msword",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "odt" => "application/vnd.oasis.opendocument.text",
        "rtf" => "application/rtf",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_keep_only_their_last_part() {
        assert_eq!(clean_name("/home/x/Einverständnis Müller.pdf").unwrap(), "Einverständnis Müller.pdf");
        assert_eq!(clean_name("C:\\Scans\\befund.PDF ").unwrap(), "befund.PDF");
        for bad in ["", "  ", "/tmp/", "..", "a\nb.pdf"] {
            assert!(clean_name(bad).is_err(), "{bad:?}");
        }
        assert!(clean_name(&"ä".repeat(256)).is_err());
        assert_eq!(media_type("befund.PDF"), "application/pdf");
        assert_eq!(media_type("scan.jpeg"), "image/jpeg");
        assert_eq!(media_type("noext"), "application/octet-stream");
        assert!(viewable("image/png", MAX_VIEW_BYTES) && !viewable("image/png", MAX_VIEW_BYTES + 1));
        assert!(!viewable("audio/mpeg", 10));
    }
}
