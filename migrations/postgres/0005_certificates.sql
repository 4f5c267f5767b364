-- Certificates (zaświadczenia): each cohort's rule and what its certificates say about the
-- organiser, the certificates themselves, and the counters that number them without gaps.

-- One row per cohort that changed the defaults (no row: at least 80 % attendance, prefix from the slug).
CREATE TABLE certificate_rules (
    cohort_id        UUID PRIMARY KEY REFERENCES cohorts (id),
    prefix           TEXT NOT NULL,
    min_rate         INTEGER NOT NULL DEFAULT 80 CHECK (min_rate BETWEEN 0 AND 100),
    -- `study_visit=1,coaching=2`: at least N attended activities of a kind.
    required_kinds   TEXT NOT NULL DEFAULT '',
    -- One module per line: at least one attended activity of each.
    required_modules TEXT NOT NULL DEFAULT '',
    organiser        TEXT NOT NULL DEFAULT '',
    signatory        TEXT NOT NULL DEFAULT '',
    signatory_role   TEXT NOT NULL DEFAULT '',
    place            TEXT NOT NULL DEFAULT '',
    updated_at       TIMESTAMPTZ NOT NULL
);

-- The last sequence number used per prefix and year; taken inside the issuing transaction, so a
-- rolled-back issue leaves no gap and two issuers never share a number.
CREATE TABLE certificate_counters (
    prefix TEXT NOT NULL,
    year   INTEGER NOT NULL,
    last   INTEGER NOT NULL,
    PRIMARY KEY (prefix, year)
);

CREATE TABLE certificates (
    id             UUID PRIMARY KEY,
    cohort_id      UUID NOT NULL REFERENCES cohorts (id),
    enrolment_id   UUID NOT NULL REFERENCES enrolments (id),
    number         TEXT NOT NULL UNIQUE,
    year           INTEGER NOT NULL,
    sequence       INTEGER NOT NULL,
    -- The public verification code, 16 characters of Crockford's base 32 without hyphens.
    code           TEXT NOT NULL UNIQUE,
    lang           TEXT NOT NULL CHECK (lang IN ('pl', 'en')),
    first_name     TEXT NOT NULL,
    last_name      TEXT NOT NULL,
    -- What the certificate says (JSON), fixed when issued: a certificate never silently changes.
    content        TEXT NOT NULL,
    issued_on      DATE NOT NULL,
    issued_at      TIMESTAMPTZ NOT NULL,
    issued_by      UUID REFERENCES users (id),
    revoked_at     TIMESTAMPTZ,
    revoked_by     UUID REFERENCES users (id),
    revoked_reason TEXT,
    -- The certificate that replaced this one (a reissue after a name correction).
    replaced_by    UUID REFERENCES certificates (id)
);
-- At most one valid certificate per enrolment.
CREATE UNIQUE INDEX certificates_valid ON certificates (enrolment_id) WHERE revoked_at IS NULL;
CREATE INDEX certificates_cohort ON certificates (cohort_id, year, sequence);
