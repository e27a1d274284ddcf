"""The leadership screen's service over seeded records of every module (tests.hub.leadership.seed): each tile's
figure equals what the modules hold, unit by unit and in total; a Chi cục manager sees their subtree only, on the
overview and through the drill-down, and is refused any other unit; the records behind a figure are the modules'."""

from __future__ import annotations

from datetime import date

import pytest

from hub.accounts.models import AccessDenied
from hub.accounts.principal import Principal
from hub.leadership.models import FIGURES, UnknownLeadershipUnit, UnknownTile
from hub.services import HubServices
from tests.hub.leadership.seed import ADMIN, EXPECTED

ALL_OF_TILE = {"docs_open", "reports_open", "tasks_open", "staff", "meetings_today"}


def own(code: str) -> dict[str, int]:
    return {k: EXPECTED.get(code, {}).get(k, 0) for k in FIGURES}


def summed(*codes: str) -> dict[str, int]:
    return {k: sum(own(c)[k] for c in codes) for k in FIGURES}


def lines(overview) -> dict[tuple[str, bool], dict[str, int]]:  # noqa: ANN001
    return {(r.unit.code, r.direct): r.figures for r in overview.rows}


def test_the_system_admin_sees_every_unit_split_from_the_root_down(services: HubServices) -> None:
    top = services.leadership.overview(ADMIN)
    assert top.focus is not None and top.focus.code == "TCHQ" and top.parent is None  # the one root, split
    assert top.day == date(2026, 3, 16)
    assert lines(top) == {
        ("TCHQ", True): own("TCHQ"),
        ("CHQHN", False): summed("CHQHN", "CCHQNB", "DOI1"),
        ("CHQHCM", False): summed("CHQHCM"),
    }
    assert top.totals == summed("DOI1", "CCHQNB", "CHQHCM")
    # drilling down: the Cục, then the Chi cục, then the team
    assert lines(services.leadership.overview(ADMIN, "CHQHN")) == {
        ("CHQHN", True): own("CHQHN"), ("CCHQNB", False): summed("CCHQNB", "DOI1"),
    }  # fmt: skip
    chi_cuc = services.leadership.overview(ADMIN, "CCHQNB")
    assert lines(chi_cuc) == {("CCHQNB", True): own("CCHQNB"), ("DOI1", False): own("DOI1")}
    assert chi_cuc.parent is not None and chi_cuc.parent.code == "CHQHN"


def test_figures_equal_what_the_modules_hold(services: HubServices) -> None:
    totals = services.leadership.overview(ADMIN).totals
    # reports: the reporting service's own list of the reports not yet submitted, and of them the late ones
    reports = [r for r in services.reporting.reports(ADMIN) if r.status.value in ("draft", "returned")]
    assert totals["reports_open"] == len(reports) == 4
    assert totals["reports_late"] == sum(r.deadline < date(2026, 3, 16) for r in reports) == 2
    # documents: the handling parts of every assignment, unfinished, and of them past the deadline in force
    with services.pool.connection() as conn:
        ids = [r[0] for r in conn.execute("SELECT document_id FROM document_assignments").fetchall()]
    parts = [h for i in ids for h in services.documents.handling.assignment(ADMIN, i).handlers]
    unfinished = [h for h in parts if h.finished_at is None]
    assert totals["docs_open"] == len(unfinished) == 4
    assert totals["docs_overdue"] == sum(h.status(date(2026, 3, 16)).value == "overdue" for h in unfinished) == 2
    # presence: the timekeeping engine's day (the dashboard's) has the same people in, on leave and employed
    counts = services.reports.day_presence(ADMIN, "TCHQ", date(2026, 3, 16)).counts
    assert totals["present"] == counts.present + counts.late
    assert totals["away"] == counts.on_leave + counts.business_trip
    assert totals["staff"] == counts.total
    assert (totals["staff"], totals["present"], totals["away"]) == (3, 2, 1)
    assert (totals["meetings_today"], totals["tasks_open"], totals["tasks_overdue"]) == (3, 3, 2)
    assert (totals["asset_portal"], totals["asset_waiting"], totals["asset_not_returned"]) == (1, 2, 1)


def test_a_chi_cuc_manager_sees_only_their_subtree_and_is_refused_elsewhere(
    services: HubServices, chi_cuc: Principal
) -> None:
    mine = services.leadership.overview(chi_cuc)
    assert mine.focus is not None and mine.focus.code == "CCHQNB"
    assert mine.parent is None  # the Cục above is outside the scope: no way up
    assert lines(mine) == {("CCHQNB", True): own("CCHQNB"), ("DOI1", False): own("DOI1")}
    assert mine.totals == summed("CCHQNB", "DOI1")
    team = services.leadership.overview(chi_cuc, "DOI1")
    assert lines(team) == {("DOI1", True): own("DOI1")} and team.parent.code == "CCHQNB"
    for unit in ("CHQHN", "CHQHCM", "TCHQ"):
        with pytest.raises(AccessDenied):
            services.leadership.overview(chi_cuc, unit)
        for tile in ("documents", "presence", "assets", "reports", "tasks", "meetings"):
            with pytest.raises(AccessDenied):
                services.leadership.records(chi_cuc, tile, unit)
    with pytest.raises(UnknownLeadershipUnit):
        services.leadership.records(chi_cuc, "documents", "KHONG-CO")
    with pytest.raises(UnknownTile):
        services.leadership.records(chi_cuc, "weather", "CCHQNB")


def test_an_employee_without_a_managers_grant_is_refused(services: HubServices, org) -> None:  # noqa: ANN001
    from tests.hub.documents.conftest import make_user

    clerk = make_user(org, "van-thu-cc", (("clerk", "CCHQNB"),))
    with pytest.raises(AccessDenied):
        services.leadership.overview(clerk)


def test_the_records_behind_each_figure_stay_inside_the_scope(services: HubServices, chi_cuc: Principal) -> None:
    svc = services.leadership
    docs = svc.records(chi_cuc, "documents")
    assert docs.unit.code == "CCHQNB"
    assert sorted((i.title.split(" — ")[1], i.unit_code, i.figure) for i in docs.items) == [
        ("101/BTC-CHQ: Về việc 101", "CCHQNB", "docs_open"),  # NV002's supporting part
        ("101/BTC-CHQ: Về việc 101", "DOI1", "docs_overdue"),
        ("102/BTC-CHQ: Về việc 102", "CCHQNB", "docs_open"),
    ]
    assert {i.status_vi for i in docs.items} == {"Đang xử lý trong hạn", "Đang xử lý quá hạn"}
    assert all(i.link and i.link.startswith("/documents/entry?id=") for i in docs.items)
    # every tile's records count exactly the figures of the overview, for the Chi cục and for its team
    for unit in ("CCHQNB", "DOI1"):
        totals = svc.overview(chi_cuc, unit).totals
        for tile in ("documents", "meetings", "presence", "assets", "reports", "tasks"):
            items = svc.records(chi_cuc, tile, unit).items
            for key, (t, _, _) in FIGURES.items():
                if t.value != tile:
                    continue
                if key in ALL_OF_TILE:  # in progress counts the overdue too; the staff, everyone
                    assert len(items) == totals[key], (unit, key)
                else:
                    assert sum(i.figure == key for i in items) == totals[key], (unit, key)
    people = {i.title: i.status_vi for i in svc.records(chi_cuc, "presence").items}
    assert people == {
        "Nguyễn Văn Đức (NV001)": "Có mặt từ 07:55", "Trần Thị Lan (NV002)": "Nghỉ phép năm đến 17/03/2026",
    }  # fmt: skip
    assets = svc.records(chi_cuc, "assets")
    assert sorted((i.title.split(" — ")[0], i.figure) for i in assets.items) == [
        ("TS-1", "asset_portal"), ("TS-2", "asset_waiting"), ("TS-4", "asset_not_returned"),
    ]  # fmt: skip


def test_a_secret_documents_subject_is_not_shown(services: HubServices, chi_cuc: Principal) -> None:
    from datetime import UTC, datetime

    from hub.documents.handling.models import HandlerSpec

    services.clock.now = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # type: ignore[attr-defined]
    doc = services.documents.register_incoming(
        ADMIN, "CCHQNB", type_key="cong_van", code_number="200", code_notation="BTC-CHQ", organ_name="Bộ Tài chính",
        issued_date=date(2026, 2, 27), subject="Nội dung mật", secrecy=1,
    )  # fmt: skip
    services.documents.handling.assign(ADMIN, doc.id, HandlerSpec(date(2026, 3, 20), unit_code="DOI1"))
    services.clock.now = datetime(2026, 3, 16, 2, 0, tzinfo=UTC)  # type: ignore[attr-defined]
    titles = [i.title for i in services.leadership.records(chi_cuc, "documents", "DOI1").items]
    assert len(titles) == 2 and not any("Nội dung mật" in t for t in titles)
    assert any("(văn bản mật)" in t for t in titles)
