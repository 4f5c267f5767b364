-- Outcomes funders ask about: public tasks the cohort's gminas commissioned to NGOs, with the
-- evidence; and a per-programme threshold below which funder-facing counts are hidden.

CREATE TABLE commissioned_tasks (
    id              UUID PRIMARY KEY,
    cohort_id       UUID NOT NULL REFERENCES cohorts (id),
    gmina_teryt     TEXT NOT NULL REFERENCES gminy (teryt),
    -- The gmina team the outcome is attributed to (usually the same gmina).
    team_teryt      TEXT NOT NULL,
    title           TEXT NOT NULL,
    sphere          TEXT NOT NULL REFERENCES spheres (pkt),
    mode            TEXT NOT NULL REFERENCES commissioning_modes (id),
    contractor_id   UUID REFERENCES organisations (id),
    contractor      TEXT NOT NULL DEFAULT '',
    amount_grosze   BIGINT,
    commissioned_on DATE NOT NULL,
    status          TEXT NOT NULL DEFAULT 'commissioned'
                    CHECK (status IN ('planned', 'announced', 'commissioned', 'completed')),
    is_new          BOOLEAN NOT NULL,
    -- Comma-separated: seniors, children_youth, foreigners, disabled, integration, other.
    target_groups   TEXT NOT NULL DEFAULT '',
    evidence_url    TEXT NOT NULL DEFAULT '',
    created_by      UUID REFERENCES users (id),
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX commissioned_tasks_cohort ON commissioned_tasks (cohort_id, commissioned_on);

-- Uploaded evidence of a task (a contract, a BIP announcement); earlier files are kept.
CREATE TABLE task_evidence (
    id           UUID PRIMARY KEY,
    task_id      UUID NOT NULL REFERENCES commissioned_tasks (id),
    file_name    TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes   BIGINT NOT NULL,
    sha256       TEXT NOT NULL,
    content      BLOB NOT NULL,
    uploaded_by  UUID REFERENCES users (id),
    uploaded_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX task_evidence_task ON task_evidence (task_id, uploaded_at);

-- Counts about at-risk participants smaller than this are shown as "<N" to funders.
ALTER TABLE programmes ADD COLUMN small_cell_threshold INTEGER NOT NULL DEFAULT 3;

-- Competence surveys: a cohort's items (1–5 self-assessment), answered before and after the course.
CREATE TABLE survey_items (
    id         UUID PRIMARY KEY,
    cohort_id  UUID NOT NULL REFERENCES cohorts (id),
    position   INTEGER NOT NULL,
    text       TEXT NOT NULL,
    -- Comma-separated groups the item is for; empty = everyone.
    groups     TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX survey_items_cohort ON survey_items (cohort_id, position);

-- One answer per enrolment, item and phase (pre or post).
CREATE TABLE survey_answers (
    enrolment_id UUID NOT NULL REFERENCES enrolments (id),
    item_id      UUID NOT NULL REFERENCES survey_items (id),
    phase        TEXT NOT NULL CHECK (phase IN ('pre', 'post')),
    value        INTEGER NOT NULL CHECK (value BETWEEN 1 AND 5),
    -- Who typed it: a coordinator, or NULL when the participant answered through their link.
    entered_by   UUID REFERENCES users (id),
    answered_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (enrolment_id, item_id, phase)
);
-- An item's answers (removing an item is refused while it has any; the results read by item).
CREATE INDEX survey_answers_item ON survey_answers (item_id, phase);

-- Personal single-use links to answer a survey without an account (only a hash is stored).
CREATE TABLE survey_links (
    id           UUID PRIMARY KEY,
    enrolment_id UUID NOT NULL REFERENCES enrolments (id),
    phase        TEXT NOT NULL CHECK (phase IN ('pre', 'post')),
    token_hash   TEXT NOT NULL UNIQUE,
    created_by   UUID REFERENCES users (id),
    created_at   TIMESTAMPTZ NOT NULL,
    -- A link works once: until its answers are saved or a newer link for the same person and
    -- phase replaces it.
    used_at      TIMESTAMPTZ,
    replaced_at  TIMESTAMPTZ
);
CREATE INDEX survey_links_enrolment ON survey_links (enrolment_id, phase);

-- A programme's indicators: computed from the data (source) or entered by hand (source manual).
CREATE TABLE indicators (
    id           UUID PRIMARY KEY,
    programme_id UUID NOT NULL REFERENCES programmes (id),
    position     INTEGER NOT NULL,
    name         TEXT NOT NULL,
    unit         TEXT NOT NULL DEFAULT '',
    baseline     DOUBLE PRECISION,
    target       DOUBLE PRECISION NOT NULL,
    source       TEXT NOT NULL,
    manual_value DOUBLE PRECISION,
    updated_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX indicators_programme ON indicators (programme_id, position);
