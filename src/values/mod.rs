//! Value types parsed at the edge: once a value is an [`Email`], a [`Slug`] or a
//! [`Password`], it is valid and normalised, and the core never checks it again.

mod email;
mod password;
mod phone;
mod slug;
mod text;

pub use email::Email;
pub use password::Password;
pub use phone::Phone;
pub use slug::Slug;
pub use text::fold;
