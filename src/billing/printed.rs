//! An invoice printed by Oikos, for invoices Stripe keeps no document for (the test peer's):
//! a plain page the browser prints or saves as PDF.

use chrono::{TimeZone, Utc};
use html_escape::encode_text;

use super::plans::{money, PlanCatalog};
use super::stripe::Invoice;

/// The whole page. Amounts below zero (credits for unused time) print with a minus sign.
pub fn invoice_page(invoice: &Invoice, plans: &PlanCatalog) -> String {
    let currency = if invoice.currency.is_empty() {
        plans.currency()
    } else {
        invoice.currency.as_str()
    };
    let amount = |cents: i64| {
        let sign = if cents < 0 { "−" } else { "" };
        format!("{sign}{}", money(cents.unsigned_abs(), currency))
    };
    let number = invoice
        .number
        .as_deref()
        .or(invoice.id.as_deref())
        .unwrap_or("draft");
    let date = invoice
        .created
        .and_then(|at| Utc.timestamp_opt(at, 0).single())
        .map(|at| at.format("%Y-%m-%d").to_string())
        .unwrap_or_default();
    let lines: String = invoice
        .lines
        .data
        .iter()
        .map(|line| {
            format!(
                "<tr><td>{}</td><td class=\"n\">{}</td></tr>",
                encode_text(line.description.as_deref().unwrap_or("Subscription")),
                amount(line.amount)
            )
        })
        .collect();
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Invoice {number}</title>\
         <style>body{{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;color:#0f172a}}\
         table{{width:100%;border-collapse:collapse}}td,th{{padding:.5rem;border-bottom:1px solid #e2e8f0;text-align:left}}\
         .n{{text-align:right}}</style></head><body>\
         <h1>Invoice {number}</h1><p>{date} · {status}</p>\
         <table><thead><tr><th>Item</th><th class=\"n\">Amount</th></tr></thead><tbody>{lines}</tbody>\
         <tfoot><tr><th>Amount due</th><th class=\"n\">{due}</th></tr></tfoot></table></body></html>",
        number = encode_text(number),
        status = encode_text(invoice.status.as_deref().unwrap_or("draft")),
        due = amount(invoice.amount_due),
    )
}
