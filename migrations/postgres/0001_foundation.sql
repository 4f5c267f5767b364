-- Foundation: settings, users, API tokens, login throttling, audit log, reference data.
-- Same meaning as migrations/sqlite/0001_foundation.sql, in PostgreSQL's types.

CREATE TABLE settings (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE users (
    id            UUID PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('admin', 'coordinator', 'trainer', 'funder')),
    password_hash TEXT NOT NULL,
    active        BOOLEAN NOT NULL DEFAULT TRUE,
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL,
    last_login_at TIMESTAMPTZ
);

CREATE TABLE api_tokens (
    id           UUID PRIMARY KEY,
    user_id      UUID NOT NULL REFERENCES users (id),
    label        TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    prefix       TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    last_used_at TIMESTAMPTZ,
    revoked_at   TIMESTAMPTZ
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE login_failures (
    id        BIGSERIAL PRIMARY KEY,
    email     TEXT NOT NULL,
    failed_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX login_failures_email ON login_failures (email, failed_at);

CREATE TABLE login_locks (
    email        TEXT PRIMARY KEY,
    locked_until TIMESTAMPTZ NOT NULL
);

CREATE TABLE audit_log (
    id          UUID PRIMARY KEY,
    at          TIMESTAMPTZ NOT NULL,
    actor_id    UUID REFERENCES users (id),
    actor_label TEXT NOT NULL,
    action      TEXT NOT NULL,
    entity      TEXT NOT NULL,
    entity_id   TEXT,
    before      JSONB,
    after       JSONB
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
    retired_on  DATE,
    updated_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX gminy_name_folded ON gminy (name_folded text_pattern_ops);

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
