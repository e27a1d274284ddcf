"""The regime form of /reporting with forms instead of codes and JSON (issue 18): the receiving unit and the
reporting units picked in the org tree (ui.components.unit_picker), whom each reports to chosen by name, and
the regime stored as picked. Real PostgreSQL and services, NiceGUI's simulated user."""

from __future__ import annotations

from hub.accounts.principal import Role
from tests.ui.conftest import SETUP_ADMIN
from tests.ui.unit_picking import labels, select, tick, tree_of


def _set(user, marker: str, value) -> None:  # noqa: ANN001
    with user:
        next(iter(user.find(marker=marker).elements)).set_value(value)


async def test_three_reporting_units_picked_in_the_tree_are_stored_as_picked(sign_in, ui_services) -> None:  # noqa: ANN001
    user = await sign_in((Role.OFFICE_ADMIN, "TCHQ"))
    await user.open("/reporting")
    # the tree shows the units by name, parents first; the reporting units' tree waits for the receiving unit
    assert labels(user, "reporting-define-owner") == [
        "Tổng cục Hải quan", "Cục Hải quan Hà Nội", "Chi cục Hải quan cửa khẩu Sân bay quốc tế Nội Bài",
        "Đội Thủ tục hàng hóa xuất nhập khẩu", "Cục Hải quan TP. Hồ Chí Minh",
    ]  # fmt: skip
    assert labels(user, "reporting-define-units") == []
    select(user, "reporting-define-owner", "TCHQ")
    await user.should_see(marker="reporting-define-owner-chosen", content="Đã chọn (1): Tổng cục Hải quan")
    assert "Tổng cục Hải quan" not in labels(user, "reporting-define-units")  # it receives, it does not report
    tick(user, "reporting-define-units", ["CHQHN", "CCHQNB", "DOI1"])
    await user.should_see(marker="reporting-define-units-chosen", content="Đã chọn (3)")
    # each reports by default to the nearest ticked unit above it, else to the receiving unit
    with user:
        to = {c: next(iter(user.find(marker=f"reporting-define-to-{c}").elements)) for c in ("CHQHN", "CCHQNB", "DOI1")}
    assert {c: s.value for c, s in to.items()} == {"CHQHN": "TCHQ", "CCHQNB": "CHQHN", "DOI1": "CCHQNB"}
    assert to["DOI1"].options == {
        "CCHQNB": "Chi cục Hải quan cửa khẩu Sân bay quốc tế Nội Bài", "CHQHN": "Cục Hải quan Hà Nội",
        "TCHQ": "Tổng cục Hải quan",
    }  # fmt: skip
    _set(user, "reporting-define-to-DOI1", "CHQHN")  # DOI1 skips its branch
    _set(user, "reporting-define-code", "ba-don-vi")
    _set(user, "reporting-define-valid-from", "2026-01-01")
    _set(user, "reporting-define-name-vi", "Báo cáo ba đơn vị")
    _set(user, "reporting-define-name-en", "Three units report")
    user.find(marker="reporting-define-save").click()
    await user.should_see("Đã lưu phiên bản 1.")
    stored = ui_services.reporting.regime(SETUP_ADMIN, "ba-don-vi")[0]
    assert stored.owner_code == "TCHQ"
    assert sorted((r.unit_code, r.recipient_code) for r in stored.reporters) == [
        ("CCHQNB", "CHQHN"), ("CHQHN", "TCHQ"), ("DOI1", "CHQHN")
    ]  # fmt: skip


async def test_the_picker_ignores_what_may_not_be_picked_and_searches_without_diacritics(sign_in) -> None:  # noqa: ANN001
    user = await sign_in((Role.OFFICE_ADMIN, "CHQHN"))
    await user.open("/reporting")
    # an office admin of CHQHN sees its subtree only
    assert labels(user, "reporting-define-owner") == [
        "Cục Hải quan Hà Nội", "Chi cục Hải quan cửa khẩu Sân bay quốc tế Nội Bài",
        "Đội Thủ tục hàng hóa xuất nhập khẩu",
    ]  # fmt: skip
    select(user, "reporting-define-owner", "CCHQNB")
    tick(user, "reporting-define-units", ["DOI1", "CHQHCM"])  # CHQHCM is not under the receiving unit
    await user.should_see(marker="reporting-define-units-chosen", content="Đã chọn (1): Đội Thủ tục")
    assert tree_of(user, "reporting-define-units").props["ticked"] == ["DOI1"]
    _set(user, "reporting-define-owner-search", "noi bai")
    assert tree_of(user, "reporting-define-owner").props["filter"] == "noi bai"
    assert ":filter-method" in tree_of(user, "reporting-define-owner").props
