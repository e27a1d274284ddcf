"""A case file holding one incoming document, made over the REST API by its unit's văn thư: the start of the
tests of what a file becomes afterwards (its hand-over record, its package, its review past retention)."""

from __future__ import annotations

from typing import Any, NamedTuple

from hub.accounts.principal import Role
from tests.hub.api.conftest import Api


class FileOverTheApi(NamedTuple):
    office: Any  # the office admin of CCHQNB (a signed-in client)
    clerk: Any  # its văn thư
    other: Any  # another unit's văn thư (CHQHCM)
    document: dict[str, Any]
    file_id: int


def one_document_file(
    api: Api, *, number: str, issued: str, subject: str, code: str, title: str, retention: str
) -> FileOverTheApi:
    """CCHQNB's issuer set, one incoming document of the Bộ Tài chính registered, and a case file opened with it."""
    office = api.client_as("quan-tri", (Role.OFFICE_ADMIN, "CCHQNB"))
    clerk = api.client_as("van-thu", (Role.CLERK, "CCHQNB"))
    other = api.client_as("van-thu-hcm", (Role.CLERK, "CHQHCM"))
    assert office.put("/api/v1/documents/issuers/CCHQNB", json={"notation": "HQKV2", "place": "Hà Nội"}).is_success
    doc = clerk.post(
        "/api/v1/documents/incoming",
        json={"unit_code": "CCHQNB", "type": "cong_van", "code_number": number, "code_notation": "BTC-TCHQ",
              "organ_name": "Bộ Tài chính", "issued_date": issued, "subject": subject},
    ).json()  # fmt: skip
    fields = {"unit_code": "CCHQNB", "code": code, "title": title, "retention": retention}
    file_id = clerk.post("/api/v1/documents/case-files", json=fields).json()["id"]
    clerk.post(f"/api/v1/documents/case-files/{file_id}/documents", json={"document_id": doc["id"]})
    return FileOverTheApi(office, clerk, other, doc, file_id)
