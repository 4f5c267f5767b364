-- Activities (trainings, study visits, webinars, coaching), their trainers and audience,
-- individual roster changes, and revocable calendar feed tokens.

CREATE TABLE activities (
    id                   UUID PRIMARY KEY,
    cohort_id            UUID NOT NULL REFERENCES cohorts (id),
    kind                 TEXT NOT NULL CHECK (kind IN ('training', 'study_visit', 'webinar', 'coaching')),
    title                TEXT NOT NULL,
    module               TEXT NOT NULL DEFAULT '',
    description          TEXT NOT NULL DEFAULT '',
    starts_at            TIMESTAMPTZ NOT NULL,
    ends_at              TIMESTAMPTZ NOT NULL,
    -- academic hours (45 minutes) × 100, computed from the span unless set by hand
    hours_centi          INTEGER NOT NULL,
    location             TEXT NOT NULL DEFAULT '',
    online_url           TEXT NOT NULL DEFAULT '',
    host_organisation_id UUID REFERENCES organisations (id),
    capacity             INTEGER,
    -- comma-separated group codes; empty = every group
    audience_groups      TEXT NOT NULL DEFAULT '',
    cancelled_at         TIMESTAMPTZ,
    cancel_reason        TEXT,
    -- iCalendar SEQUENCE: bumped on every change people should see
    sequence             INTEGER NOT NULL DEFAULT 0,
    created_at           TIMESTAMPTZ NOT NULL,
    updated_at           TIMESTAMPTZ NOT NULL
);
CREATE INDEX activities_cohort ON activities (cohort_id, starts_at);

CREATE TABLE activity_trainers (
    activity_id UUID NOT NULL REFERENCES activities (id),
    user_id     UUID NOT NULL REFERENCES users (id),
    PRIMARY KEY (activity_id, user_id)
);
CREATE INDEX activity_trainers_user ON activity_trainers (user_id);

-- Gmina teams the activity is for; none = every team of the cohort.
CREATE TABLE activity_teams (
    activity_id UUID NOT NULL REFERENCES activities (id),
    gmina_teryt TEXT NOT NULL REFERENCES gminy (teryt),
    PRIMARY KEY (activity_id, gmina_teryt)
);

-- A coordinator's exceptions to the roster derived from the audience: added or removed people.
CREATE TABLE activity_roster_changes (
    activity_id  UUID NOT NULL REFERENCES activities (id),
    enrolment_id UUID NOT NULL REFERENCES enrolments (id),
    included     BOOLEAN NOT NULL,
    PRIMARY KEY (activity_id, enrolment_id)
);

-- Private iCalendar URLs of a cohort or of a trainer; only the token's hash is kept.
CREATE TABLE calendar_feeds (
    id         UUID PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    cohort_id  UUID REFERENCES cohorts (id),
    user_id    UUID REFERENCES users (id),
    created_by UUID REFERENCES users (id),
    created_at TIMESTAMPTZ NOT NULL,
    revoked_at TIMESTAMPTZ,
    CHECK ((cohort_id IS NULL) <> (user_id IS NULL))
);
