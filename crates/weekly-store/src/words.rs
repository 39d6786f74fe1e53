//! The words the store keeps for a subscriber's status and tier, as types: what is written is
//! always one of them, and a word read back that is none of them (a row edited by hand) is an
//! error naming it rather than a guess.

use crate::StoreError;

/// Where a subscriber stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SubscriberStatus {
    /// Signed up, the confirmation not yet followed.
    Pending,
    /// Gets the newsletter.
    Confirmed,
    /// Left.
    Unsubscribed,
    /// Mail to the address failed for good.
    Bounced,
    /// Marked the mail as spam.
    Complained,
}

impl SubscriberStatus {
    /// Every status, in the order above.
    pub const ALL: [SubscriberStatus; 5] = [
        SubscriberStatus::Pending,
        SubscriberStatus::Confirmed,
        SubscriberStatus::Unsubscribed,
        SubscriberStatus::Bounced,
        SubscriberStatus::Complained,
    ];

    /// The stored word.
    pub fn as_str(self) -> &'static str {
        match self {
            SubscriberStatus::Pending => "pending",
            SubscriberStatus::Confirmed => "confirmed",
            SubscriberStatus::Unsubscribed => "unsubscribed",
            SubscriberStatus::Bounced => "bounced",
            SubscriberStatus::Complained => "complained",
        }
    }

    /// The status of a stored word (exactly as stored).
    pub fn parse(word: &str) -> Option<SubscriberStatus> {
        Self::ALL.into_iter().find(|s| s.as_str() == word)
    }

    /// True for an address that left (unsubscribed, bounced, complained): nothing brings it
    /// back but the person signing up again.
    pub fn left(self) -> bool {
        matches!(
            self,
            SubscriberStatus::Unsubscribed
                | SubscriberStatus::Bounced
                | SubscriberStatus::Complained
        )
    }
}

impl std::fmt::Display for SubscriberStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self.as_str())
    }
}

/// Who a mail is for: the public (a teaser while an issue is paid) or paying subscribers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Tier {
    /// What the public gets.
    Free,
    /// The full text.
    Paid,
}

impl Tier {
    /// Both tiers.
    pub const ALL: [Tier; 2] = [Tier::Free, Tier::Paid];

    /// The stored word.
    pub fn as_str(self) -> &'static str {
        match self {
            Tier::Free => "free",
            Tier::Paid => "paid",
        }
    }

    /// The tier of a stored word (exactly as stored).
    pub fn parse(word: &str) -> Option<Tier> {
        Self::ALL.into_iter().find(|t| t.as_str() == word)
    }
}

impl std::fmt::Display for Tier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self.as_str())
    }
}

/// The status stored in a row, or an error naming the word.
pub(crate) fn status_of(word: &str) -> Result<SubscriberStatus, StoreError> {
    SubscriberStatus::parse(word).ok_or_else(|| unknown("status", word))
}

/// The tier stored in a row, or an error naming the word.
pub(crate) fn tier_of(word: &str) -> Result<Tier, StoreError> {
    Tier::parse(word).ok_or_else(|| unknown("tier", word))
}

fn unknown(column: &str, word: &str) -> StoreError {
    StoreError::Invalid(format!(
        "a subscriber's {column} is `{word}`, which weekly does not know (edited by hand?)"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_word_reads_back_as_itself_and_others_are_refused() {
        for status in SubscriberStatus::ALL {
            assert_eq!(SubscriberStatus::parse(status.as_str()), Some(status));
        }
        for tier in Tier::ALL {
            assert_eq!(Tier::parse(tier.as_str()), Some(tier));
        }
        assert_eq!(SubscriberStatus::parse("Confirmed"), None);
        assert_eq!(Tier::parse("premium"), None);
        let error = tier_of("premium").unwrap_err().to_string();
        assert!(error.contains("`premium`"), "{error}");
        let left: Vec<_> = SubscriberStatus::ALL
            .into_iter()
            .filter(|s| s.left())
            .collect();
        assert_eq!(
            left,
            [
                SubscriberStatus::Unsubscribed,
                SubscriberStatus::Bounced,
                SubscriberStatus::Complained
            ]
        );
    }
}
