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
    content      BYTEA NOT NULL,
    uploaded_by  UUID REFERENCES users (id),
    uploaded_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX task_evidence_task ON task_evidence (task_id, uploaded_at);

-- Counts about at-risk participants smaller than this are shown as "<N" to funders.
ALTER TABLE programmes ADD COLUMN small_cell_threshold INTEGER NOT NULL DEFAULT 3;
