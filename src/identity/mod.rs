//! Identity: passwords and accounts. Sign-up, sign-in, sessions and tokens build on these.

pub mod passwords;
pub mod superuser;

pub use passwords::Passwords;
