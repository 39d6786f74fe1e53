//! Subscriber lists from outside: the CSV exports of Substack, Buttondown and listmonk, and a
//! plain `email[,name,lang,tier,paid_until]` file (columns named in the header). The format is
//! recognised from the header; each bad row is reported with its line and reason and the good
//! ones are kept. And the CSV export of our own list.

use anyhow::{Result, bail};
use std::borrow::Cow;
use weekly_model::email::Email;
use weekly_model::{IsoDate, Lang};
use weekly_store::{NewSubscriber, Subscriber, SubscriberStatus, Tier};

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

/// What a file holds (a small file read whole: see [`CsvRows`] for a large one).
#[derive(Debug, Clone)]
pub struct Parsed {
    /// The format recognised.
    pub format: Format,
    /// The good rows.
    pub rows: Vec<NewSubscriber>,
    /// The bad ones.
    pub errors: Vec<RowError>,
}

/// Reads the CSV `bytes` of a file named `source` whole. `languages` are the workspace's;
/// `now` is the consent time given to imported rows (RFC 3339).
pub fn read_csv(bytes: &[u8], source: &str, languages: &[Lang], now: &str) -> Result<Parsed> {
    let mut rows = CsvRows::new(bytes, source, languages, now)?;
    let mut parsed = Parsed {
        format: rows.format(),
        rows: Vec::new(),
        errors: Vec::new(),
    };
    while let Some(row) = rows.next_row()? {
        match row {
            Ok(row) => parsed.rows.push(row),
            Err(error) => parsed.errors.push(error),
        }
    }
    Ok(parsed)
}

/// The rows of a CSV file, read one at a time from `R` (a file through a `BufReader`): a file
/// of a million rows is never held whole. The file must be UTF-8 (a byte-order mark is
/// skipped); bytes that are not are an error naming their line, not a guess at another
/// character set.
pub struct CsvRows<R> {
    reader: csv::Reader<R>,
    record: csv::StringRecord,
    columns: Columns,
    format: Format,
    languages: Vec<Lang>,
    source: String,
    now: String,
}

impl<R> std::fmt::Debug for CsvRows<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CsvRows")
            .field("format", &self.format)
            .field("source", &self.source)
            .finish_non_exhaustive()
    }
}

/// The error of bytes that are not UTF-8 on `line` of `source`.
fn not_utf8(source: &str, line: u64) -> anyhow::Error {
    anyhow::anyhow!(
        "{source}:{line}: the file is not UTF-8 (bytes on this line are no UTF-8 text); \
         nothing was imported. Save it as \"CSV UTF-8\" (or convert it, e.g. `iconv -f \
         GB18030 -t UTF-8`) and import it again"
    )
}

impl<R: std::io::BufRead> CsvRows<R> {
    /// Reads the header of `input`, a file named `source`, and recognises its format.
    /// `languages` are the workspace's; `now` is the consent time of imported rows.
    pub fn new(mut input: R, source: &str, languages: &[Lang], now: &str) -> Result<Self> {
        if input
            .fill_buf()
            .map_err(|e| anyhow::anyhow!("cannot read `{source}`: {e}"))?
            .starts_with(b"\xef\xbb\xbf")
        {
            input.consume(3);
        }
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .trim(csv::Trim::All)
            .from_reader(input);
        let header: Vec<String> = match reader.headers() {
            Ok(header) => header
                .iter()
                .map(|h| h.trim().to_ascii_lowercase())
                .collect(),
            Err(e) if matches!(e.kind(), csv::ErrorKind::Utf8 { .. }) => {
                return Err(not_utf8(source, 1));
            }
            Err(e) => bail!("{source}:1: cannot read the header: {e}"),
        };
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
        Ok(CsvRows {
            reader,
            record: csv::StringRecord::new(),
            columns,
            format,
            languages: languages.to_vec(),
            source: source.to_owned(),
            now: now.to_owned(),
        })
    }

    /// The format recognised from the header.
    pub fn format(&self) -> Format {
        self.format
    }

    /// The next row: a subscriber, or why the row is skipped; `None` at the end. An error
    /// when the file cannot be read or has bytes that are not UTF-8 (the whole file is then
    /// refused).
    pub fn next_row(&mut self) -> Result<Option<Result<NewSubscriber, RowError>>> {
        loop {
            match self.reader.read_record(&mut self.record) {
                Ok(false) => return Ok(None),
                Ok(true) => {}
                Err(e) => {
                    let line = e.position().map_or(0, csv::Position::line);
                    match e.kind() {
                        csv::ErrorKind::Utf8 { .. } => return Err(not_utf8(&self.source, line)),
                        csv::ErrorKind::Io(_) => bail!("cannot read `{}`: {e}", self.source),
                        _ => {
                            return Ok(Some(Err(RowError {
                                line,
                                reason: format!("not a CSV row: {e}"),
                            })));
                        }
                    }
                }
            }
            let line = self.record.position().map_or(0, csv::Position::line);
            if self.record.iter().all(str::is_empty) {
                continue;
            }
            return Ok(Some(
                row(
                    &self.record,
                    &self.columns,
                    self.format,
                    &self.languages,
                    &self.source,
                    &self.now,
                )
                .map_err(|reason| RowError { line, reason }),
            ));
        }
    }
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
    let field = |at: Option<usize>| {
        let text = at.and_then(|i| record.get(i)).unwrap_or("").trim();
        // Our own export neutralised cells that a spreadsheet would take for a formula.
        if format == Format::Plain {
            uncell(text)
        } else {
            text
        }
    };
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
        "" => Tier::Free,
        word => Tier::parse(word)
            .ok_or_else(|| format!("tier `{word}` is neither `free` nor `paid`"))?,
    };
    let mut status = SubscriberStatus::Confirmed;
    match format {
        Format::Substack => {
            if matches!(
                plan.as_str(),
                "true" | "paid" | "yearly" | "monthly" | "founding"
            ) {
                tier = Tier::Paid;
            }
            if field(columns.disabled).eq_ignore_ascii_case("true") {
                status = SubscriberStatus::Unsubscribed;
            }
        }
        Format::Buttondown => match status_field.as_str() {
            "premium" | "gifted" | "churning" => tier = Tier::Paid,
            "unactivated" => status = SubscriberStatus::Pending,
            "unsubscribed" | "removed" => status = SubscriberStatus::Unsubscribed,
            "complained" | "spammy" => status = SubscriberStatus::Complained,
            "undeliverable" => status = SubscriberStatus::Bounced,
            _ => {}
        },
        Format::Listmonk => {
            if matches!(status_field.as_str(), "blocklisted" | "disabled") {
                status = SubscriberStatus::Unsubscribed;
            }
        }
        // Our own export (and a list written by hand) may say the status.
        Format::Plain => match status_field.as_str() {
            "" => {}
            word => {
                status = SubscriberStatus::parse(word)
                    .ok_or_else(|| format!("status `{word}` is not one weekly knows"))?;
            }
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
    if tier == Tier::Paid && paid_until.is_none() && format == Format::Plain {
        return Err("a `paid` subscriber needs `paid_until` (the last day they paid for)".into());
    }
    Ok(NewSubscriber {
        email_key: email.key(),
        email: email.as_str().to_owned(),
        name: name.to_owned(),
        languages: langs.iter().map(Lang::as_str).collect::<Vec<_>>().join(","),
        tier,
        paid_until,
        status,
        source: source.to_owned(),
        consent_at: now.to_owned(),
        consent_ip: String::new(),
        consent_via: "import".to_owned(),
    })
}

/// True for text a spreadsheet would take for a formula (or a cell that starts one): `=`,
/// `+`, `-`, `@`, a tab or a carriage return first.
fn formula_like(text: &str) -> bool {
    text.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

/// A field as our export writes it: one that starts like a formula gets a leading `'`, so
/// opening the export cannot run anything; so does one that is `'`s before such a start, so
/// that [`uncell`] gives back every text as it was.
fn cell(text: &str) -> Cow<'_, str> {
    if formula_like(text.trim_start_matches('\'')) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// A field of our export as it was before [`cell`]: one `'` fewer before a formula's start.
fn uncell(text: &str) -> &str {
    match text.strip_prefix('\'') {
        Some(rest) if formula_like(rest.trim_start_matches('\'')) => rest,
        _ => text,
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
        // Every column: an address may start with `-` or `=`, and a stored field is whatever
        // an earlier import or form put there.
        let cells = [
            cell(&s.email),
            cell(&s.name),
            cell(&s.languages),
            cell(s.tier.as_str()),
            cell(s.paid_until.as_deref().unwrap_or("")),
            cell(s.status.as_str()),
            cell(&s.source),
            cell(&s.consent_at),
            cell(&s.consent_ip),
            cell(&s.consent_via),
            cell(&s.created_at),
        ];
        writer.write_record(cells.iter().map(|c| c.as_bytes()))?;
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
            (p.rows[0].tier, p.rows[0].paid_until.as_deref()),
            (Tier::Paid, Some("2027-03-01"))
        );
        assert_eq!(p.rows[1].status, SubscriberStatus::Unsubscribed);

        let buttondown = "id,email,notes,metadata,tags,creation_date,subscriber_type\n\
1,c@x.org,,{},,2026-01-01,premium\n2,d@x.org,,{},,2026-01-01,unsubscribed\n";
        let p = read_csv(buttondown.as_bytes(), "b.csv", &langs(), "now").unwrap();
        assert_eq!(p.format, Format::Buttondown);
        assert_eq!(p.rows[0].tier, Tier::Paid);
        assert_eq!(p.rows[1].status, SubscriberStatus::Unsubscribed);

        let listmonk = "uuid,email,name,attributes,status,created_at,updated_at\n\
u1,e@x.org,\"Eve, \"\"E\"\"\",\"{\"\"city\"\": \"\"x\"\"}\",blocklisted,t,t\n";
        let p = read_csv(listmonk.as_bytes(), "l.csv", &langs(), "now").unwrap();
        assert_eq!(p.format, Format::Listmonk);
        assert_eq!(p.rows[0].name, "Eve, \"E\"");
        assert_eq!(p.rows[0].status, SubscriberStatus::Unsubscribed);
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
    fn a_file_that_is_not_utf8_is_refused_with_its_line() {
        // GBK, as a spreadsheet saves it: refused, not read as GB18030 (`张三` → `寮犱笁`).
        let (gbk, _, _) = encoding_rs::GBK.encode("email,name\nli@x.org,张三\n");
        let error = read_csv(&gbk, "g.csv", &langs(), "now").unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("g.csv:2: the file is not UTF-8"),
            "{error}"
        );
        // A bad byte further down refuses the whole file, naming its line.
        let mut bytes = b"email,name\na@x.org,A\nb@x.org,B\nc@x.org,C\xff\n".to_vec();
        let error = read_csv(&bytes, "late.csv", &langs(), "now").unwrap_err();
        assert!(error.to_string().starts_with("late.csv:4:"), "{error}");
        // In the header too.
        bytes.splice(0..0, b"\xfe".iter().copied());
        let error = read_csv(&bytes, "h.csv", &langs(), "now").unwrap_err();
        assert!(error.to_string().starts_with("h.csv:1:"), "{error}");
        // A decoding error that reached the text as U+FFFD is no address.
        let p = read_csv(
            "email\nli\u{fffd}@x.org\nok@x.org\n".as_bytes(),
            "r.csv",
            &langs(),
            "now",
        )
        .unwrap();
        assert_eq!(p.rows.len(), 1);
        assert!(
            p.errors[0].line == 2 && p.errors[0].reason.contains("U+FFFD"),
            "{:?}",
            p.errors
        );
    }

    /// Rows `email,name` made as they are read, counting the bytes handed out.
    struct Generated {
        rows: usize,
        next: usize,
        pending: Vec<u8>,
        given: std::rc::Rc<std::cell::Cell<usize>>,
    }

    impl std::io::Read for Generated {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            if self.pending.is_empty() {
                if self.next == 0 {
                    self.pending.extend_from_slice(b"email,name\n");
                } else if self.next <= self.rows {
                    self.pending.extend_from_slice(
                        format!("r{}@example.org,Reader\n", self.next).as_bytes(),
                    );
                }
                self.next += 1;
            }
            let n = buf.len().min(self.pending.len());
            buf[..n].copy_from_slice(&self.pending[..n]);
            self.pending.drain(..n);
            self.given.set(self.given.get() + n);
            Ok(n)
        }
    }

    #[test]
    fn rows_are_read_as_they_come_not_the_whole_file_first() {
        let given = std::rc::Rc::new(std::cell::Cell::new(0));
        let input = Generated {
            rows: 200_000,
            next: 0,
            pending: Vec::new(),
            given: std::rc::Rc::clone(&given),
        };
        let mut rows =
            CsvRows::new(std::io::BufReader::new(input), "big.csv", &langs(), "now").unwrap();
        let first = rows.next_row().unwrap().unwrap().unwrap();
        assert_eq!(first.email, "r1@example.org");
        // Of a file of some 5 MB, what the buffers hold: a few kilobytes.
        assert!(
            given.get() < 64 << 10,
            "{} bytes read for one row",
            given.get()
        );
        let mut n = 1;
        while let Some(row) = rows.next_row().unwrap() {
            row.unwrap();
            n += 1;
        }
        assert_eq!(n, 200_000);
    }

    #[test]
    fn the_export_cannot_carry_a_formula() {
        let s = Subscriber {
            id: 1,
            email: "a@x.org".into(),
            name: "=HYPERLINK(\"http://evil\")".into(),
            languages: "zh".into(),
            tier: weekly_store::Tier::Free,
            paid_until: None,
            status: weekly_store::SubscriberStatus::Confirmed,
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

    #[test]
    fn every_exported_column_is_neutralised_and_an_import_takes_it_back() {
        let s = Subscriber {
            id: 1,
            email: "-cmd@x.org".into(),
            name: "@SUM(A1)".into(),
            languages: "+zh".into(),
            tier: weekly_store::Tier::Free,
            paid_until: None,
            status: weekly_store::SubscriberStatus::Confirmed,
            source: "\t=1+1".into(),
            consent_at: "-t".into(),
            consent_ip: "=1".into(),
            consent_via: "\r@x".into(),
            created_at: "'=already".into(),
            updated_at: "t".into(),
            link_key: String::new(),
            legacy_links: false,
        };
        let csv = export_csv(std::slice::from_ref(&s)).unwrap();
        let mut reader = csv::ReaderBuilder::new().from_reader(csv.as_bytes());
        let row = reader.records().next().unwrap().unwrap();
        for cell in &row {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "{cell:?} in {csv}"
            );
        }
        assert_eq!(&row[0], "'-cmd@x.org");
        assert_eq!(&row[10], "''=already");
        // Every text comes back as it was.
        for text in [
            "=x", "'=x", "''+x", "'", "'plain", "plain", "-", "", "@", "'@'",
        ] {
            assert_eq!(uncell(&cell(text)), text, "{text:?}");
        }
        // Our export read back: the address and name as they were.
        let back =
            "email,name,tier,status\n'-cmd@x.org,'@SUM(A1),free,confirmed\n'=x@x.org,\"'-1\",,\n";
        let p = read_csv(back.as_bytes(), "e.csv", &langs(), "now").unwrap();
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        assert_eq!(
            (p.rows[0].email.as_str(), p.rows[0].name.as_str()),
            ("-cmd@x.org", "@SUM(A1)")
        );
        assert_eq!(
            (p.rows[1].email.as_str(), p.rows[1].name.as_str()),
            ("=x@x.org", "-1")
        );
    }
}
