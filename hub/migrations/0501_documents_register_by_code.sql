-- depends: 0500_documents_registers
-- A register belongs to its series' code, not to one series row: when an admin gives a unit its own
-- series in place of the default (same code) in the middle of a year, numbering carries on in the same
-- register instead of starting at 01 again (a number must never repeat within the year).
ALTER TABLE document_registers ADD COLUMN series_code text;
UPDATE document_registers r SET series_code = s.code FROM document_series s WHERE s.id = r.series_id;
ALTER TABLE document_registers ALTER COLUMN series_code SET NOT NULL;
ALTER TABLE document_registers DROP COLUMN series_id;
ALTER TABLE document_registers ADD CONSTRAINT document_registers_unit_year_code UNIQUE (unit_id, year, series_code);
