//! The tables `weekly db copy` moves, with their columns, parents before the tables that
//! refer to them.

/// The kind of a column: every column of the store is text or a 64-bit integer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Int,
    Text,
}

/// A table of the store, its columns, and its identity column if it has one.
#[derive(Debug)]
pub(crate) struct Table {
    pub(crate) name: &'static str,
    pub(crate) columns: &'static [(&'static str, Kind)],
    pub(crate) identity: Option<&'static str>,
}

pub(crate) use Kind::{Int, Text};

/// Every table, parents before the tables that refer to them. A test checks that this list
/// names every table and column the migrations make.
pub(crate) const TABLES: &[Table] = &[
    Table {
        name: "translation_memory",
        columns: &[
            ("key", Text),
            ("source_lang", Text),
            ("target_lang", Text),
            ("model", Text),
            ("prompt_version", Text),
            ("source", Text),
            ("translation", Text),
            ("prompt_tokens", Int),
            ("completion_tokens", Int),
            ("created_at", Text),
        ],
        identity: None,
    },
    Table {
        name: "translated_unit",
        columns: &[
            ("issue", Int),
            ("lang", Text),
            ("unit", Text),
            ("source_hash", Text),
            ("output_hash", Text),
            ("updated_at", Text),
        ],
        identity: None,
    },
    Table {
        name: "translation_claim",
        columns: &[("key", Text), ("owner", Text), ("expires_at", Text)],
        identity: None,
    },
    Table {
        name: "feed_state",
        columns: &[
            ("source", Text),
            ("etag", Text),
            ("last_modified", Text),
            ("failures", Int),
            ("next_attempt", Text),
            ("last_status", Text),
            ("last_error", Text),
            ("last_fetched", Text),
        ],
        identity: None,
    },
    Table {
        name: "candidate",
        columns: &[
            ("id", Int),
            ("url_norm", Text),
            ("url", Text),
            ("title", Text),
            ("summary", Text),
            ("lang", Text),
            ("published", Text),
            ("first_seen", Text),
            ("status", Text),
            ("snoozed_until", Text),
            ("decided_at", Text),
            ("issue", Int),
            ("section", Text),
        ],
        identity: Some("id"),
    },
    Table {
        name: "sighting",
        columns: &[
            ("candidate", Int),
            ("source", Text),
            ("title", Text),
            ("published", Text),
            ("seen_at", Text),
        ],
        identity: None,
    },
    Table {
        name: "candidate_draft",
        columns: &[
            ("candidate", Int),
            ("section", Text),
            ("title", Text),
            ("original_title", Text),
            ("description", Text),
            ("stars", Int),
            ("model", Text),
            ("created_at", Text),
        ],
        identity: None,
    },
    Table {
        name: "repo_stars",
        columns: &[("repo", Text), ("observed_at", Text), ("stars", Int)],
        identity: None,
    },
    Table {
        name: "delivery",
        columns: &[
            ("key", Text),
            ("state", Text),
            ("message_id", Int),
            ("updated_at", Text),
        ],
        identity: None,
    },
    Table {
        name: "subscriber",
        columns: &[
            ("id", Int),
            ("email", Text),
            ("email_key", Text),
            ("name", Text),
            ("languages", Text),
            ("tier", Text),
            ("paid_until", Text),
            ("status", Text),
            ("source", Text),
            ("consent_at", Text),
            ("consent_ip", Text),
            ("consent_via", Text),
            ("created_at", Text),
            ("updated_at", Text),
            ("bounces", Int),
            ("link_key", Text),
            ("legacy_links", Int),
        ],
        identity: Some("id"),
    },
    Table {
        name: "outbox",
        columns: &[
            ("id", Int),
            ("kind", Text),
            ("recipient", Text),
            ("subject", Text),
            ("body_text", Text),
            ("body_html", Text),
            ("list_unsubscribe", Text),
            ("created_at", Text),
            ("attempts", Int),
            ("next_attempt", Text),
            ("last_error", Text),
            ("sent_at", Text),
            ("claimed_by", Text),
            ("claimed_until", Text),
        ],
        identity: Some("id"),
    },
    Table {
        name: "campaign",
        columns: &[
            ("id", Int),
            ("issue", Int),
            ("lang", Text),
            ("tier", Text),
            ("subject", Text),
            ("body_text", Text),
            ("body_html", Text),
            ("created_at", Text),
            ("finished_at", Text),
        ],
        identity: Some("id"),
    },
    Table {
        name: "campaign_recipient",
        columns: &[
            ("id", Int),
            ("campaign_id", Int),
            ("subscriber_id", Int),
            ("email", Text),
            ("state", Text),
            ("attempts", Int),
            ("worker", Text),
            ("resent", Int),
            ("last_error", Text),
            ("sent_at", Text),
            ("next_attempt", Text),
            ("lease_until", Text),
        ],
        identity: Some("id"),
    },
    Table {
        name: "publish_step",
        columns: &[
            ("issue", Int),
            ("step", Text),
            ("done_at", Text),
            ("detail", Text),
        ],
        identity: None,
    },
    Table {
        name: "scheduled_send",
        columns: &[
            ("id", Int),
            ("issue", Int),
            ("lang", Text),
            ("what", Text),
            ("due_at", Text),
            ("state", Text),
            ("worker", Text),
            ("lease_until", Text),
            ("note", Text),
            ("created_at", Text),
            ("done_at", Text),
        ],
        identity: Some("id"),
    },
    Table {
        name: "campaign_link",
        columns: &[
            ("campaign_id", Int),
            ("position", Int),
            ("url", Text),
            ("section", Text),
            ("source", Text),
        ],
        identity: None,
    },
    Table {
        name: "click_count",
        columns: &[
            ("day", Text),
            ("campaign_id", Int),
            ("position", Int),
            ("kind", Text),
            ("count", Int),
        ],
        identity: None,
    },
    Table {
        name: "subscriber_click",
        columns: &[
            ("id", Int),
            ("subscriber_id", Int),
            ("campaign_id", Int),
            ("position", Int),
            ("at", Text),
        ],
        identity: Some("id"),
    },
    Table {
        name: "page_view",
        columns: &[
            ("day", Text),
            ("lang", Text),
            ("issue", Int),
            ("kind", Text),
            ("count", Int),
        ],
        identity: None,
    },
];
