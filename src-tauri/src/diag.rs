//! Diagnostics: placeholder.
