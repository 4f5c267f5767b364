-- Foundation: settings, users, API tokens, login throttling, audit log, reference data.
-- IDs are UUIDs stored as hyphenated text; times are UTC RFC 3339 text written by sqlx.

CREATE TABLE settings (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('admin', 'coordinator', 'trainer', 'funder')),
    password_hash TEXT NOT NULL,
    active        BOOLEAN NOT NULL DEFAULT TRUE,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    last_login_at TEXT
);

CREATE TABLE api_tokens (
    id           TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users (id),
    label        TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    prefix       TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at   TEXT
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE login_failures (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    email     TEXT NOT NULL,
    failed_at TEXT NOT NULL
);
CREATE INDEX login_failures_email ON login_failures (email, failed_at);

CREATE TABLE login_locks (
    email        TEXT PRIMARY KEY,
    locked_until TEXT NOT NULL
);

CREATE TABLE audit_log (
    id          TEXT PRIMARY KEY,
    at          TEXT NOT NULL,
    actor_id    TEXT REFERENCES users (id),
    actor_label TEXT NOT NULL,
    action      TEXT NOT NULL,
    entity      TEXT NOT NULL,
    entity_id   TEXT,
    before      TEXT,
    after       TEXT
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id);

CREATE TABLE gminy (
    teryt       TEXT PRIMARY KEY CHECK (length(teryt) = 7),
    name        TEXT NOT NULL,
    name_folded TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('urban', 'rural', 'urban-rural')),
    powiat      TEXT NOT NULL,
    powiat_kind TEXT NOT NULL,
    voivodeship TEXT NOT NULL,
    active      BOOLEAN NOT NULL DEFAULT TRUE,
    retired_on  TEXT,
    updated_at  TEXT NOT NULL
);
CREATE INDEX gminy_name_folded ON gminy (name_folded);

CREATE TABLE spheres (
    pkt        TEXT PRIMARY KEY,
    position   INTEGER NOT NULL,
    wording    TEXT NOT NULL,
    label      TEXT NOT NULL
);

CREATE TABLE commissioning_modes (
    id          TEXT PRIMARY KEY,
    position    INTEGER NOT NULL,
    name        TEXT NOT NULL,
    act         TEXT NOT NULL,
    legal_basis TEXT NOT NULL,
    form        TEXT NOT NULL,
    description TEXT NOT NULL
);
