-- depends: 0506_documents_draft_reply_due
-- Issue 15 item 2: every incoming registration warns of a duplicate (the same số, ký hiệu and issuing organ,
-- hub.documents.repository.incoming_duplicates). Without an index that check read the whole documents table:
-- 272 ms of a 310 ms registration at 2,000,000 documents (bench.documents_registers); with this one, under 1 ms.
-- Partial: outgoing documents are never checked, and the unit and organ are compared on the few rows it finds.
CREATE INDEX documents_incoming_same_code ON documents (code_number, code_notation) WHERE direction = 'incoming';
