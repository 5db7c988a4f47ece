-- Notifications (platform notify package), every service's schema. Repeatable like R__outbox_relay.sql:
-- every statement can run again. A notification is written in the same transaction as the change it
-- tells about (like an outbox row) and sent through the Notifier port after the commit; a person's
-- preference says which channels a kind goes to (none: the kind is off).
CREATE TABLE IF NOT EXISTS notification (
    id            BIGSERIAL   PRIMARY KEY,
    person_id     TEXT        NOT NULL,
    kind          TEXT        NOT NULL,
    subject       TEXT        NOT NULL,
    text          TEXT        NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    claimed_until TIMESTAMPTZ,
    attempts      INTEGER     NOT NULL DEFAULT 0,
    channels      TEXT,
    sent_at       TIMESTAMPTZ
);
CREATE INDEX IF NOT EXISTS notification_to_send ON notification (id) WHERE sent_at IS NULL;
CREATE INDEX IF NOT EXISTS notification_person ON notification (person_id, id DESC);

CREATE TABLE IF NOT EXISTS notification_preference (
    person_id  TEXT        NOT NULL,
    kind       TEXT        NOT NULL,
    channels   TEXT        NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (person_id, kind)
);
GRANT SELECT, INSERT, UPDATE, DELETE ON notification, notification_preference TO ${app-role};
GRANT USAGE, SELECT ON SEQUENCE notification_id_seq TO ${app-role};
