//! E-mail addresses of subscribers: checked (one `@`, a plain local part, a domain of dotted
//! labels; nothing that could break a mail header) and normalised (domain in lower case). Two
//! addresses are the same subscriber when they are equal without regard to case.

use std::fmt;

/// A checked address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email {
    address: String,
}

/// Why a text is not an address we accept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailError(pub &'static str);

impl fmt::Display for EmailError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl std::error::Error for EmailError {}

/// Longest address (RFC 5321 path limit).
const MAX_LEN: usize = 254;
/// Longest local part.
const MAX_LOCAL: usize = 64;

impl Email {
    /// Checks and normalises `text` (surrounding white space is ignored).
    pub fn parse(text: &str) -> Result<Email, EmailError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(EmailError("the address is empty"));
        }
        if text.chars().any(|c| c.is_control() || c.is_whitespace()) {
            return Err(EmailError(
                "the address has a space, line break or control character",
            ));
        }
        if text.len() > MAX_LEN {
            return Err(EmailError("the address is longer than 254 bytes"));
        }
        let Some((local, domain)) = text.rsplit_once('@') else {
            return Err(EmailError("the address has no `@`"));
        };
        if local.contains('@') {
            return Err(EmailError("the address has more than one `@`"));
        }
        if local.is_empty() || local.len() > MAX_LOCAL {
            return Err(EmailError(
                "the part before `@` is empty or longer than 64 bytes",
            ));
        }
        let atext = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c);
        if !local.chars().all(|c| atext(c) || !c.is_ascii())
            || local.starts_with('.')
            || local.ends_with('.')
            || local.contains("..")
        {
            return Err(EmailError(
                "the part before `@` has characters an address cannot have",
            ));
        }
        let domain = domain.to_lowercase();
        let labels: Vec<&str> = domain.split('.').collect();
        let label_ok = |l: &&str| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_alphanumeric() || c == '-')
        };
        if labels.len() < 2 || !labels.iter().all(label_ok) {
            return Err(EmailError(
                "the part after `@` is not a domain like `example.org`",
            ));
        }
        Ok(Email {
            address: format!("{local}@{domain}"),
        })
    }

    /// The address as it is stored and written to.
    pub fn as_str(&self) -> &str {
        &self.address
    }

    /// The form two addresses are compared in: all lower case.
    pub fn key(&self) -> String {
        self.address.to_lowercase()
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.address)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_checked_and_their_domain_lowered() {
        let e = Email::parse("  Li.Lei+weekly@Example.ORG ").unwrap();
        assert_eq!(e.as_str(), "Li.Lei+weekly@example.org");
        assert_eq!(e.key(), "li.lei+weekly@example.org");
        assert!(Email::parse("张三@例子.中国").is_ok());
        for bad in [
            "",
            "plain",
            "a@b",
            "a@@b.org",
            "a@b@c.org",
            ".a@b.org",
            "a..b@c.org",
            "a@-b.org",
            "a@b..org",
            "a b@c.org",
            "a@b.org\r\nBcc: x@y.org",
            "a\"b@c.org",
            "<a@b.org>",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?}");
        }
        let long = format!("{}@example.org", "a".repeat(65));
        assert!(Email::parse(&long).is_err());
        let longer = format!("a@{}.org", "b".repeat(260));
        assert!(Email::parse(&longer).is_err());
    }
}
