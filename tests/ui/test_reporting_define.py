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


def _click(user, marker: str) -> None:  # noqa: ANN001
    user.find(marker=marker).click()


async def _fill_header(user, code: str) -> None:  # noqa: ANN001
    _set(user, "reporting-define-code", code)
    _set(user, "reporting-define-valid-from", "2026-01-01")
    _set(user, "reporting-define-name-vi", "Báo cáo tháng")
    _set(user, "reporting-define-name-en", "Monthly report")


async def test_a_regime_of_three_units_and_two_indicators_made_with_the_editor(sign_in, ui_services) -> None:  # noqa: ANN001
    user = await sign_in((Role.OFFICE_ADMIN, "TCHQ"))
    await user.open("/reporting")
    select(user, "reporting-define-owner", "TCHQ")
    tick(user, "reporting-define-units", ["CHQHCM", "CHQHN", "DOI1"])
    await user.should_see(marker="reporting-define-units-chosen", content="Đã chọn (3)")
    await _fill_header(user, "hai-chi-tieu")
    # the example's five indicators go; two are made
    for _ in range(5):
        _click(user, "reporting-template-0-remove")
    await user.should_see(marker="reporting-template-none")
    _click(user, "reporting-template-add")
    _set(user, "reporting-template-0-code", "cases")
    _set(user, "reporting-template-0-name-vi", "Vụ việc vi phạm")
    _set(user, "reporting-template-0-name-en", "Violations")
    _set(user, "reporting-template-0-kind", "table")
    _click(user, "reporting-template-0-add-column")
    _click(user, "reporting-template-0-add-column")
    for k, (code, vi, en) in enumerate([("kind", "Loại vụ", "Kind"), ("count", "Số vụ", "Count")]):
        _set(user, f"reporting-template-0-col-{k}-code", code)
        _set(user, f"reporting-template-0-col-{k}-name-vi", vi)
        _set(user, f"reporting-template-0-col-{k}-name-en", en)
    _set(user, "reporting-template-0-col-0-kind", "text")
    _set(user, "reporting-template-0-col-1-unit", "vụ")
    _set(user, "reporting-template-0-total", True)
    _click(user, "reporting-template-add")
    _set(user, "reporting-template-1-code", "staff")
    _set(user, "reporting-template-1-how", "staff_count")  # by its name: "Dữ liệu CCES: Số cán bộ, công chức"
    await user.should_see("Dữ liệu CCES: Số cán bộ, công chức")
    _click(user, "reporting-template-1-up")  # the staff first
    with user:
        first = next(iter(user.find(marker="reporting-template-0-code").elements))
    assert first.value == "staff"
    _click(user, "reporting-define-save")
    await user.should_not_see(marker="reporting-define-problem")
    await user.should_see("Đã lưu phiên bản 1.")
    stored = ui_services.reporting.regime(SETUP_ADMIN, "hai-chi-tieu")[0]
    assert sorted((r.unit_code, r.recipient_code) for r in stored.reporters) == [
        ("CHQHCM", "TCHQ"), ("CHQHN", "TCHQ"), ("DOI1", "CHQHN")
    ]  # fmt: skip
    got = stored.template.model_dump(mode="json", exclude_defaults=True)
    assert got == {"indicators": [
        {"code": "staff", "name_vi": "Số cán bộ, công chức", "name_en": "Staff", "unit": "người",
         "source": "staff_count"},
        {"code": "cases", "name_vi": "Vụ việc vi phạm", "name_en": "Violations", "kind": "table", "total": True,
         "columns": [{"code": "kind", "name_vi": "Loại vụ", "name_en": "Kind", "kind": "text"},
                     {"code": "count", "name_vi": "Số vụ", "name_en": "Count", "unit": "vụ"}]},
    ]}  # fmt: skip


async def test_a_bad_formula_shows_its_error_under_its_indicator_and_stores_nothing(sign_in, ui_services) -> None:  # noqa: ANN001
    user = await sign_in((Role.OFFICE_ADMIN, "CHQHN"))
    await user.open("/reporting")
    select(user, "reporting-define-owner", "CHQHN")
    tick(user, "reporting-define-units", ["DOI1"])
    await _fill_header(user, "cong-thuc-sai")
    # the example's fourth indicator is "late / staff"
    _set(user, "reporting-template-3-formula", "late / nobody")
    _click(user, "reporting-define-save")
    await user.should_see(marker="reporting-template-3-problem", content="công thức dùng nobody")
    await user.should_see(marker="reporting-template-3-problem", content="the formula names nobody")
    await user.should_see(marker="reporting-define-problem", content="chưa lưu gì")
    await user.should_not_see(marker="reporting-template-0-problem")
    _set(user, "reporting-template-3-formula", "__import__('os')")
    _click(user, "reporting-define-save")
    await user.should_see(marker="reporting-template-3-problem", content="công thức chỉ gồm số, mã chỉ tiêu")
    _set(user, "reporting-template-0-code", "Staff!")  # a code outside a-z0-9_
    _click(user, "reporting-define-save")
    await user.should_see(marker="reporting-template-0-problem", content="mã: chỉ gồm chữ thường a-z")
    assert ui_services.reporting.regimes(SETUP_ADMIN) == []


async def test_the_json_imports_into_the_table_and_an_edited_regime_is_a_new_version(sign_in, ui_services) -> None:  # noqa: ANN001
    from datetime import date

    from tests.hub.reporting.conftest import REPORTERS, TEMPLATE

    ui_services.reporting.define(
        SETUP_ADMIN, "thang", valid_from=date(2026, 1, 1), name_vi="Báo cáo tháng", name_en="Monthly report",
        basis="Nghị định 09/2019/NĐ-CP", frequency_name="monthly", deadline_days=2, owner_unit="CHQHN",
        template=TEMPLATE, reporters=REPORTERS,
    )  # fmt: skip
    user = await sign_in((Role.OFFICE_ADMIN, "CHQHN"))
    await user.open("/reporting")
    _set(user, "reporting-define-edit", "thang")
    with user:
        code = next(iter(user.find(marker="reporting-template-7-code").elements))
    assert code.value == "cases"  # the saved template, in the table
    assert tree_of(user, "reporting-define-owner").props["selected"] == "CHQHN"
    assert sorted(tree_of(user, "reporting-define-units").props["ticked"]) == ["CCHQNB", "DOI1"]
    _set(user, "reporting-template-9-name-vi", "Tình hình chung trong tháng")
    _set(user, "reporting-define-valid-from", "2026-07-01")
    _click(user, "reporting-define-save")
    await user.should_see("Đã lưu phiên bản 2.")
    new, old = ui_services.reporting.regime(SETUP_ADMIN, "thang")
    assert old.template.model_dump(mode="json", exclude_defaults=True) == TEMPLATE
    assert new.template.indicators[9].name_vi == "Tình hình chung trong tháng"
    assert new.template.indicators[:9] == old.template.indicators[:9]
    assert sorted((r.unit_code, r.recipient_code) for r in new.reporters) == sorted(REPORTERS)

    # the advanced import: JSON into the table, its problems under the rows
    await user.open("/reporting")
    _set(
        user,
        "reporting-template-json",
        '{"indicators": [{"code": "a", "name_vi": "A", "name_en": "A"},'
        ' {"code": "b", "name_vi": "B", "name_en": "B", "formula": "a * 2 + c"}]}',
    )
    _click(user, "reporting-template-import")
    await user.should_see(marker="reporting-template-1-problem", content="công thức dùng c")
    with user:
        rows = [e.value for e in user.find(marker="reporting-template-1-formula").elements]
    assert rows == ["a * 2 + c"]
