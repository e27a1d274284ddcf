"""Who may do what with file lists, case files and hand-overs (the rule book, hub.access).

| action | who (besides system admin) |
|---|---|
| read a unit's file list (danh mục hồ sơ), case files, hand-overs | anyone of the unit, văn thư, lãnh đạo over it |
| draft a unit's file list (headings, entries), import it from XLSX | văn thư or lãnh đạo over the unit |
| approve the file list (start of the year; then read-only) | lãnh đạo over the unit |
| open a case file, add and order its documents and files, close it | anyone of the unit opens; the owner,
  văn thư or lãnh đạo over it keep |
| reopen a closed file before its hand-over (mở lại hồ sơ), with a reason | its keeper (người lập hồ sơ), or
  lãnh đạo over the unit (any keeper's file) |
| submit closed files to the archive (nộp lưu) | văn thư or lãnh đạo over the unit |
| accept a hand-over (the archive): freezes the files and their documents | văn thư or lãnh đạo over the unit,
  not the one who submitted it |
| review the files past their retention (of the unit and those under it), export the list | văn thư or lãnh đạo
  over the unit |
| propose such a file for destruction with a reason, or withdraw the proposal | văn thư or lãnh đạo over its unit |

A case file never shows a document to someone who may not open it (hub.documents.secrecy): such an item
keeps its place in the file but nothing of it is shown.
"""

from __future__ import annotations

from hub.access import Action, Scope
from hub.accounts.principal import Role

KEEPERS = (Role.CLERK, Role.MANAGER)  # the unit's văn thư and lãnh đạo
APPROVERS = (Role.MANAGER,)

READ_FILES = Action(
    "documents.read_files", "xem danh mục hồ sơ và hồ sơ", "read file lists and case files", roles=None,
    scope=Scope.ADMINISTRATION,
    note="anyone of the unit, văn thư or lãnh đạo over it (the service checks); a secret document inside: only"
    " for those who may open it",
)  # fmt: skip
EDIT_LIST = Action(
    "documents.edit_file_list", "lập danh mục hồ sơ", "draft a file list", roles=KEEPERS, scope=Scope.UNIT,
    note="văn thư or lãnh đạo over the unit, until the list is approved",
)  # fmt: skip
APPROVE_LIST = Action(
    "documents.approve_file_list", "duyệt danh mục hồ sơ", "approve a file list", roles=APPROVERS,
    scope=Scope.UNIT, note="lãnh đạo over the unit; the list is read-only afterwards",
)  # fmt: skip
KEEP = Action(
    "documents.keep_files", "lập hồ sơ", "keep case files", roles=None, scope=Scope.ADMINISTRATION,
    note="anyone of the unit opens a file; its owner, văn thư or lãnh đạo over the unit add, order and close"
    " (the service checks)",
)  # fmt: skip
SUBMIT = Action(
    "documents.submit_files", "nộp lưu hồ sơ vào lưu trữ cơ quan", "hand case files over to the archive",
    roles=KEEPERS, scope=Scope.UNIT, note="văn thư or lãnh đạo over the unit: closed files only",
)  # fmt: skip
ACCEPT = Action(
    "documents.accept_files", "lưu trữ cơ quan nhận hồ sơ", "accept case files into the archive", roles=KEEPERS,
    scope=Scope.UNIT, note="văn thư or lãnh đạo over the unit, not the one who submitted them; freezes the files",
)  # fmt: skip

# Reopening (issue 15 item 7): Decree 30 Ch. IV leaves a file in its keeper's charge until it is handed over (the
# keeper opens, fills and closes it), and the head of the unit directs that work; so the keeper reopens their own
# file, and a lãnh đạo over the unit any file of it. The văn thư hands files over, so reopens only what they keep.
REOPEN = Action(
    "documents.reopen_file", "mở lại hồ sơ đã kết thúc", "reopen a closed case file", roles=None,
    scope=Scope.ADMINISTRATION,
    note="its keeper (người lập hồ sơ), or lãnh đạo over the unit (documents.reopen_any_file), with a reason, before"
    " the hand-over (the service checks); a file handed over or in the archive: never (409)",
)  # fmt: skip
REOPEN_ANY = Action(
    "documents.reopen_any_file", "mở lại hồ sơ của đơn vị", "reopen any closed case file of the unit",
    roles=APPROVERS, scope=Scope.UNIT, note="lãnh đạo over the unit, whoever keeps the file",
)  # fmt: skip

# The review of files past their retention (issue 15 item 7; DOMAIN.md §3): the archive's work, done by those who
# accept files into it (văn thư or lãnh đạo over the unit); a proposal is the archive's, the destruction itself
# needs the council and the head's decision outside CCES.
REVIEW_RETENTION = Action(
    "documents.review_retention", "xem hồ sơ hết thời hạn bảo quản", "review case files past their retention",
    roles=KEEPERS, scope=Scope.UNIT,
    note="văn thư or lãnh đạo over the unit: the closed files of the unit and of those under it whose retention ran"
    " out (never a permanent one), as a list and XLSX",
)  # fmt: skip
PROPOSE_DESTRUCTION = Action(
    "documents.propose_destruction", "đề nghị hủy hồ sơ hết thời hạn bảo quản",
    "propose a case file past its retention for destruction", roles=KEEPERS, scope=Scope.UNIT,
    note="văn thư or lãnh đạo over the file's unit, with a reason (500 characters at most), or withdraw it; audited",
)  # fmt: skip

ACTIONS = (
    READ_FILES, EDIT_LIST, APPROVE_LIST, KEEP, REOPEN, REOPEN_ANY, SUBMIT, ACCEPT, REVIEW_RETENTION,
    PROPOSE_DESTRUCTION,
)  # fmt: skip
