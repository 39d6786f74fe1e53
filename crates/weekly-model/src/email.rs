//! E-mail addresses of subscribers: checked (one `@`, a plain local part, a domain of dotted
//! labels; nothing that could break a mail header) and normalised. The local part is put in
//! Unicode NFC; one that a compatibility mapping (NFKC) would change — a Kelvin sign for `K`,
//! full-width letters, ligatures — is refused as ambiguous rather than merged with the address
//! it looks like. The domain is mapped by IDNA (UTS #46: case, full-width forms, NFC, Punycode
//! read back) and kept in its Unicode form. Two addresses are the same subscriber when their
//! keys are equal: the normalised address, case-folded.

use std::fmt;
use unicode_normalization::UnicodeNormalization as _;

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

/// Characters no address may hold: controls, the replacement character (a decoding error
/// upstream), and invisible format characters (zero-width spaces and joiners, bidirectional
/// marks, overrides and isolates, the byte-order mark, soft hyphen).
fn forbidden(c: char) -> bool {
    c.is_control()
        || c.is_whitespace()
        || matches!(
            c,
            '\u{fffd}'
                | '\u{ad}'
                | '\u{61c}'
                | '\u{180e}'
                | '\u{200b}'..='\u{200f}'
                | '\u{202a}'..='\u{202e}'
                | '\u{2060}'..='\u{206f}'
                | '\u{feff}'
                | '\u{fff9}'..='\u{fffb}'
        )
}

/// True when `c` is a compatibility or singleton form of another character (NFKC changes it
/// on its own): U+212A KELVIN SIGN, U+212B ANGSTROM SIGN, full-width letters, ligatures,
/// superscripts, `ſ`… An address holding one looks like another address.
fn ambiguous(c: char) -> bool {
    let mut mapped = std::iter::once(c).nfkc();
    mapped.next() != Some(c) || mapped.next().is_some()
}

/// The domain of an address, mapped by UTS #46 (lower case, full-width forms and NFD mapped,
/// Punycode labels shown in Unicode), or why it is no domain.
fn domain_of(text: &str) -> Result<String, EmailError> {
    use idna::uts46::{AsciiDenyList, DnsLength, Hyphens, Uts46};
    let not_domain = EmailError("the part after `@` is not a domain like `example.org`");
    let uts46 = Uts46::new();
    let (unicode, checked) = uts46.to_unicode(
        text.as_bytes(),
        AsciiDenyList::STD3,
        Hyphens::CheckFirstLast,
    );
    if checked.is_err() || unicode.contains('\u{fffd}') {
        return Err(not_domain);
    }
    let labels: Vec<&str> = unicode.split('.').collect();
    let label_ok = |l: &&str| {
        !l.is_empty()
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || !c.is_ascii())
            && !l.chars().any(forbidden)
    };
    if labels.len() < 2 || !labels.iter().all(label_ok) {
        return Err(not_domain);
    }
    // The form that goes over DNS: each label at most 63 bytes, the name at most 253.
    uts46
        .to_ascii(
            unicode.as_bytes(),
            AsciiDenyList::STD3,
            Hyphens::CheckFirstLast,
            DnsLength::Verify,
        )
        .map_err(|_| not_domain)?;
    Ok(unicode.into_owned())
}

impl Email {
    /// Checks and normalises `text` (surrounding white space is ignored).
    pub fn parse(text: &str) -> Result<Email, EmailError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(EmailError("the address is empty"));
        }
        if text.contains('\u{fffd}') {
            return Err(EmailError(
                "the address has a U+FFFD replacement character (its bytes were not valid text)",
            ));
        }
        if text.chars().any(forbidden) {
            return Err(EmailError(
                "the address has a space, line break, control or invisible character",
            ));
        }
        if text.len() > MAX_LEN * 4 {
            return Err(EmailError("the address is longer than 254 bytes"));
        }
        let Some((local, domain)) = text.rsplit_once('@') else {
            return Err(EmailError("the address has no `@`"));
        };
        if local.contains('@') {
            return Err(EmailError("the address has more than one `@`"));
        }
        if !local.is_ascii() && local.chars().any(ambiguous) {
            return Err(EmailError(
                "the part before `@` is ambiguous: it has a character that stands for another \
                 (such as a Kelvin sign for `K`, a full-width letter or a ligature); write the \
                 address with the plain characters",
            ));
        }
        let local: String = if local.is_ascii() {
            local.to_owned()
        } else {
            local.nfc().collect()
        };
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
        let domain = domain_of(domain)?;
        let address = format!("{local}@{domain}");
        if address.len() > MAX_LEN {
            return Err(EmailError("the address is longer than 254 bytes"));
        }
        Ok(Email { address })
    }

    /// The address as it is stored and written to.
    pub fn as_str(&self) -> &str {
        &self.address
    }

    /// The form two addresses are compared in: case-folded (lower case, a final sigma as
    /// `σ`) and in NFC.
    pub fn key(&self) -> String {
        if self.address.is_ascii() {
            return self.address.to_ascii_lowercase();
        }
        self.address
            .to_lowercase()
            .chars()
            .map(|c| if c == 'ς' { 'σ' } else { c })
            .nfc()
            .collect()
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

    #[test]
    fn look_alike_local_parts_are_refused_not_merged() {
        // U+212A KELVIN SIGN, full-width letters, a ligature, a long s, a superscript.
        for bad in [
            "\u{212a}\u{212a}@example.org",
            "\u{212a}k@example.org",
            "\u{ff41}lice@example.org",
            "\u{fb01}nance@example.org",
            "po\u{17f}t@example.org",
            "a\u{b2}@example.org",
        ] {
            let error = Email::parse(bad).unwrap_err();
            assert!(error.0.contains("ambiguous"), "{bad:?}: {error}");
        }
        assert_eq!(
            Email::parse("KK@example.org").unwrap().key(),
            "kk@example.org"
        );
    }

    #[test]
    fn unicode_forms_of_one_address_are_one_subscriber() {
        // NFD and NFC local parts.
        let nfc = Email::parse("jos\u{e9}@example.org").unwrap();
        let nfd = Email::parse("jose\u{301}@example.org").unwrap();
        assert_eq!(nfd.as_str(), "jos\u{e9}@example.org");
        assert_eq!(nfc.key(), nfd.key());
        // Full-width and upper-case domains, a full-width dot, Punycode.
        let wide = Email::parse("li@\u{ff45}\u{ff58}\u{ff41}\u{ff4d}\u{ff50}\u{ff4c}\u{ff45}.org")
            .unwrap();
        assert_eq!(wide.as_str(), "li@example.org");
        assert_eq!(
            Email::parse("li@EXAMPLE\u{ff0e}org").unwrap().as_str(),
            "li@example.org"
        );
        let cn = Email::parse("张三@例子.中国").unwrap();
        let ace = Email::parse("张三@xn--fsqu00a.xn--fiqs8s").unwrap();
        assert_eq!(ace.as_str(), "张三@例子.中国");
        assert_eq!(cn.key(), ace.key());
        // An NFD domain is the NFC one.
        let domain_nfd = Email::parse("a@cafe\u{301}.fr").unwrap();
        assert_eq!(domain_nfd.as_str(), "a@caf\u{e9}.fr");
        assert_eq!(
            domain_nfd.key(),
            Email::parse("A@CAF\u{c9}.fr").unwrap().key()
        );
        // Case folding beyond ASCII.
        assert_eq!(
            Email::parse("\u{3a3}\u{399}\u{3a3}@example.gr")
                .unwrap()
                .key(),
            Email::parse("\u{3c3}\u{3b9}\u{3c2}@example.gr")
                .unwrap()
                .key()
        );
    }

    #[test]
    fn replacement_and_invisible_characters_are_refused() {
        for bad in [
            "li\u{fffd}@example.org",
            "li@exa\u{fffd}mple.org",
            "li\u{200b}@example.org",
            "li\u{202e}gro@example.org",
            "li\u{7f}@example.org",
            "li\u{85}@example.org",
            "li@exam_ple.org",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?}");
        }
        assert!(
            Email::parse("li\u{fffd}@example.org")
                .unwrap_err()
                .0
                .contains("U+FFFD")
        );
    }
}
