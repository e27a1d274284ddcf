-- depends: 0020_accounts
-- A change can concern two units: an import that moves an employee from one unit to another
-- (issue 12: the audit row of a move was visible to neither unit's office admin). `unit_path` is
-- the unit the thing is in after the change, `other_unit_path` the one it left; an office admin
-- sees the rows of either.

ALTER TABLE audit_log ADD COLUMN other_unit_path text;
CREATE INDEX audit_log_other_unit ON audit_log (other_unit_path text_pattern_ops) WHERE other_unit_path IS NOT NULL;
