use std::fmt;

/// A telephone number in E.164 form (`+15559876543`): how it is stored and compared, so the
/// same number typed with spaces, dashes or brackets is recognised as a duplicate.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Phone(String);

impl Phone {
    pub fn parse(input: &str) -> Result<Self, &'static str> {
        let number = phonenumber::parse(None, input.trim())
            .map_err(|_| "Enter the number with its country code, like +1 555 987 6543.")?;
        Ok(Phone(
            number.format().mode(phonenumber::Mode::E164).to_string(),
        ))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::Phone;

    #[test]
    fn numbers_are_stored_in_e164_whatever_the_punctuation() {
        let typed = ["+1-555-987-6543", "+1 (555) 987 6543", " +15559876543 "];
        for input in typed {
            assert_eq!(
                Phone::parse(input).unwrap().as_str(),
                "+15559876543",
                "{input}"
            );
        }
        assert_eq!(
            Phone::parse("+639171234567").unwrap().as_str(),
            "+639171234567"
        );
        assert!(Phone::parse("555-987-6543").is_err(), "no country code");
        assert!(Phone::parse("call me").is_err());
    }
}
