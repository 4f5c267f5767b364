-- Same meaning as migrations/sqlite/0002_enrolment.sql, in PostgreSQL's types.

CREATE TABLE programmes (
    id                 UUID PRIMARY KEY,
    slug               TEXT NOT NULL UNIQUE,
    name               TEXT NOT NULL,
    funder             TEXT NOT NULL,
    grant_amount_minor BIGINT,
    grant_currency     TEXT NOT NULL DEFAULT 'PLN' CHECK (grant_currency IN ('PLN', 'EUR')),
    starts_on          DATE NOT NULL,
    ends_on            DATE NOT NULL,
    partners           TEXT NOT NULL DEFAULT '',
    acknowledgement    TEXT NOT NULL DEFAULT '',
    archived           BOOLEAN NOT NULL DEFAULT FALSE,
    created_at         TIMESTAMPTZ NOT NULL,
    updated_at         TIMESTAMPTZ NOT NULL
);

-- Users attached to a programme: coordinators who run it (later also funders who read it).
CREATE TABLE programme_members (
    programme_id UUID NOT NULL REFERENCES programmes (id),
    user_id      UUID NOT NULL REFERENCES users (id),
    added_at     TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (programme_id, user_id)
);
CREATE INDEX programme_members_user ON programme_members (user_id);

CREATE TABLE cohorts (
    id           UUID PRIMARY KEY,
    programme_id UUID NOT NULL REFERENCES programmes (id),
    slug         TEXT NOT NULL UNIQUE,
    name         TEXT NOT NULL,
    starts_on    DATE NOT NULL,
    ends_on      DATE NOT NULL,
    archived     BOOLEAN NOT NULL DEFAULT FALSE,
    created_at   TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX cohorts_programme ON cohorts (programme_id);

-- A gmina taking part in a cohort, even before anyone from it is enrolled.
CREATE TABLE cohort_teams (
    cohort_id   UUID NOT NULL REFERENCES cohorts (id),
    gmina_teryt TEXT NOT NULL REFERENCES gminy (teryt),
    added_at    TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (cohort_id, gmina_teryt)
);

CREATE TABLE organisations (
    id          UUID PRIMARY KEY,
    name        TEXT NOT NULL,
    name_folded TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('ngo', 'social_enterprise', 'municipal_office', 'public_institution', 'partner', 'other')),
    krs         TEXT UNIQUE,
    gmina_teryt TEXT REFERENCES gminy (teryt),
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX organisations_name ON organisations (name_folded);

CREATE TABLE participants (
    id               UUID PRIMARY KEY,
    first_name       TEXT NOT NULL,
    last_name        TEXT NOT NULL,
    email            TEXT,
    phone            TEXT,
    sex              TEXT CHECK (sex IN ('F', 'M')),
    birth_year       INTEGER,
    -- kept after erasure instead of the birth year, so age bands in reports stay right
    birth_decade     INTEGER,
    -- special-category data (GDPR art. 9): coordinator-only, never exported for others
    vulnerability    TEXT,
    consent_data_on  DATE,
    consent_image_on DATE,
    erased_at        TIMESTAMPTZ,
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL
);
CREATE INDEX participants_email ON participants (email);

CREATE TABLE enrolments (
    id                UUID PRIMARY KEY,
    cohort_id         UUID NOT NULL REFERENCES cohorts (id),
    participant_id    UUID NOT NULL REFERENCES participants (id),
    gmina_teryt       TEXT NOT NULL REFERENCES gminy (teryt),
    grp               TEXT NOT NULL CHECK (grp IN ('official', 'ngo', 'at_risk')),
    organisation_id   UUID REFERENCES organisations (id),
    status            TEXT NOT NULL DEFAULT 'enrolled' CHECK (status IN ('enrolled', 'active', 'withdrawn', 'completed')),
    withdrawn_on      DATE,
    withdrawal_reason TEXT,
    -- the participant's email, lower case, copied so the database keeps it unique within a cohort
    email_key         TEXT,
    -- folded first and last name: equal keys in one gmina team flag a possible duplicate
    person_key        TEXT NOT NULL,
    -- the coordinator confirmed that a flagged pair are different people
    not_duplicate     BOOLEAN NOT NULL DEFAULT FALSE,
    created_at        TIMESTAMPTZ NOT NULL,
    updated_at        TIMESTAMPTZ NOT NULL,
    UNIQUE (cohort_id, participant_id),
    UNIQUE (cohort_id, email_key)
);
CREATE INDEX enrolments_participant ON enrolments (participant_id);
CREATE INDEX enrolments_team ON enrolments (cohort_id, gmina_teryt);
