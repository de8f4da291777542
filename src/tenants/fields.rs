//! The checks of a tenant's profile fields, shared by registration and the tenant's update.

pub(crate) fn optional(input: &Option<String>) -> Option<&str> {
    input
        .as_deref()
        .map(str::trim)
        .filter(|text| !text.is_empty())
}

pub(crate) fn limited(
    input: &Option<String>,
    max: usize,
    message: &'static str,
) -> Result<Option<String>, &'static str> {
    match optional(input) {
        Some(text) if text.chars().count() > max => Err(message),
        text => Ok(text.map(str::to_owned)),
    }
}

/// A web address, with `https://` put in front when it has no scheme (the Reserva rule).
pub(crate) fn parse_website(input: &Option<String>) -> Result<Option<String>, &'static str> {
    const INVALID: &str = "Enter a web address, like example.com.";
    let Some(typed) = optional(input) else {
        return Ok(None);
    };
    let address = if typed.contains("://") {
        typed.to_owned()
    } else {
        format!("https://{typed}")
    };
    let url = url::Url::parse(&address).map_err(|_| INVALID)?;
    let host_ok = url.host_str().is_some_and(|host| host.contains('.'));
    if !matches!(url.scheme(), "http" | "https") || !host_ok || address.len() > 200 {
        return Err(INVALID);
    }
    Ok(Some(address))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn websites_get_a_scheme_and_must_name_a_host() {
        let site = |s: &str| parse_website(&Some(s.to_owned()));
        assert_eq!(
            site("bellavista.com").unwrap().as_deref(),
            Some("https://bellavista.com")
        );
        assert_eq!(
            site("http://a.example").unwrap().as_deref(),
            Some("http://a.example")
        );
        assert_eq!(site("  ").unwrap(), None);
        assert!(site("ftp://files.example").is_err());
        assert!(site("localhost").is_err());
    }
}
