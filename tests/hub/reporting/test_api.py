"""REST for summary reporting (/api/v1/reporting) over the real app and database: a regime defined by the
office admin, a period opened, a report filled, submitted, returned and listed as not submitted; refusals."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from hub.accounts.principal import Role
from tests.hub.api.conftest import Api, make_api
from tests.hub.reporting.conftest import TEMPLATE


@pytest.fixture
def api(database_url: str, org: psycopg.Connection, tmp_path: Path) -> Iterator[Api]:
    yield from make_api(database_url, tmp_path)


def test_define_open_fill_submit_return(api: Api) -> None:
    office = api.client_as("quan-tri-cuc", (Role.OFFICE_ADMIN, "CHQHN"))
    clerk = api.client_as("van-thu-doi", (Role.CLERK, "DOI1"))
    doi = api.client_as("doi-truong", (Role.MANAGER, "DOI1"))
    chi_cuc = api.client_as("chi-cuc-truong", (Role.MANAGER, "CCHQNB"))

    period = clerk.get("/api/v1/reporting/period", params={"frequency": "monthly", "key": "2026-03"})
    assert period.json() == {"start": "2026-02-15", "end": "2026-03-14"}
    bad = clerk.get("/api/v1/reporting/period", params={"frequency": "monthly", "key": "2026-13"})
    assert bad.status_code == 422 and "không tồn tại" in bad.text and "no such monthly" in bad.text

    body = {
        "valid_from": "2026-01-01", "name_vi": "Báo cáo hằng tháng", "name_en": "Monthly report",
        "basis": "Nghị định 09/2019/NĐ-CP", "frequency": "monthly", "deadline_days": 2, "owner_unit": "CHQHN",
        "template": TEMPLATE, "reporters": [{"unit_code": "DOI1", "recipient_code": "CCHQNB"},
                                            {"unit_code": "CCHQNB", "recipient_code": "CHQHN"}],
    }  # fmt: skip
    assert clerk.put("/api/v1/reporting/regimes/thang", json=body).status_code == 403
    saved = office.put("/api/v1/reporting/regimes/thang", json=body)
    assert saved.status_code == 201, saved.text
    assert saved.json()["version"] == 1 and len(saved.json()["template"]["indicators"]) == len(TEMPLATE["indicators"])
    assert [r["code"] for r in clerk.get("/api/v1/reporting/regimes").json()] == ["thang"]
    opened = office.post("/api/v1/reporting/regimes/thang/periods/2026-11/open")
    assert opened.json() == {"opened": 2}, opened.text

    mine = clerk.get("/api/v1/reporting/reports").json()
    assert [(r["unit_code"], r["period"], r["status"]) for r in mine] == [("DOI1", "2026-11", "draft")]
    report_id = mine[0]["id"]
    shown = clerk.get(f"/api/v1/reporting/reports/{report_id}").json()
    assert shown["prefilled"]["staff"] == {"value": 1, "source": "staff_count", "note": None, "corrected": False}
    refused = clerk.patch(f"/api/v1/reporting/reports/{report_id}/values", json={"values": {"staff": 9}})
    assert refused.status_code == 422 and "ghi chú" in refused.text and "a note must say why" in refused.text
    filled = clerk.patch(
        f"/api/v1/reporting/reports/{report_id}/values",
        json={"values": {"staff": 2, "summary": "Ổn định"}, "notes": {"staff": "Một người biệt phái"}},
    )
    assert filled.status_code == 200, filled.text and filled.json()["prefilled"]["staff"]["corrected"] is True
    assert clerk.post(f"/api/v1/reporting/reports/{report_id}/submit").status_code == 403
    assert doi.post(f"/api/v1/reporting/reports/{report_id}/submit").json()["status"] == "submitted"
    assert chi_cuc.post(f"/api/v1/reporting/reports/{report_id}/return", json={}).status_code == 422
    back = chi_cuc.post(f"/api/v1/reporting/reports/{report_id}/return", json={"comment": "Bổ sung"})
    assert back.json()["status"] == "returned" and back.json()["comment"] == "Bổ sung"
    missing = chi_cuc.get("/api/v1/reporting/regimes/thang/periods/2026-11/missing").json()
    assert [(m["unit_code"], m["status"]) for m in missing] == [("DOI1", "returned")]
    assert chi_cuc.get("/api/v1/reporting/reports/999999").status_code == 404

    # exports (issue 18 item 4): the consolidation and the report as files; the JSON route still answers
    base = "/api/v1/reporting/regimes/thang/periods/2026-11/consolidated/CCHQNB"
    assert chi_cuc.get(base).json()["unit_code"] == "CCHQNB"
    got = chi_cuc.get(f"{base}.xlsx")
    assert got.status_code == 200, got.text
    assert got.headers["content-type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert got.headers["content-disposition"] == ('attachment; filename="bao-cao-tong-hop_thang_2026-11_cchqnb.xlsx"')
    assert got.content[:2] == b"PK"
    docx = clerk.get(f"/api/v1/reporting/reports/{report_id}.docx")
    assert docx.status_code == 200 and docx.headers["content-type"].endswith("wordprocessingml.document")
    assert clerk.get(f"/api/v1/reporting/reports/{report_id}.pdf").content[:5] == b"%PDF-"
    assert clerk.get(f"/api/v1/reporting/reports/{report_id}.odt").status_code == 422
    assert clerk.get(f"{base}.pdf").status_code == 403  # a clerk of DOI1 does not see CCHQNB's consolidation


def test_attachments_through_the_api(api: Api, tmp_path: Path) -> None:
    import base64

    from hub.files import ContentStore

    office = api.client_as("quan-tri-cuc", (Role.OFFICE_ADMIN, "CHQHN"))
    clerk = api.client_as("van-thu-doi", (Role.CLERK, "DOI1"))
    chi_cuc = api.client_as("chi-cuc-truong", (Role.MANAGER, "CCHQNB"))
    body = {
        "valid_from": "2026-01-01", "name_vi": "Báo cáo hằng tháng", "name_en": "Monthly report",
        "basis": "Nghị định 09/2019/NĐ-CP", "frequency": "monthly", "deadline_days": 2, "owner_unit": "CHQHN",
        "template": TEMPLATE, "reporters": [{"unit_code": "DOI1", "recipient_code": "CCHQNB"}],
    }  # fmt: skip
    assert office.put("/api/v1/reporting/regimes/thang", json=body).status_code == 201
    office.post("/api/v1/reporting/regimes/thang/periods/2026-11/open")
    report_id = clerk.get("/api/v1/reporting/reports").json()[0]["id"]
    url = f"/api/v1/reporting/reports/{report_id}/attachments"
    pdf = b"%PDF-1.4\n% giai trinh\n" + b"2" * 300
    file = {"name": "Giải trình.pdf", "data_base64": base64.b64encode(pdf).decode()}
    assert clerk.post(url, json=file).status_code == 503  # no store in this app: refused, nothing half-kept
    api.services.reporting.store = ContentStore(tmp_path / "files")
    saved = clerk.post(url, json=file)
    assert saved.status_code == 201, saved.text
    assert saved.json()["filename"] == "Giải trình.pdf" and saved.json()["size"] == len(pdf)
    attachment_id = saved.json()["id"]
    shown = chi_cuc.get(f"/api/v1/reporting/reports/{report_id}").json()["attachments"]
    assert [a["id"] for a in shown] == [attachment_id]
    got = chi_cuc.get(f"{url}/{attachment_id}")
    assert got.status_code == 200 and got.content == pdf and got.headers["content-type"] == "application/pdf"
    assert "filename*=UTF-8''Gi%E1%BA%A3i%20tr%C3%ACnh.pdf" in got.headers["content-disposition"]
    bad = clerk.post(url, json={"name": "a.pdf", "data_base64": "không phải base64"})
    assert bad.status_code == 422
    exe = clerk.post(url, json={"name": "a.pdf", "data_base64": base64.b64encode(b"MZ\x90\x00").decode()})
    assert exe.status_code == 422 and "data_base64" in exe.text
    assert office.delete(f"{url}/{attachment_id}").status_code == 403  # an office admin sees it, does not fill it
    assert clerk.delete(f"{url}/{attachment_id}").status_code == 204
    assert clerk.get(f"{url}/{attachment_id}").status_code == 404
