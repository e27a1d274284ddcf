"""Account codes as people say them: roles (`office_admin` → 'Quản trị đơn vị') and languages."""

from __future__ import annotations

from hub.accounts.principal import Role
from ui.components.format import Translate
from ui.i18n import register_texts

#: the languages an account may choose → (Vietnamese, English); each named in its own language too
LANGUAGES: dict[str, tuple[str, str]] = {
    "vi": ("Tiếng Việt", "Vietnamese (Tiếng Việt)"),
    "en": ("Tiếng Anh (English)", "English"),
}

register_texts(
    {
        "role_system_admin": {"vi": "Quản trị hệ thống", "en": "System admin"},
        "role_office_admin": {"vi": "Quản trị đơn vị", "en": "Office admin"},
        "role_hr": {"vi": "Tổ chức cán bộ", "en": "HR"},
        "role_manager": {"vi": "Lãnh đạo, quản lý", "en": "Manager"},
        "role_asset_officer": {"vi": "Quản lý tài sản", "en": "Asset officer"},
        "role_clerk": {"vi": "Văn thư", "en": "Clerk"},
        "role_employee": {"vi": "Cán bộ, công chức", "en": "Employee"},
    }
    | {f"language.{code}": {"vi": vi, "en": en} for code, (vi, en) in LANGUAGES.items()}
)


def role_label(t: Translate, role: Role | str) -> str:
    """'Quản trị đơn vị' for `office_admin`; an unknown role stays as it is."""
    try:
        return t(f"role_{Role(role).value}")
    except ValueError:
        return str(role)


def role_options(t: Translate, roles: list[Role]) -> dict[str, str]:
    return {r.value: role_label(t, r) for r in roles}


def language_label(t: Translate, code: str) -> str:
    """'Tiếng Việt' for `vi`."""
    return t(f"language.{code}") if code in LANGUAGES else code


def language_options(t: Translate) -> dict[str, str]:
    return {code: language_label(t, code) for code in LANGUAGES}
