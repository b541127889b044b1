/**
 * Schema migrations, in order. Each runs once, in a transaction, and its number is recorded in
 * `schema_migrations`; released migrations are never edited, only followed by new ones.
 * The directory tables mirror Open Referral HSDS 3.0 (one table per object, HSDS column names, UUID ids,
 * `x_` extensions) so HSDS import/export maps 1:1 later without a data migration. Text fields hold the
 * default-language text; every language's text is in `x_translations` as `{field: {lang: text}}`.
 */
export const MIGRATIONS: readonly { version: number; name: string; sql: string }[] = [
  {
    version: 1,
    name: 'conversation state and HSDS directory',
    sql: `
      CREATE TABLE conversation_state (
        key TEXT PRIMARY KEY,
        etag TEXT NOT NULL,
        value TEXT NOT NULL,
        expires_at INTEGER NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX conversation_state_expires ON conversation_state (expires_at);

      CREATE TABLE organization (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        description TEXT NOT NULL,
        website TEXT,
        x_translations TEXT NOT NULL DEFAULT '{}'
      );
      CREATE TABLE service (
        id TEXT PRIMARY KEY,
        organization_id TEXT NOT NULL REFERENCES organization (id),
        name TEXT NOT NULL,
        description TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('active', 'inactive', 'defunct', 'temporarily closed')),
        x_documents_required TEXT NOT NULL DEFAULT 'unknown' CHECK (x_documents_required IN ('none', 'some', 'unknown')),
        assured_date TEXT,
        last_modified TEXT NOT NULL,
        x_translations TEXT NOT NULL DEFAULT '{}'
      );
      CREATE TABLE location (
        id TEXT PRIMARY KEY,
        organization_id TEXT REFERENCES organization (id),
        location_type TEXT NOT NULL DEFAULT 'physical' CHECK (location_type IN ('physical', 'postal', 'virtual')),
        name TEXT,
        latitude REAL CHECK (latitude BETWEEN -90 AND 90),
        longitude REAL CHECK (longitude BETWEEN -180 AND 180),
        x_timezone TEXT NOT NULL,
        x_translations TEXT NOT NULL DEFAULT '{}'
      );
      CREATE TABLE address (
        id TEXT PRIMARY KEY,
        location_id TEXT NOT NULL REFERENCES location (id) ON DELETE CASCADE,
        address_1 TEXT NOT NULL,
        address_2 TEXT,
        city TEXT NOT NULL,
        region TEXT,
        state_province TEXT,
        postal_code TEXT,
        country TEXT NOT NULL,
        address_type TEXT NOT NULL DEFAULT 'physical'
      );
      CREATE INDEX address_location ON address (location_id);
      CREATE TABLE service_at_location (
        id TEXT PRIMARY KEY,
        service_id TEXT NOT NULL REFERENCES service (id) ON DELETE CASCADE,
        location_id TEXT NOT NULL REFERENCES location (id) ON DELETE CASCADE
      );
      CREATE INDEX service_at_location_service ON service_at_location (service_id);
      CREATE TABLE phone (
        id TEXT PRIMARY KEY,
        service_id TEXT REFERENCES service (id) ON DELETE CASCADE,
        location_id TEXT REFERENCES location (id) ON DELETE CASCADE,
        service_at_location_id TEXT REFERENCES service_at_location (id) ON DELETE CASCADE,
        organization_id TEXT REFERENCES organization (id) ON DELETE CASCADE,
        number TEXT NOT NULL,
        extension TEXT,
        type TEXT NOT NULL DEFAULT 'voice',
        description TEXT,
        x_translations TEXT NOT NULL DEFAULT '{}'
      );
      CREATE INDEX phone_service ON phone (service_id);
      CREATE TABLE schedule (
        id TEXT PRIMARY KEY,
        service_id TEXT REFERENCES service (id) ON DELETE CASCADE,
        location_id TEXT REFERENCES location (id) ON DELETE CASCADE,
        service_at_location_id TEXT REFERENCES service_at_location (id) ON DELETE CASCADE,
        freq TEXT NOT NULL DEFAULT 'WEEKLY' CHECK (freq IN ('WEEKLY', 'MONTHLY')),
        byday TEXT,
        opens_at TEXT,
        closes_at TEXT,
        valid_from TEXT,
        valid_to TEXT,
        x_closed INTEGER NOT NULL DEFAULT 0,
        description TEXT,
        x_translations TEXT NOT NULL DEFAULT '{}'
      );
      CREATE INDEX schedule_sal ON schedule (service_at_location_id);
      CREATE TABLE language (
        id TEXT PRIMARY KEY,
        service_id TEXT REFERENCES service (id) ON DELETE CASCADE,
        location_id TEXT REFERENCES location (id) ON DELETE CASCADE,
        phone_id TEXT REFERENCES phone (id) ON DELETE CASCADE,
        code TEXT NOT NULL,
        name TEXT
      );
      CREATE INDEX language_service ON language (service_id, code);
      CREATE TABLE taxonomy (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        description TEXT NOT NULL
      );
      CREATE TABLE taxonomy_term (
        id TEXT PRIMARY KEY,
        code TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        description TEXT NOT NULL,
        parent_id TEXT REFERENCES taxonomy_term (id),
        taxonomy_id TEXT REFERENCES taxonomy (id),
        x_translations TEXT NOT NULL DEFAULT '{}'
      );
      CREATE TABLE attribute (
        id TEXT PRIMARY KEY,
        link_id TEXT NOT NULL,
        link_type TEXT NOT NULL,
        link_entity TEXT NOT NULL,
        taxonomy_term_id TEXT NOT NULL REFERENCES taxonomy_term (id),
        value TEXT
      );
      CREATE INDEX attribute_link ON attribute (link_type, link_id);
    `,
  },
  {
    version: 2,
    name: 'channel message dedupe',
    // Keyed HMACs of channel message ids, never the ids: WhatsApp redelivers webhooks for up to 7 days.
    sql: `
      CREATE TABLE channel_dedupe (
        id_hmac TEXT PRIMARY KEY,
        expires_at INTEGER NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX channel_dedupe_expires ON channel_dedupe (expires_at);
    `,
  },
  {
    version: 3,
    name: 'escalations',
    // Pseudonyms and sealed values only (see src/escalation/escalationStore.ts); times are epoch ms.
    // owner and conversation_key are indexed for "delete my data" and quick exit; the status indexes serve
    // the staff queue and the two retention rules (closed by closed_at, open by updated_at).
    sql: `
      CREATE TABLE escalation (
        id TEXT PRIMARY KEY,
        owner TEXT NOT NULL,
        conversation_key TEXT NOT NULL,
        channel TEXT NOT NULL,
        locale TEXT NOT NULL,
        topic TEXT NOT NULL,
        town TEXT,
        status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
        consent_at INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        closed_at INTEGER,
        reply_address_sealed TEXT NOT NULL
      );
      CREATE INDEX escalation_owner ON escalation (owner);
      CREATE INDEX escalation_conversation ON escalation (conversation_key);
      CREATE INDEX escalation_status_updated ON escalation (status, updated_at);
      CREATE INDEX escalation_status_closed ON escalation (status, closed_at);

      CREATE TABLE escalation_message (
        id TEXT PRIMARY KEY,
        escalation_id TEXT NOT NULL REFERENCES escalation (id) ON DELETE CASCADE,
        author TEXT NOT NULL CHECK (author IN ('migrant', 'staff')),
        body_sealed TEXT NOT NULL,
        created_at INTEGER NOT NULL
      );
      CREATE INDEX escalation_message_escalation ON escalation_message (escalation_id, created_at);
    `,
  },
  {
    version: 4,
    name: 'staff accounts',
    // See src/staff/staffModel.ts. Times are epoch ms; list-valued columns are JSON arrays. Secrets are stored
    // only as hashes (sessions, links, API tokens) or sealed (TOTP). Roles, locales, scopes and audit actions
    // carry no CHECK: those lists grow, and widening a CHECK means rebuilding the table; the code validates them.
    // audit_event has no foreign keys (the log outlives what it mentions), AUTOINCREMENT so an id is never
    // reused after a purge (paging is by id), and a trigger that refuses every UPDATE: the log is append-only,
    // and rows leave it only through retention (purgeAuditOlderThan).
    sql: `
      CREATE TABLE staff_organisation (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        areas TEXT NOT NULL DEFAULT '[]',
        created_at INTEGER NOT NULL
      );

      CREATE TABLE staff_account (
        id TEXT PRIMARY KEY,
        email TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        languages TEXT NOT NULL DEFAULT '[]',
        organisation_id TEXT NOT NULL REFERENCES staff_organisation (id),
        roles TEXT NOT NULL DEFAULT '[]',
        status TEXT NOT NULL CHECK (status IN ('invited', 'active', 'disabled')),
        password_hash TEXT,
        totp_secret_sealed TEXT,
        totp_last_step INTEGER,
        interface_locale TEXT NOT NULL,
        failed_sign_ins INTEGER NOT NULL DEFAULT 0,
        locked_until INTEGER,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX staff_account_organisation ON staff_account (organisation_id);

      CREATE TABLE staff_session (
        id_hash TEXT PRIMARY KEY,
        staff_id TEXT REFERENCES staff_account (id) ON DELETE CASCADE,
        pending_staff_id TEXT REFERENCES staff_account (id) ON DELETE CASCADE,
        csrf_token TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        last_seen_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX staff_session_staff ON staff_session (staff_id);
      CREATE INDEX staff_session_pending ON staff_session (pending_staff_id);
      CREATE INDEX staff_session_expires ON staff_session (expires_at);

      CREATE TABLE staff_link_token (
        token_hash TEXT PRIMARY KEY,
        staff_id TEXT NOT NULL REFERENCES staff_account (id) ON DELETE CASCADE,
        purpose TEXT NOT NULL CHECK (purpose IN ('invitation', 'password-reset')),
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        used_at INTEGER
      ) WITHOUT ROWID;
      CREATE INDEX staff_link_token_staff ON staff_link_token (staff_id, purpose);

      CREATE TABLE api_token (
        id TEXT PRIMARY KEY,
        organisation_id TEXT NOT NULL REFERENCES staff_organisation (id),
        name TEXT NOT NULL,
        scopes TEXT NOT NULL DEFAULT '[]',
        secret_hash TEXT NOT NULL,
        created_by TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        last_used_at INTEGER,
        revoked_at INTEGER
      );
      CREATE INDEX api_token_organisation ON api_token (organisation_id);

      CREATE TABLE audit_event (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at INTEGER NOT NULL,
        actor TEXT,
        action TEXT NOT NULL,
        target_type TEXT,
        target_id TEXT,
        organisation_id TEXT,
        ip TEXT,
        details TEXT
      );
      CREATE INDEX audit_event_at ON audit_event (at);
      CREATE INDEX audit_event_actor ON audit_event (actor);
      CREATE INDEX audit_event_action ON audit_event (action);
      CREATE INDEX audit_event_organisation ON audit_event (organisation_id);
      CREATE TRIGGER audit_event_append_only BEFORE UPDATE ON audit_event
      BEGIN
        SELECT RAISE(ABORT, 'audit_event is append-only');
      END;
    `,
  },
  {
    version: 5,
    name: 'reply outbox',
    // What the bot will say on a channel that acknowledges before delivering (WhatsApp), written with the
    // turn's state and deleted once delivered; seq keeps each recipient's replies in order.
    sql: `
      CREATE TABLE reply_outbox (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        channel TEXT NOT NULL,
        order_key TEXT NOT NULL,
        recipient_sealed TEXT NOT NULL,
        payload TEXT NOT NULL,
        created_at INTEGER NOT NULL
      );
      CREATE INDEX reply_outbox_channel ON reply_outbox (channel, seq);
    `,
  },
  {
    version: 6,
    name: 'escalation urgency',
    // Urgent escalations (asked for from the emergency screen) are listed first; existing rows are normal.
    sql: `
      ALTER TABLE escalation ADD COLUMN urgency TEXT NOT NULL DEFAULT 'normal' CHECK (urgency IN ('normal', 'urgent'));
      CREATE INDEX escalation_open_queue ON escalation (status, urgency, created_at);
    `,
  },
  {
    version: 7,
    name: 'casework',
    // Issue 14: organisations route escalations (topics, time zone, opening hours); escalations carry the
    // organisation, the reference code (keyed hash for lookups, sealed for staff), the assignee, the outcome,
    // the SLA due time, the first answer and the migrant's last inbound message (WhatsApp's window). Rows from
    // before this migration get a hash no code can produce ('none:' + id), an empty sealed code, a due time one
    // day after creation and their last update as last inbound. Messages gain internal notes ('note'), the
    // caseworker, a ready-made reply key, an attached service and delivery state: the CHECK on author changes,
    // so the table is rebuilt (SQLite cannot alter a CHECK).
    sql: `
      ALTER TABLE staff_organisation ADD COLUMN topics TEXT NOT NULL DEFAULT '["health","justice","housing","employment","general"]';
      ALTER TABLE staff_organisation ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'Europe/London';
      ALTER TABLE staff_organisation ADD COLUMN opening_hours TEXT NOT NULL DEFAULT '{"1":[["09:00","17:00"]],"2":[["09:00","17:00"]],"3":[["09:00","17:00"]],"4":[["09:00","17:00"]],"5":[["09:00","17:00"]]}';

      ALTER TABLE escalation ADD COLUMN organisation_id TEXT;
      ALTER TABLE escalation ADD COLUMN reference_hash TEXT;
      ALTER TABLE escalation ADD COLUMN reference_sealed TEXT NOT NULL DEFAULT '';
      ALTER TABLE escalation ADD COLUMN assignee_id TEXT;
      ALTER TABLE escalation ADD COLUMN outcome TEXT CHECK (outcome IN ('referred', 'resolved', 'noResponse', 'outOfScope', 'closedByMigrant'));
      ALTER TABLE escalation ADD COLUMN due_at INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE escalation ADD COLUMN first_response_at INTEGER;
      ALTER TABLE escalation ADD COLUMN last_inbound_at INTEGER NOT NULL DEFAULT 0;
      UPDATE escalation SET reference_hash = 'none:' || id, due_at = created_at + 86400000, last_inbound_at = updated_at;
      CREATE UNIQUE INDEX escalation_reference ON escalation (reference_hash);
      CREATE INDEX escalation_organisation_queue ON escalation (organisation_id, status, urgency, created_at);

      CREATE TABLE escalation_message_v7 (
        id TEXT PRIMARY KEY,
        escalation_id TEXT NOT NULL REFERENCES escalation (id) ON DELETE CASCADE,
        author TEXT NOT NULL CHECK (author IN ('migrant', 'staff', 'note')),
        body_sealed TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        staff_id TEXT,
        ready_made_key TEXT,
        service_id TEXT,
        delivery TEXT CHECK (delivery IN ('pending', 'sent', 'held', 'failed', 'unreachable')),
        attempts INTEGER,
        next_attempt_at INTEGER,
        last_error TEXT,
        template_sent_at INTEGER
      );
      INSERT INTO escalation_message_v7 (id, escalation_id, author, body_sealed, created_at)
        SELECT id, escalation_id, author, body_sealed, created_at FROM escalation_message;
      DROP TABLE escalation_message;
      ALTER TABLE escalation_message_v7 RENAME TO escalation_message;
      CREATE INDEX escalation_message_escalation ON escalation_message (escalation_id, created_at);
      CREATE INDEX escalation_message_due ON escalation_message (next_attempt_at) WHERE delivery IN ('pending', 'failed');
    `,
  },
  {
    version: 8,
    name: 'organisation ready-made replies',
    // An organisation's own ready-made replies: a label for staff and one text per chat language filled in (a
    // row per language, so "which replies exist in Tigrinya" is a lookup). Not migrant data, so not sealed.
    // Both cascade: removing an organisation removes its replies, removing a reply removes its texts. Messages
    // already sent keep their own sealed copy of the text (escalation_message), so nothing here reaches them.
    sql: `
      CREATE TABLE organisation_reply (
        id TEXT PRIMARY KEY,
        organisation_id TEXT NOT NULL REFERENCES staff_organisation (id) ON DELETE CASCADE,
        label TEXT NOT NULL CHECK (length(label) BETWEEN 1 AND 120),
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX organisation_reply_organisation ON organisation_reply (organisation_id, label);

      CREATE TABLE organisation_reply_text (
        reply_id TEXT NOT NULL REFERENCES organisation_reply (id) ON DELETE CASCADE,
        locale TEXT NOT NULL,
        text TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 1000),
        PRIMARY KEY (reply_id, locale)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 9,
    name: 'confidential locations',
    // Issue 15: a confidential location (a shelter) keeps its address for staff, but no migrant, API response
    // or public export ever shows it: area and phone only. Existing locations are not confidential.
    sql: `
      ALTER TABLE location ADD COLUMN x_confidential INTEGER NOT NULL DEFAULT 0 CHECK (x_confidential IN (0, 1));
    `,
  },
  {
    version: 10,
    name: 'directory: sources, review intervals, ages, facets, closures, versions',
    // Issue 15. A source's own identifier lets a council re-import its weekly spreadsheet as updates, not
    // duplicates. The review interval makes "overdue for checking" a per-listing fact. x_version counts writes
    // so two editors saving one listing cannot silently overwrite each other. Closures reuse HSDS schedule rows
    // (x_closed = 1, valid_from/valid_to, description), which migration 1 already allowed.
    sql: `
      ALTER TABLE service ADD COLUMN x_source_name TEXT;
      ALTER TABLE service ADD COLUMN x_source_id TEXT;
      ALTER TABLE service ADD COLUMN x_review_interval_days INTEGER NOT NULL DEFAULT 180 CHECK (x_review_interval_days BETWEEN 1 AND 730);
      ALTER TABLE service ADD COLUMN minimum_age INTEGER CHECK (minimum_age BETWEEN 0 AND 130);
      ALTER TABLE service ADD COLUMN maximum_age INTEGER CHECK (maximum_age BETWEEN 0 AND 130);
      ALTER TABLE service ADD COLUMN x_facets TEXT NOT NULL DEFAULT '[]';
      ALTER TABLE service ADD COLUMN x_version INTEGER NOT NULL DEFAULT 1;
      CREATE UNIQUE INDEX service_source ON service (x_source_name, x_source_id) WHERE x_source_name IS NOT NULL;
      CREATE INDEX schedule_closures ON schedule (service_at_location_id) WHERE x_closed = 1;
    `,
  },
  {
    version: 11,
    name: 'directory organizations kept by staff organisations',
    // Issue 15's editor: a directory_editor edits the listings of its own organisation. A staff organisation (the
    // people) and an HSDS organization (the provider named in listings) are different things: a council keeps the
    // listings of many providers. This says which staff organisation keeps which HSDS organization's listings.
    // No foreign key to organization: replacing the directory rewrites those rows, and who keeps them must stay.
    sql: `
      CREATE TABLE directory_organization_owner (
        organization_id TEXT PRIMARY KEY,
        staff_organisation_id TEXT NOT NULL REFERENCES staff_organisation (id) ON DELETE CASCADE
      ) WITHOUT ROWID;
      CREATE INDEX directory_organization_owner_staff ON directory_organization_owner (staff_organisation_id);
    `,
  },
  {
    version: 12,
    name: 'directory: phones by service at location',
    // Issue 15 (search at scale). A listing's phones are its service's and its service_at_location's; without
    // this index the second half of that lookup read the whole phone table, once per listing shown
    // (20 ms a results page at 100k listings).
    sql: `
      CREATE INDEX phone_service_at_location ON phone (service_at_location_id) WHERE service_at_location_id IS NOT NULL;
    `,
  },
];
