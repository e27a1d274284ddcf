"""SQL of file lists, case files and hand-overs (migrations 0540–0549): rows in, records out. One module per
part; re-exported here so callers write `repo.case_file(…)` whatever module holds it."""

from __future__ import annotations

from hub.documents.casefiles.repository.files import (
    add_item,
    case_file,
    case_files,
    close_case_file,
    files_of_document,
    history,
    insert_case_file,
    item_document_ids,
    items,
    remove_item,
    reopen_case_file,
    set_keep,
    set_positions,
)
from hub.documents.casefiles.repository.handovers import (
    accept_handover,
    handover,
    handovers,
    insert_handover,
    submit_files,
)
from hub.documents.casefiles.repository.lists import (
    add_entry,
    add_heading,
    approve_list,
    entries,
    entry,
    file_list,
    headings,
    insert_list,
    list_by_id,
    next_entry_number,
    remove_entry,
    retentions,
    rules,
    unit,
    unit_code,
    user_id,
)
from hub.documents.casefiles.repository.records import (
    delete_proposal,
    display_names,
    expired_files,
    heading,
    insert_proposal,
    proposals,
)

__all__ = [
    "delete_proposal", "expired_files", "insert_proposal", "proposals",
    "accept_handover", "add_entry", "add_heading", "add_item", "approve_list", "case_file", "case_files",
    "close_case_file", "display_names", "entries", "entry", "file_list", "files_of_document", "handover",
    "handovers", "heading", "headings", "history", "insert_case_file", "insert_handover", "insert_list",
    "item_document_ids", "items", "list_by_id", "next_entry_number", "remove_entry", "remove_item",
    "reopen_case_file", "retentions", "rules", "set_keep", "set_positions", "submit_files", "unit", "unit_code",
    "user_id",
]  # fmt: skip
