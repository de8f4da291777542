//! The mails Oikos sends, each as plain text and HTML. Values from users are escaped in the
//! HTML part; links come only from [`crate::links::Links`] (configuration, never the request).

use html_escape::{encode_double_quoted_attribute as attr, encode_text as text};

use super::Mail;
use crate::values::Email;

/// One call-to-action mail: a greeting, a paragraph, a button with its link, and a note.
struct Notice<'a> {
    subject: &'a str,
    greeting: String,
    body: &'a str,
    action: &'a str,
    link: &'a str,
    note: &'a str,
}

impl Notice<'_> {
    fn to(&self, to: &Email) -> Mail {
        let Notice {
            subject,
            greeting,
            body,
            action,
            link,
            note,
        } = self;
        Mail {
            to: to.clone(),
            subject: (*subject).to_owned(),
            text: format!("{greeting}\n\n{body}\n\n{action}: {link}\n\n{note}\n\n— Oikos\n"),
            html: format!(
                "<!DOCTYPE html><html><body style=\"font-family:sans-serif;color:#0f172a\">\
                 <p>{greeting}</p><p>{body}</p>\
                 <p><a href=\"{href}\" style=\"display:inline-block;padding:10px 16px;\
                 background:#4f46e5;color:#fff;border-radius:6px;text-decoration:none\">{action}</a></p>\
                 <p style=\"font-size:13px;color:#475569\">Or open this link: {shown}</p>\
                 <p style=\"font-size:13px;color:#475569\">{note}</p><p>— Oikos</p></body></html>",
                greeting = text(greeting),
                body = text(body),
                href = attr(link),
                action = text(action),
                shown = text(link),
                note = text(note),
            ),
        }
    }
}

fn greeting(first_name: &str) -> String {
    match first_name.trim() {
        "" => "Hello,".to_owned(),
        name => format!("Hello {name},"),
    }
}

pub fn verify_email(to: &Email, first_name: &str, link: &str) -> Mail {
    Notice {
        subject: "Confirm your email address",
        greeting: greeting(first_name),
        body: "Please confirm that this is your email address for Oikos.",
        action: "Confirm my address",
        link,
        note: "The link works once, for 24 hours. If you did not sign up, ignore this mail.",
    }
    .to(to)
}

pub fn reset_password(to: &Email, first_name: &str, link: &str) -> Mail {
    Notice {
        subject: "Reset your password",
        greeting: greeting(first_name),
        body: "Someone asked to reset the password of your Oikos account.",
        action: "Choose a new password",
        link,
        note: "The link works once, for one hour. If it was not you, ignore this mail: \
               your password stays as it is.",
    }
    .to(to)
}

pub fn sign_up_attempt(to: &Email, first_name: &str, link: &str) -> Mail {
    Notice {
        subject: "Someone tried to sign up with your address",
        greeting: greeting(first_name),
        body: "Someone tried to create an Oikos account with this address, which already has \
               one. If it was you, sign in, or choose a new password if you forgot yours.",
        action: "Choose a new password",
        link,
        note: "The link works once, for one hour. If it was not you, ignore this mail: your \
               account and password stay as they are.",
    }
    .to(to)
}

pub fn invitation(to: &Email, tenant_name: &str, role: crate::tenancy::Role, link: &str) -> Mail {
    let body = format!(
        "You are invited to join {tenant_name} on Oikos as {}.",
        role.label()
    );
    Notice {
        subject: &format!("Join {tenant_name} on Oikos"),
        greeting: "Hello,".to_owned(),
        body: &body,
        action: "Accept the invitation",
        link,
        note: "The link works once, for 7 days, for this email address only. If you did not \
               expect it, ignore this mail.",
    }
    .to(to)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_escaped_in_html_and_links_kept_whole() {
        let to = Email::parse("ann@example.com").unwrap();
        let link = "https://oikos.example/verify-email?token=a&b=\"c\"";
        let mail = verify_email(&to, "<script>Ann", link);
        assert!(
            mail.html.contains("Hello &lt;script&gt;Ann,"),
            "{}",
            mail.html
        );
        assert!(!mail.html.contains("<script>"));
        assert!(mail
            .html
            .contains("href=\"https://oikos.example/verify-email?token=a&amp;b=&quot;c&quot;\""));
        assert!(mail.text.contains(link));
    }
}
