//! Accounts in the browser: sign up, confirm the address, log in (choosing a workspace when
//! there are several), forgot and reset password, and the account page with the sessions
//! list. Every form is a real `<form>` that also works with JavaScript off.
//!
//! Each page is a lazy route (a wasm chunk of its own, `cargo leptos build --split`): the
//! server-function clients and forms are fetched only by visitors who open one.

mod api;
mod manage;
mod sign_in;

pub use api::*;
pub use manage::WorkspaceList;
use manage::{AccountPage, ChooseWorkspacePage};
use sign_in::{
    CheckEmailPage, ForgotPasswordPage, LoginPage, ResetPasswordPage, SignUpPage, VerifyEmailPage,
};

lazy_page!(LoginRoute, LoginPage);
lazy_page!(SignUpRoute, SignUpPage);
lazy_page!(CheckEmailRoute, CheckEmailPage);
lazy_page!(VerifyEmailRoute, VerifyEmailPage);
lazy_page!(ForgotPasswordRoute, ForgotPasswordPage);
lazy_page!(ResetPasswordRoute, ResetPasswordPage);
lazy_page!(AccountRoute, AccountPage);
lazy_page!(ChooseWorkspaceRoute, ChooseWorkspacePage);
