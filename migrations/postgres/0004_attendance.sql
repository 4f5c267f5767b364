-- Attendance marks: one per activity and enrolment, with who marked it and when.

CREATE TABLE attendance (
    activity_id  UUID NOT NULL REFERENCES activities (id),
    enrolment_id UUID NOT NULL REFERENCES enrolments (id),
    status       TEXT NOT NULL CHECK (status IN ('present', 'late', 'excused', 'absent')),
    marked_by    UUID REFERENCES users (id),
    marked_at    TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (activity_id, enrolment_id)
);
CREATE INDEX attendance_enrolment ON attendance (enrolment_id);

-- How many days after an activity ends its trainers may still mark attendance.
ALTER TABLE cohorts ADD COLUMN marking_days INTEGER NOT NULL DEFAULT 14;

-- Scans of the signed paper attendance lists; a replacement is a new row, earlier ones are kept.
CREATE TABLE attendance_evidence (
    id           UUID PRIMARY KEY,
    activity_id  UUID NOT NULL REFERENCES activities (id),
    file_name    TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes   BIGINT NOT NULL,
    sha256       TEXT NOT NULL,
    content      BYTEA NOT NULL,
    uploaded_by  UUID REFERENCES users (id),
    uploaded_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX attendance_evidence_activity ON attendance_evidence (activity_id, uploaded_at);
