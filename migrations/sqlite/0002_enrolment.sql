-- Programmes, cohorts, gmina teams, organisations, participants and enrolments.
-- Gmina, group and organisation belong to the enrolment (a person may join another cohort from
-- elsewhere); contact data, sex and birth year to the participant.

CREATE TABLE programmes (
    id                 TEXT PRIMARY KEY,
    slug               TEXT NOT NULL UNIQUE,
    name               TEXT NOT NULL,
    funder             TEXT NOT NULL,
    grant_amount_minor BIGINT,
    grant_currency     TEXT NOT NULL DEFAULT 'PLN' CHECK (grant_currency IN ('PLN', 'EUR')),
    starts_on          TEXT NOT NULL,
    ends_on            TEXT NOT NULL,
    partners           TEXT NOT NULL DEFAULT '',
    acknowledgement    TEXT NOT NULL DEFAULT '',
    archived           BOOLEAN NOT NULL DEFAULT FALSE,
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL
);

-- Users attached to a programme: coordinators who run it (later also funders who read it).
CREATE TABLE programme_members (
    programme_id TEXT NOT NULL REFERENCES programmes (id),
    user_id      TEXT NOT NULL REFERENCES users (id),
    added_at     TEXT NOT NULL,
    PRIMARY KEY (programme_id, user_id)
);
CREATE INDEX programme_members_user ON programme_members (user_id);

CREATE TABLE cohorts (
    id           TEXT PRIMARY KEY,
    programme_id TEXT NOT NULL REFERENCES programmes (id),
    slug         TEXT NOT NULL UNIQUE,
    name         TEXT NOT NULL,
    starts_on    TEXT NOT NULL,
    ends_on      TEXT NOT NULL,
    archived     BOOLEAN NOT NULL DEFAULT FALSE,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE INDEX cohorts_programme ON cohorts (programme_id);

-- A gmina taking part in a cohort, even before anyone from it is enrolled.
CREATE TABLE cohort_teams (
    cohort_id   TEXT NOT NULL REFERENCES cohorts (id),
    gmina_teryt TEXT NOT NULL REFERENCES gminy (teryt),
    added_at    TEXT NOT NULL,
    PRIMARY KEY (cohort_id, gmina_teryt)
);

CREATE TABLE organisations (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    name_folded TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('ngo', 'social_enterprise', 'municipal_office', 'public_institution', 'partner', 'other')),
    krs         TEXT UNIQUE,
    gmina_teryt TEXT REFERENCES gminy (teryt),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX organisations_name ON organisations (name_folded);

CREATE TABLE participants (
    id               TEXT PRIMARY KEY,
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
    consent_data_on  TEXT,
    consent_image_on TEXT,
    erased_at        TEXT,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);
CREATE INDEX participants_email ON participants (email);

CREATE TABLE enrolments (
    id                TEXT PRIMARY KEY,
    cohort_id         TEXT NOT NULL REFERENCES cohorts (id),
    participant_id    TEXT NOT NULL REFERENCES participants (id),
    gmina_teryt       TEXT NOT NULL REFERENCES gminy (teryt),
    grp               TEXT NOT NULL CHECK (grp IN ('official', 'ngo', 'at_risk')),
    organisation_id   TEXT REFERENCES organisations (id),
    status            TEXT NOT NULL DEFAULT 'enrolled' CHECK (status IN ('enrolled', 'active', 'withdrawn', 'completed')),
    withdrawn_on      TEXT,
    withdrawal_reason TEXT,
    -- the participant's email, lower case, copied so the database keeps it unique within a cohort
    email_key         TEXT,
    -- folded first and last name: equal keys in one gmina team flag a possible duplicate
    person_key        TEXT NOT NULL,
    -- the coordinator confirmed that a flagged pair are different people
    not_duplicate     BOOLEAN NOT NULL DEFAULT FALSE,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    UNIQUE (cohort_id, participant_id),
    UNIQUE (cohort_id, email_key)
);
CREATE INDEX enrolments_participant ON enrolments (participant_id);
CREATE INDEX enrolments_team ON enrolments (cohort_id, gmina_teryt);
