-- Readers' signals, all off by default (`[tracking]`). No table here holds an IP address, a
-- user agent or a cookie.
--
-- The links of a campaign as they were when it was made: a click token names a campaign and a
-- position, and the redirect goes to the URL stored here, never to one the request names.
-- `section` is the section key of the entry the link belongs to (empty outside entries);
-- `source` the inbox source it came from, else `host:NAME`.
CREATE TABLE campaign_link (
    campaign_id BIGINT NOT NULL,
    position BIGINT NOT NULL,
    url TEXT NOT NULL,
    section TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (campaign_id, position)
);
-- What readers did, counted per day, campaign and link, never per person: `kind` is
-- `human` or `scanner` (a mail scanner's HEAD, a prefetch right after delivery, a known
-- scanner's agent) for clicks, `open` or `open-scanner` for the open pixel (position 0).
CREATE TABLE click_count (
    day TEXT NOT NULL,
    campaign_id BIGINT NOT NULL,
    position BIGINT NOT NULL,
    kind TEXT NOT NULL,
    count BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (day, campaign_id, position, kind)
);
-- Only with `[tracking] per_subscriber = true`, a choice the editor makes and documents:
-- which subscriber clicked what, deleted with them by `weekly subscribers remove --forget`.
CREATE TABLE subscriber_click (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    subscriber_id BIGINT NOT NULL,
    campaign_id BIGINT NOT NULL,
    position BIGINT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX subscriber_click_subscriber ON subscriber_click (subscriber_id);
-- Page views of the site `weekly server` serves, per day and issue page (`issue` 0: the
-- home page of `lang`): `kind` is `reader` or `bot`. No cookie, no script.
CREATE TABLE page_view (
    day TEXT NOT NULL,
    lang TEXT NOT NULL,
    issue BIGINT NOT NULL,
    kind TEXT NOT NULL,
    count BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (day, lang, issue, kind)
);
