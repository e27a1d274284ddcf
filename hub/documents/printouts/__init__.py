"""Printouts and reports of the documents (issue 15 item 8): the registers in their book layout (PDF, XLSX)
and the documents by status and deadline of a unit."""
