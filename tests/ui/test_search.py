"""The search page: a lãnh đạo types without diacritics and finds the unit's document with the words
marked, never the secret one (not even in the count). NiceGUI's simulated user on real services."""

from __future__ import annotations

from collections.abc import Callable

from nicegui.testing.user import User

from hub.accounts.principal import Role
from hub.services import HubServices
from tests.ui.conftest import SETUP_ADMIN


async def test_search_without_diacritics_hides_what_the_person_may_not_read(
    sign_in: Callable[..., object], ui_services: HubServices
) -> None:
    documents = ui_services.documents
    documents.set_issuer(SETUP_ADMIN, "CCHQNB", "HQKV2", "Hà Nội")
    documents.register_outgoing(SETUP_ADMIN, "CCHQNB", type_key="QĐ", subject="Quyết định nghỉ phép năm 2026")
    documents.register_outgoing(SETUP_ADMIN, "CCHQNB", type_key="BC", subject="Báo cáo mật nghỉ phép", secrecy=1)
    user: User = await sign_in((Role.MANAGER, "CCHQNB"))  # type: ignore[operator]
    await user.open("/search?q=nghi phep")
    await user.should_see("1 kết quả", marker="search-count")
    await user.should_see("01/QĐ-HQKV2 — Quyết định nghỉ phép năm 2026")
    await user.should_not_see("Báo cáo mật nghỉ phép")
    snippets = [e.content for e in user.find(marker="search-snippet").elements]
    assert snippets == ["01/QĐ-HQKV2 — Quyết định <mark>nghỉ</mark> <mark>phép</mark> năm 2026"]
