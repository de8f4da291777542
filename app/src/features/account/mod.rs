//! Accounts in the browser: sign up, confirm the address, log in (choosing a workspace when
//! there are several), forgot and reset password, and the account page with the sessions
//! list. Every form is a real `<form>` that also works with JavaScript off.

mod api;
mod manage;
mod sign_in;

pub use api::*;
pub use manage::WorkspaceList;
pub use manage::{AccountPage, ChooseWorkspacePage};
pub use sign_in::{
    CheckEmailPage, ForgotPasswordPage, LoginPage, ResetPasswordPage, SignUpPage, VerifyEmailPage,
};
