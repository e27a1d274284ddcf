-- depends: 0505_documents_outgoing
-- Issue 15 items 3 and 8: an outgoing draft may ask its recipients to reply by a date (hạn trả lời; edXML
-- DueDate, Decree 30 Appendix VI Part I). The drafter sets it on the draft (optional; the service keeps it
-- between today in the unit's time and five years ahead); at release it becomes the document's `due_date`
-- (0503), which the copies delivered to CCES units carry as the sender's reply date, and which the report on
-- outgoing documents (hub.documents.printouts) groups by where it lies from today.
ALTER TABLE document_drafts
    ADD COLUMN reply_due date CHECK (reply_due BETWEEN DATE '2000-01-01' AND DATE '2100-12-31');
