-- depends: 0302_leave_notifications
-- The leave permit (Giấy nghỉ phép, GNP; Decree 30 Appendix III Mẫu 1.10; issue 14 / issue 15 item 9):
-- an approved request of a type that issues one is registered as a numbered outgoing document of the
-- unit with a seal that the employee's unit belongs to, once. `permit_due` marks the requests that
-- should have one (set on approval, never for rows approved before this migration); the request row's
-- lock and the UNIQUE document id make it once; `permit_problem` says why it is not issued yet (e.g. the
-- unit has no place for the date line), and the job `leave.issue_permits` tries again.

ALTER TABLE leave_types
    ADD COLUMN issues_permit boolean NOT NULL DEFAULT true;  -- a business trip is work: no leave permit
UPDATE leave_types SET issues_permit = false WHERE absence_kind = 'business_trip';

ALTER TABLE leave_requests
    ADD COLUMN permit_due         boolean NOT NULL DEFAULT false,
    ADD COLUMN permit_document_id bigint UNIQUE,  -- documents.id (its table comes in 0500; entries are never deleted)
    ADD COLUMN permit_problem     text CHECK (char_length(permit_problem) <= 500);

CREATE INDEX leave_requests_permit_waiting ON leave_requests (id) WHERE permit_due AND permit_document_id IS NULL;
