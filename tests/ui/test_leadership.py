"""The leadership screen (/leadership) through NiceGUI's simulated user over real services and PostgreSQL with
the seeded records of every module (tests.hub.leadership.seed): a Chi cục manager sees the Chi cục's tiles and
its team, drills down into the team and into the records behind a figure, and is refused another Cục (403)."""

from __future__ import annotations

import psycopg

from hub.accounts.principal import Role
from hub.services import HubServices
from tests.hub.leadership.seed import Clock, seed
from tests.ui.conftest import open_refused, table_rows


async def test_a_chi_cuc_manager_drills_down_inside_the_scope_only(
    sign_in, ui_services: HubServices, ui_database_url: str
) -> None:  # fmt: skip
    clock = Clock()
    ui_services.clock = clock
    with psycopg.connect(ui_database_url, autocommit=True) as conn:
        seed(conn, ui_services, clock)
    user = await sign_in((Role.MANAGER, "CCHQNB"))
    await user.open("/leadership")
    await user.should_see(marker="leadership-unit", content="Chi cục Hải quan cửa khẩu Sân bay quốc tế Nội Bài")
    await user.should_see(marker="leadership-figure-docs_open", content="3")
    await user.should_see(marker="leadership-figure-docs_overdue", content="1")
    await user.should_see(marker="leadership-figure-away", content="1")
    await user.should_not_see(marker="leadership-up")  # the Cục above is outside the scope
    rows = await table_rows(user, "leadership-units")
    assert [(r["unit"], r["href"], r["docs_open"], r["present"]) for r in rows] == [
        ("Chi cục Hải quan cửa khẩu Sân bay quốc tế Nội Bài (trực tiếp)", "", 2, 0),
        ("Đội Thủ tục hàng hóa xuất nhập khẩu", "/leadership?unit=DOI1", 1, 1),
        ("Tổng cộng", "", 3, 1),
    ]

    await user.open(rows[1]["href"])  # drill into the team, then into its documents
    await user.should_see(marker="leadership-up", content="Chi cục Hải quan cửa khẩu Sân bay quốc tế Nội Bài")
    await user.should_see(marker="leadership-figure-asset_not_returned", content="1")
    await user.open("/leadership?unit=DOI1&tile=documents")
    records = await table_rows(user, "leadership-records")
    assert [(r["status"], r["href"]) for r in records] == [("Đang xử lý quá hạn", records[0]["href"])] and records[0][
        "href"
    ].startswith("/documents/entry?id=")

    await open_refused(user, "/leadership?unit=CHQHCM")
    await open_refused(user, "/leadership?unit=CHQHN&tile=presence")
