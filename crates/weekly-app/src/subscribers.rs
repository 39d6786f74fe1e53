//! Subscriber lists from outside: the CSV exports of Substack, Buttondown and listmonk, and a
//! plain `email[,name,lang,tier,paid_until]` file (columns named in the header). The format is
//! recognised from the header; each bad row is reported with its line and reason and the good
//! ones are kept. And the CSV export of our own list.

use anyhow::{Result, bail};
use weekly_model::email::Email;
use weekly_model::{IsoDate, Lang};
use weekly_store::{NewSubscriber, Subscriber};

/// The kinds of CSV file `weekly subscribers import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Substack's subscriber export (`email`, `active_subscription`, `plan`, `expiry`…).
    Substack,
    /// Buttondown's export (`email`, `subscriber_type`, `creation_date`…).
    Buttondown,
    /// listmonk's export (`uuid`, `email`, `name`, `attributes`, `status`…).
    Listmonk,
    /// `email` and optionally `name`, `lang`/`languages`, `tier`, `paid_until`, `status` (what
    /// `weekly subscribers export` writes).
    Plain,
}

impl Format {
    /// The name shown to the editor.
    pub fn name(self) -> &'static str {
        match self {
            Format::Substack => "Substack export",
            Format::Buttondown => "Buttondown export",
            Format::Listmonk => "listmonk export",
            Format::Plain => "plain list (email, name, lang, tier, paid_until)",
        }
    }

    fn of(header: &[String]) -> Option<Format> {
        let has = |name: &str| header.iter().any(|h| h == name);
        if !has("email") && !has("email_address") {
            return None;
        }
        Some(if has("uuid") && has("attributes") {
            Format::Listmonk
        } else if has("subscriber_type") || has("creation_date") {
            Format::Buttondown
        } else if has("active_subscription") || has("email_disabled") {
            Format::Substack
        } else {
            Format::Plain
        })
    }
}

/// A row that was not imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// 1-based line of the file where the row starts.
    pub line: u64,
    /// Why.
    pub reason: String,
}

/// What a file holds.
#[derive(Debug, Clone)]
pub struct Parsed {
    /// The format recognised.
    pub format: Format,
    /// The good rows.
    pub rows: Vec<NewSubscriber>,
    /// The bad ones.
    pub errors: Vec<RowError>,
    /// The character set the file was read in.
    pub encoding: &'static str,
}

/// The text of a CSV file: UTF-8 (with or without a byte-order mark), else GB18030 (which
/// reads GBK and GB2312, as spreadsheets in China save CSV).
fn decode(bytes: &[u8]) -> (String, &'static str) {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    if let Ok(text) = std::str::from_utf8(bytes) {
        (text.to_owned(), "UTF-8")
    } else {
        let (text, _, _) = encoding_rs::GB18030.decode(bytes);
        (text.into_owned(), "GB18030")
    }
}

/// Reads the CSV `bytes` of a file named `source`. `languages` are the workspace's; `now` is
/// the consent time given to imported rows (RFC 3339).
pub fn read_csv(bytes: &[u8], source: &str, languages: &[Lang], now: &str) -> Result<Parsed> {
    let (text, encoding) = decode(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| anyhow::anyhow!("{source}:1: cannot read the header: {e}"))?
        .iter()
        .map(|h| h.trim().to_ascii_lowercase())
        .collect();
    let Some(format) = Format::of(&header) else {
        bail!(
            "{source}:1: no `email` column in the header ({}); the first line must name the \
             columns, e.g. `email,name,lang,tier`",
            header.join(", ")
        );
    };
    let column = |names: &[&str]| header.iter().position(|h| names.contains(&h.as_str()));
    let columns = Columns {
        email: column(&["email", "email_address"]).unwrap_or(0),
        name: column(&["name", "full_name"]),
        languages: column(&["lang", "language", "languages"]),
        tier: column(&["tier"]),
        paid_until: column(&["paid_until", "expiry"]),
        status: column(&["status", "subscriber_type"]),
        plan: column(&["plan", "active_subscription"]),
        disabled: column(&["email_disabled"]),
    };
    let mut parsed = Parsed {
        format,
        rows: Vec::new(),
        errors: Vec::new(),
        encoding,
    };
    for record in reader.records() {
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                let line = e.position().map_or(0, csv::Position::line);
                parsed.errors.push(RowError {
                    line,
                    reason: format!("not a CSV row: {e}"),
                });
                continue;
            }
        };
        let line = record.position().map_or(0, csv::Position::line);
        if record.iter().all(str::is_empty) {
            continue;
        }
        match row(&record, &columns, format, languages, source, now) {
            Ok(row) => parsed.rows.push(row),
            Err(reason) => parsed.errors.push(RowError { line, reason }),
        }
    }
    Ok(parsed)
}

/// Where each field is.
struct Columns {
    email: usize,
    name: Option<usize>,
    languages: Option<usize>,
    tier: Option<usize>,
    paid_until: Option<usize>,
    status: Option<usize>,
    plan: Option<usize>,
    disabled: Option<usize>,
}

fn row(
    record: &csv::StringRecord,
    columns: &Columns,
    format: Format,
    languages: &[Lang],
    source: &str,
    now: &str,
) -> Result<NewSubscriber, String> {
    let field = |at: Option<usize>| at.and_then(|i| record.get(i)).unwrap_or("").trim();
    let email = Email::parse(field(Some(columns.email))).map_err(|e| {
        format!(
            "`{}`: {e}",
            weekly_model::shown::escape_controls(field(Some(columns.email)), false)
        )
    })?;
    let name = field(columns.name);
    if name.chars().any(char::is_control) {
        return Err("the name has a line break or a control character".into());
    }
    if name.chars().count() > 200 {
        return Err("the name is longer than 200 characters".into());
    }
    let mut langs = Vec::new();
    for code in field(columns.languages)
        .split([',', ';', ' ', '|'])
        .filter(|c| !c.is_empty())
    {
        let Some(lang) = Lang::new(&code.to_ascii_lowercase()).filter(|l| languages.contains(l))
        else {
            let known: Vec<&str> = languages.iter().map(Lang::as_str).collect();
            return Err(format!(
                "language `{code}` is not one of the newsletter's ({})",
                known.join(", ")
            ));
        };
        if !langs.contains(&lang) {
            langs.push(lang);
        }
    }
    let status_field = field(columns.status).to_ascii_lowercase();
    let plan = field(columns.plan).to_ascii_lowercase();
    let mut tier = match field(columns.tier).to_ascii_lowercase().as_str() {
        "" | "free" => "free",
        "paid" => "paid",
        other => return Err(format!("tier `{other}` is neither `free` nor `paid`")),
    };
    let mut status = "confirmed";
    match format {
        Format::Substack => {
            if matches!(
                plan.as_str(),
                "true" | "paid" | "yearly" | "monthly" | "founding"
            ) {
                tier = "paid";
            }
            if field(columns.disabled).eq_ignore_ascii_case("true") {
                status = "unsubscribed";
            }
        }
        Format::Buttondown => match status_field.as_str() {
            "premium" | "gifted" | "churning" => tier = "paid",
            "unactivated" => status = "pending",
            "unsubscribed" | "removed" => status = "unsubscribed",
            "complained" | "spammy" => status = "complained",
            "undeliverable" => status = "bounced",
            _ => {}
        },
        Format::Listmonk => {
            if matches!(status_field.as_str(), "blocklisted" | "disabled") {
                status = "unsubscribed";
            }
        }
        // Our own export (and a list written by hand) may say the status.
        Format::Plain => match status_field.as_str() {
            "" => {}
            "pending" | "confirmed" | "unsubscribed" | "bounced" | "complained" => {
                status = match status_field.as_str() {
                    "pending" => "pending",
                    "unsubscribed" => "unsubscribed",
                    "bounced" => "bounced",
                    "complained" => "complained",
                    _ => "confirmed",
                };
            }
            other => return Err(format!("status `{other}` is not one weekly knows")),
        },
    }
    let paid_until = match field(columns.paid_until) {
        "" => None,
        text => {
            let day = text.get(..10).unwrap_or(text);
            let date = IsoDate::parse(day)
                .ok_or_else(|| format!("`{text}` is not a date like 2027-01-31"))?;
            Some(date.to_string())
        }
    };
    if tier == "paid" && paid_until.is_none() && format == Format::Plain {
        return Err("a `paid` subscriber needs `paid_until` (the last day they paid for)".into());
    }
    Ok(NewSubscriber {
        email_key: email.key(),
        email: email.as_str().to_owned(),
        name: name.to_owned(),
        languages: langs.iter().map(Lang::as_str).collect::<Vec<_>>().join(","),
        tier: tier.to_owned(),
        paid_until,
        status: status.to_owned(),
        source: source.to_owned(),
        consent_at: now.to_owned(),
        consent_ip: String::new(),
        consent_via: "import".to_owned(),
    })
}

/// A text field as a spreadsheet may show it: one that starts like a formula (`=`, `+`, `-`,
/// `@`) gets a leading `'`, so opening the export cannot run anything.
fn cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@']) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

/// The CSV export of `subscribers`, with a header row.
pub fn export_csv(subscribers: &[Subscriber]) -> Result<String> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record([
        "email",
        "name",
        "languages",
        "tier",
        "paid_until",
        "status",
        "source",
        "consent_at",
        "consent_ip",
        "consent_via",
        "created_at",
    ])?;
    for s in subscribers {
        writer.write_record([
            s.email.as_str(),
            &cell(&s.name),
            &s.languages,
            &s.tier,
            s.paid_until.as_deref().unwrap_or(""),
            &s.status,
            &cell(&s.source),
            &s.consent_at,
            &s.consent_ip,
            &s.consent_via,
            &s.created_at,
        ])?;
    }
    Ok(String::from_utf8(writer.into_inner()?)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn langs() -> Vec<Lang> {
        vec![Lang::zh(), Lang::en()]
    }

    #[test]
    fn formats_are_recognised_and_mapped() {
        let substack = "email,active_subscription,expiry,plan,email_disabled,created_at\n\
a@x.org,true,2027-03-01T00:00:00Z,yearly,false,2026-01-01\n\
b@x.org,false,,free,true,2026-01-02\n";
        let p = read_csv(substack.as_bytes(), "s.csv", &langs(), "now").unwrap();
        assert_eq!(p.format, Format::Substack);
        assert_eq!(
            (p.rows[0].tier.as_str(), p.rows[0].paid_until.as_deref()),
            ("paid", Some("2027-03-01"))
        );
        assert_eq!(p.rows[1].status, "unsubscribed");

        let buttondown = "id,email,notes,metadata,tags,creation_date,subscriber_type\n\
1,c@x.org,,{},,2026-01-01,premium\n2,d@x.org,,{},,2026-01-01,unsubscribed\n";
        let p = read_csv(buttondown.as_bytes(), "b.csv", &langs(), "now").unwrap();
        assert_eq!(p.format, Format::Buttondown);
        assert_eq!(p.rows[0].tier, "paid");
        assert_eq!(p.rows[1].status, "unsubscribed");

        let listmonk = "uuid,email,name,attributes,status,created_at,updated_at\n\
u1,e@x.org,\"Eve, \"\"E\"\"\",\"{\"\"city\"\": \"\"x\"\"}\",blocklisted,t,t\n";
        let p = read_csv(listmonk.as_bytes(), "l.csv", &langs(), "now").unwrap();
        assert_eq!(p.format, Format::Listmonk);
        assert_eq!(p.rows[0].name, "Eve, \"E\"");
        assert_eq!(p.rows[0].status, "unsubscribed");
    }

    #[test]
    fn bad_rows_are_named_by_line_and_good_ones_kept() {
        let text = "\u{feff}Email,Name,Lang,Tier,paid_until\n\
ok@x.org,\"多行\n名字\",zh,free,\n\
not-an-address,,,,\n\
fine@x.org,Fine,en;zh,free,\n\
bad@x.org,,fr,,\n\
paid@x.org,,,paid,\n\
'; DROP TABLE subscriber;--@x.org,,,,\n";
        let p = read_csv(text.as_bytes(), "p.csv", &langs(), "now").unwrap();
        assert_eq!(p.format, Format::Plain);
        let lines: Vec<(u64, &str)> = p
            .errors
            .iter()
            .map(|e| (e.line, e.reason.as_str()))
            .collect();
        assert_eq!(p.rows.len(), 1, "{lines:?}");
        assert_eq!(p.rows[0].languages, "en,zh");
        assert!(
            lines[0].0 == 2 && lines[0].1.contains("line break"),
            "{lines:?}"
        );
        assert!(
            lines[1].0 == 4 && lines[1].1.contains("no `@`"),
            "{lines:?}"
        );
        assert!(lines[2].0 == 6 && lines[2].1.contains("`fr`"), "{lines:?}");
        assert!(
            lines[3].0 == 7 && lines[3].1.contains("paid_until"),
            "{lines:?}"
        );
        assert!(lines[4].0 == 8, "{lines:?}");
    }

    #[test]
    fn gbk_files_are_read() {
        let (gbk, _, _) = encoding_rs::GBK.encode("email,name\nli@x.org,李雷\n");
        let p = read_csv(&gbk, "g.csv", &langs(), "now").unwrap();
        assert_eq!((p.rows[0].name.as_str(), p.encoding), ("李雷", "GB18030"));
    }

    #[test]
    fn the_export_cannot_carry_a_formula() {
        let s = Subscriber {
            id: 1,
            email: "a@x.org".into(),
            name: "=HYPERLINK(\"http://evil\")".into(),
            languages: "zh".into(),
            tier: "free".into(),
            paid_until: None,
            status: "confirmed".into(),
            source: "cli".into(),
            consent_at: "t".into(),
            consent_ip: String::new(),
            consent_via: "cli".into(),
            created_at: "t".into(),
            updated_at: "t".into(),
            link_key: String::new(),
            legacy_links: false,
        };
        let csv = export_csv(&[s]).unwrap();
        assert!(csv.starts_with("email,name,languages"), "{csv}");
        assert!(
            csv.contains("\"'=HYPERLINK(\"\"http://evil\"\")\""),
            "{csv}"
        );
    }
}
