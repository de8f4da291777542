//! Identity: passwords and accounts. Sign-up, sign-in, sessions and tokens build on these.

pub mod link_tokens;
pub mod passwords;
pub mod superuser;

pub use link_tokens::LinkTokens;
pub use passwords::Passwords;
