"""Account codes as people say them: roles (`office_admin` → 'Quản trị đơn vị') and languages."""

from __future__ import annotations

from hub.accounts.principal import Role
from ui.components.format import Translate
from ui.i18n import LANGUAGE_NAMES, N_, translator

#: the languages an account may choose (each also named in its own language where that differs)
LANGUAGES = tuple(LANGUAGE_NAMES)

#: each role as people say it
ROLES: dict[Role, str] = {
    Role.SYSTEM_ADMIN: N_("Quản trị hệ thống"),
    Role.OFFICE_ADMIN: N_("Quản trị đơn vị"),
    Role.HR: N_("Tổ chức cán bộ"),
    Role.MANAGER: N_("Lãnh đạo, quản lý"),
    Role.ASSET_OFFICER: N_("Quản lý tài sản"),
    Role.CLERK: N_("Văn thư"),
    Role.EMPLOYEE: N_("Cán bộ, công chức"),
}


def role_label(t: Translate, role: Role | str) -> str:
    """'Quản trị đơn vị' for `office_admin`; an unknown role stays as it is."""
    try:
        return t(ROLES[Role(role)])
    except (ValueError, KeyError):
        return str(role)


def role_options(t: Translate, roles: list[Role]) -> dict[str, str]:
    return {r.value: role_label(t, r) for r in roles}


def language_label(t: Translate, code: str) -> str:
    """'Tiếng Việt' for `vi`; on a page in another language also its own name: 'Vietnamese (Tiếng Việt)'."""
    if code not in LANGUAGE_NAMES:
        return code
    name, own = t(LANGUAGE_NAMES[code]), translator(code).gettext(LANGUAGE_NAMES[code])
    return name if name == own else f"{name} ({own})"


def language_options(t: Translate) -> dict[str, str]:
    return {code: language_label(t, code) for code in LANGUAGES}
