//! `tresor attach`: files attached to a client or a session, kept encrypted in the data folder.
//! `get` decrypts into the file named by `--to` (an existing one only with `--force`).

use std::path::PathBuf;

use clap::Subcommand;
use tresor::domain::attachment::Attachment;
use tresor::domain::ids::{AttachmentId, ClientId, SessionId};

use crate::print::Out;
use crate::run::{lock, open};
use crate::Failure;

#[derive(Subcommand, Debug)]
pub enum AttachCommand {
    /// Attach FILE to a client (and one of their sessions); prints the attachment's id.
    Add {
        client: String,
        file: PathBuf,
        #[arg(long)]
        session: Option<String>,
        /// Erase the attachment at the first unlock this many days from now.
        #[arg(long)]
        keep_days: Option<u32>,
    },
    /// A client's attachments, newest first.
    List { client: String },
    /// Decrypt an attachment into a file.
    Get {
        id: String,
        #[arg(long)]
        to: PathBuf,
        /// Replace an existing file.
        #[arg(long)]
        force: bool,
    },
    /// Delete an attachment and its file.
    Delete { id: String },
}

pub fn run(vault: &Option<PathBuf>, out: &Out, command: AttachCommand) -> Result<(), Failure> {
    match command {
        AttachCommand::Add { client, file, session, keep_days } => {
            let client: ClientId = client.parse()?;
            let session: Option<SessionId> = session.map(|s| s.parse()).transpose()?;
            let expires =
                keep_days.map(|d| jiff::Timestamp::now() + jiff::SignedDuration::from_hours(i64::from(d) * 24));
            let mut v = open(vault)?;
            let a = v.attachments_mut().add(client, session, &file, expires)?;
            out.created(a.id);
            lock(v)
        }
        AttachCommand::List { client } => {
            let client: ClientId = client.parse()?;
            let v = open(vault)?;
            let list = v.attachments().list(client)?;
            out.value(&list, || list.iter().map(line).collect());
            Ok(())
        }
        AttachCommand::Get { id, to, force } => {
            let id: AttachmentId = id.parse()?;
            let v = open(vault)?;
            let path = v.attachments().save_to(id, &to, force)?;
            out.done(&format!("written to {}", path.display()), serde_json::json!({ "path": path }));
            Ok(())
        }
        AttachCommand::Delete { id } => {
            let id: AttachmentId = id.parse()?;
            let mut v = open(vault)?;
            v.attachments_mut().delete(id)?;
            out.done("deleted", serde_json::json!({ "ok": true }));
            lock(v)
        }
    }
}

fn line(a: &Attachment) -> String {
    let session = a.session_id.map(|s| format!("  session {s}")).unwrap_or_default();
    let expires = a.expires_at.map(|t| format!("  until {}", t.strftime("%Y-%m-%d %H:%M UTC"))).unwrap_or_default();
    format!("{}  {}  {}  {} bytes{session}{expires}\n", a.id, a.name, a.media_type, a.size)
}
