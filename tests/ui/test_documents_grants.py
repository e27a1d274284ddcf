"""The grants of a secret document on its page (/documents/entry, issue 15 item 6): a cleared lãnh đạo of the
registering unit grants it to a cleared account through the panel's form (bad input refused in the service's
words, nothing written), the grant is listed with the names, the grantee can then open the document, and the
withdrawal takes it away again; the văn thư who registered it and a leader of another unit see no panel. Real
PostgreSQL and services, NiceGUI's simulated user."""

from __future__ import annotations

from datetime import date

import pytest

from hub.accounts.principal import Principal, Role
from hub.documents.models import UnknownDocument
from tests.ui.conftest import PASSWORD, SETUP_ADMIN, sign_in_through_form, sign_out


async def test_a_cleared_leader_grants_and_withdraws_a_secret_document(ui_user, make_account, ui_services) -> None:  # noqa: ANN001
    docs, secrecy = ui_services.documents, ui_services.documents.secrecy
    leader, clerk = make_account((Role.MANAGER, "CCHQNB")), make_account((Role.CLERK, "CCHQNB"))
    grantee = make_account((Role.MANAGER, "CHQHCM"))  # a leader, but of another unit: may not grant this one
    uncleared = make_account((Role.CLERK, "CHQHCM"))
    for account in (leader, clerk, grantee):
        secrecy.set_clearance(SETUP_ADMIN, account.username, 1, "QĐ 12/QĐ-HQKV2")

    def principal(account) -> Principal:  # noqa: ANN001
        return ui_services.accounts.sign_in(account.username, PASSWORD).principal

    docs.set_issuer(SETUP_ADMIN, "CCHQNB", "HQKV2", "Hà Nội")
    doc = docs.register_incoming(
        principal(clerk), "CCHQNB", type_key="cong_van", code_number="15", code_notation="BTC-TCHQ",
        organ_name="Bộ Tài chính", issued_date=date(2026, 1, 2), subject="Kế hoạch kiểm soát chống buôn lậu",
        secrecy=1,
    )  # fmt: skip
    page = f"/documents/entry?id={doc.id}"
    with pytest.raises(UnknownDocument):  # cleared, but not involved
        docs.document(principal(grantee), doc.id)

    user = await sign_in_through_form(ui_user, leader)
    await user.open(page)
    await user.should_see(marker="docs-grants")
    await user.should_see(marker="docs-grants-empty")
    username = user.find(marker="docs-grant-username").elements.pop()
    assert username.props["maxlength"] == "64"
    username.set_value("khong-co-ai")  # an unknown account: the service's words, nothing written
    user.find(marker="docs-grant-button").click()
    await user.should_see("không có tài khoản 'khong-co-ai' / no account 'khong-co-ai'", retries=20)
    user.find(marker="docs-grant-username").elements.pop().set_value(uncleared.username)  # not cleared
    user.find(marker="docs-grant-button").click()
    await user.should_see(
        f"{uncleared.username} chưa được cấp quyền tiếp cận văn bản mức này"
        f" / {uncleared.username} is not cleared for this document's level",
        retries=20,
    )
    assert secrecy.grants(principal(leader), doc.id) == []

    user.find(marker="docs-grant-username").elements.pop().set_value(grantee.username)
    user.find(marker="docs-grant-reason").elements.pop().set_value("Phối hợp kiểm tra")
    user.find(marker="docs-grant-button").click()
    [grant] = secrecy.grants(principal(leader), doc.id) or [None]
    await user.should_see(marker=f"docs-grant-{grant.id}", retries=20)
    await user.should_see(f"Người dùng {grantee.username} ({grantee.username})")
    await user.should_see(f"người cho phép: Người dùng {leader.username}")
    await user.should_see("Lý do: Phối hợp kiểm tra")
    await user.should_not_see(marker="docs-grants-empty")
    assert (grant.username, grant.granted_by, grant.reason) == (grantee.username, leader.username, "Phối hợp kiểm tra")
    assert docs.document(principal(grantee), doc.id).id == doc.id  # the grantee opens it now

    user.find(marker=f"docs-grant-revoke-{grantee.username}").click()  # withdrawn: listed as such, no button
    await user.should_see(marker=f"docs-grant-withdrawn-{grant.id}", retries=20)
    await user.should_see(f"người thu hồi: Người dùng {leader.username}")
    await user.should_not_see(marker=f"docs-grant-revoke-{grantee.username}")
    [withdrawn] = secrecy.grants(principal(leader), doc.id)
    assert withdrawn.revoked_by == leader.username and withdrawn.revoked_at is not None
    with pytest.raises(UnknownDocument):
        docs.document(principal(grantee), doc.id)
    await sign_out(user)

    secrecy.grant(principal(leader), doc.id, grantee.username)  # granted again: the leader of another unit reads
    for account in (clerk, grantee):  # the document, as does the văn thư who registered it; neither sees the panel
        assert docs.document(principal(account), doc.id).id == doc.id, account
        user = await sign_in_through_form(ui_user, account)
        await user.open(page)
        await user.should_see(marker="docs-entry-title")
        await user.should_not_see(marker="docs-grants")
        await user.should_not_see(marker="docs-grant-form")
        await sign_out(user)


async def test_the_panel_speaks_english(ui_user, make_account, ui_services) -> None:  # noqa: ANN001
    docs, secrecy = ui_services.documents, ui_services.documents.secrecy
    leader = make_account((Role.MANAGER, "CCHQNB"), language="en")
    secrecy.set_clearance(SETUP_ADMIN, leader.username, 2)
    docs.set_issuer(SETUP_ADMIN, "CCHQNB", "HQKV2", "Hà Nội")
    doc = docs.register_incoming(
        SETUP_ADMIN, "CCHQNB", type_key="cong_van", code_number="16", code_notation="BTC-TCHQ",
        organ_name="Bộ Tài chính", issued_date=date(2026, 1, 2), subject="Kế hoạch", secrecy=2,
    )  # fmt: skip
    user = await sign_in_through_form(ui_user, leader)
    await user.open(f"/documents/entry?id={doc.id}")
    await user.should_see("People granted this secret document")
    await user.should_see("Nobody else has been granted this document.")
    await user.should_see("Grant")
