"""Who may do what with registers and numbers, declared once (the rule book, hub.access);
hub.documents.service checks the unit, the route guard and the pages read the same declarations.

| action | who (besides system admin) |
|---|---|
| see the document types and the series | anyone signed in |
| register an incoming or outgoing document (take a number) | văn thư (clerk) over the unit |
| read a unit's registers | văn thư or lãnh đạo (manager) over the unit |
| see a secret document (register, search, record, files) | cleared AND involved (hub.documents.secrecy) |
| configure a unit's series, its notation and place | office admin over the unit |
| configure the default series of every unit | system admin |
| read one document and its files | văn thư or manager over its unit, or one of its handlers |
| assign an incoming document, decide an extension | lãnh đạo (manager) over the registering unit |
| report progress, ask for an extension, finish | its handlers: the person, or anyone of the unit named |
| see one's own documents to handle | anyone signed in |
| draft an outgoing document, comment, read the drafts one takes part in | anyone of the drafting unit / participants |
| review a draft (head of unit), approve it for signature (signing leader) | the manager named on the draft |
| release an approved draft: take its number, sign its PDF | văn thư over the issuing unit |
| revoke, replace or update a released document (freezes it) | văn thư or manager over the issuing unit |
"""

from __future__ import annotations

from hub.access import Action, Scope
from hub.accounts.principal import Role

REGISTRARS = (Role.CLERK,)  # take numbers: register incoming and outgoing documents
READERS = (Role.CLERK, Role.MANAGER)  # read a unit's registers
CONFIGURERS = (Role.OFFICE_ADMIN,)  # a unit's series, notation and place
ASSIGNERS = (Role.MANAGER,)  # the leader's instruction on an incoming document, extensions

REFERENCE = Action(
    "documents.reference", "xem loại văn bản và sổ", "see document types and series", roles=None,
    scope=Scope.ADMINISTRATION, note="anyone signed in",
)  # fmt: skip
REGISTER = Action(
    "documents.register", "vào sổ, cấp số văn bản", "register documents and take their numbers", roles=REGISTRARS,
    scope=Scope.UNIT, note="văn thư over the registering or issuing unit",
)  # fmt: skip
READ = Action(
    "documents.read_register", "xem sổ văn bản", "read document registers", roles=READERS, scope=Scope.UNIT,
    note="văn thư or manager over the unit; a secret entry: documents.see_secret",
)  # fmt: skip
SEE_SECRET = Action(
    "documents.see_secret", "xem văn bản mật", "see a secret document", roles=None, scope=Scope.ADMINISTRATION,
    note="cleared for its level (mật, tối mật, tuyệt mật) AND involved: registered it, gave or handles its"
    " instruction, lãnh đạo over its unit, or granted it by one (hub.documents.secrecy); no role alone",
)  # fmt: skip
CONFIGURE = Action(
    "documents.configure", "cấu hình sổ, ký hiệu và địa danh", "configure series, notation and place",
    roles=CONFIGURERS, scope=Scope.UNIT, note="office admin over the unit; the default series: system admin",
)  # fmt: skip

READ_DOCUMENT = Action(
    "documents.read", "xem văn bản và tệp", "read a document and its files", roles=None, scope=Scope.ADMINISTRATION,
    note="văn thư or manager over its unit, or one of its handlers; a secret one: see documents.see_secret",
)  # fmt: skip
ASSIGN = Action(
    "documents.assign", "giao xử lý văn bản đến, duyệt gia hạn", "assign an incoming document, decide extensions",
    roles=ASSIGNERS, scope=Scope.UNIT, note="lãnh đạo over the unit that registered the document",
)  # fmt: skip
HANDLE = Action(
    "documents.handle", "xử lý văn bản được giao", "handle an assigned document", roles=None,
    scope=Scope.ADMINISTRATION,
    note="the person named as handler, or anyone of the unit named (the service checks); progress, extension, finish",
)  # fmt: skip
MINE = Action(
    "documents.mine", "văn bản tôi xử lý", "my documents to handle", roles=None, scope=Scope.ADMINISTRATION,
    note="anyone signed in: the documents assigned to them or their unit",
)  # fmt: skip

# --- outgoing documents before release (issue 15 item 3, hub.documents.outgoing) ---------------------------
REVIEWERS = (Role.MANAGER,)  # head of the drafting unit; the signing leader over the issuing unit
REVOKERS = (Role.CLERK, Role.MANAGER)  # record a revocation, replacement or update of a released document

DRAFT = Action(
    "documents.draft", "soạn thảo, góp ý văn bản đi", "draft and comment on outgoing documents", roles=None,
    scope=Scope.ADMINISTRATION,
    note="anyone of the drafting unit drafts; its participants (drafter, reviewer, signer, văn thư) read and comment"
         " (the service checks)",
)  # fmt: skip
REVIEW_DRAFT = Action(
    "documents.review_draft", "lãnh đạo đơn vị duyệt dự thảo", "review a draft as head of unit", roles=REVIEWERS,
    scope=Scope.UNIT, note="the reviewer named on the draft, a manager over the drafting unit: forward or return",
)  # fmt: skip
SIGN_DRAFT = Action(
    "documents.sign_draft", "lãnh đạo ký duyệt văn bản đi", "approve a draft for signature", roles=REVIEWERS,
    scope=Scope.UNIT, note="the signing leader named on the draft, a manager over the issuing unit: approve or return",
)  # fmt: skip
RELEASE = Action(
    "documents.release", "phát hành văn bản đi (cấp số, ký số)", "release an outgoing document (number, signature)",
    roles=REGISTRARS, scope=Scope.UNIT, note="văn thư over the issuing unit: takes the number, signs the PDF",
)  # fmt: skip
REVOKE = Action(
    "documents.revoke", "thu hồi, thay thế, sửa đổi văn bản đi", "revoke, replace or update an outgoing document",
    roles=REVOKERS, scope=Scope.UNIT, note="văn thư or manager over the issuing unit; the original is frozen",
)  # fmt: skip

ACTIONS = (
    REFERENCE, REGISTER, READ, SEE_SECRET, CONFIGURE, READ_DOCUMENT, ASSIGN, HANDLE, MINE, DRAFT, REVIEW_DRAFT,
    SIGN_DRAFT, RELEASE, REVOKE,
)  # fmt: skip
