//! Getting an issue to readers: subscribers and their signed links, the double opt-in rules,
//! mail (texts, SMTP, the outbox), campaigns, bounces, the Telegram announcement, the release's
//! steps. Depends on `workspace` only.

pub mod announcing;
pub mod bounces;
pub mod campaign;
pub mod channels;
pub mod email_edition;
pub mod mail;
pub mod mail_texts;
pub mod publishing;
pub mod scheduling;
pub mod sender;
pub mod sending;
pub mod smtp_pool;
pub mod subscriber_lists;
pub mod subscribers;
pub mod subscription;
pub mod tokens;
pub mod tracking;
pub mod transport;
