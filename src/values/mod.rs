//! Value types parsed at the edge: once a value is an [`Email`], a [`Slug`] or a
//! [`Password`], it is valid and normalised, and the core never checks it again.

mod email;
pub mod page;
mod password;
mod phone;
mod slug;
mod text;

pub use email::Email;
pub use page::Page;
pub use password::Password;
pub use phone::Phone;
pub use slug::Slug;
pub use text::fold;

/// An IANA time zone as typed (`Europe/Paris`), in its canonical spelling.
pub fn parse_timezone(input: &str) -> Result<String, &'static str> {
    input
        .trim()
        .parse::<chrono_tz::Tz>()
        .map(|tz| tz.name().to_owned())
        .map_err(|_| "Use a time zone like Europe/Paris.")
}
