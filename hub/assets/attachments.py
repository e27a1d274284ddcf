"""Files kept with an asset record (hồ sơ tài sản: the invoice, the hand-over minutes, photos, the warranty).

The file rules are the documents module's (hub.documents.files: size limit, type sniffed from the bytes, the
extension agreeing, the virus scanner hook), so an asset officer cannot store what a clerk could not. The
bytes go to the hub's content store, the row and the asset's history in one transaction; who may add one is
who may edit the asset (assets.edit on its unit), who may read one is who may see the asset."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from hub.accounts import audit
from hub.accounts.audit import Actor
from hub.accounts.principal import Principal
from hub.assets import access, repository
from hub.assets.models import AssetError, AssetNotFound
from hub.documents.files import FileRules, Upload, check_file, scan
from hub.domain import bilingual
from hub.files import ContentStore

if TYPE_CHECKING:
    from hub.assets.service import AssetsService
    from hub.runtime import HubRuntime

MAX_ATTACHMENTS = 50  # per asset
MAX_NOTE = 500


@dataclass(frozen=True, slots=True)
class AssetAttachment:
    id: int
    filename: str
    content_type: str
    size_bytes: int
    note: str | None
    uploaded_by: str
    uploaded_at: datetime


class AssetAttachments:
    """Add, list and read an asset's files; the store is the hub's (set by `domain_jobs`), None in a tool."""

    def __init__(self, assets: AssetsService, store: ContentStore | None = None, rules: FileRules | None = None):
        self.assets = assets
        self.store = store
        self.rules = rules or FileRules()

    def add(
        self, principal: Principal, actor: Actor, number: str, filename: str, data: bytes, note: str | None = None
    ) -> AssetAttachment:
        if self.store is None:
            raise AssetError(bilingual("máy chủ này không lưu được tệp", "this hub process keeps no files"))
        if note is not None and (len(note) > MAX_NOTE or any(ord(c) < 32 and c not in "\t\n" for c in note)):
            raise AssetError(bilingual(
                f"ghi chú quá {MAX_NOTE} ký tự hoặc có ký tự điều khiển",
                f"the note is over {MAX_NOTE} characters or holds control characters",
            ))  # fmt: skip
        checked = check_file(Upload(filename, data), self.rules)
        scan(checked, self.rules)
        with self.assets.pool.connection() as conn, conn.transaction():
            asset = self.assets._get(conn, principal, number, access.EDIT, lock=True)
            if repository.attachment_count(conn, asset.id) >= MAX_ATTACHMENTS:
                raise AssetError(
                    bilingual(f"tài sản đã có {MAX_ATTACHMENTS} tệp", f"the asset has {MAX_ATTACHMENTS} files")
                )
            sha = self.store.put(checked.data)
            row = repository.add_attachment(conn, asset.id, sha, checked.name, checked.content_type, len(checked.data),
                                            note or None, actor.username)  # fmt: skip
            repository.add_history(conn, asset.id, actor.username, "attachment.add", {"file": [None, checked.name]})
            audit.record(conn, actor, "asset.attachment_add", "asset", number,
                         after={"file": checked.name, "bytes": len(checked.data), "sha256": sha},
                         unit_path=asset.unit_path)  # fmt: skip
            return AssetAttachment(*row)

    def listing(self, principal: Principal, number: str) -> list[AssetAttachment]:
        with self.assets.pool.connection() as conn:
            asset = self.assets._get(conn, principal, number, access.VIEW)
            return [AssetAttachment(*r) for r in repository.attachments(conn, asset.id)]

    def read(self, principal: Principal, number: str, attachment_id: int) -> tuple[AssetAttachment, bytes]:
        with self.assets.pool.connection() as conn:
            asset = self.assets._get(conn, principal, number, access.VIEW)
            found = repository.attachment(conn, asset.id, attachment_id)
        if found is None or self.store is None:
            raise AssetNotFound(bilingual(f"tài sản {number} không có tệp {attachment_id}",
                                          f"asset {number} has no file {attachment_id}"))  # fmt: skip
        row, sha = found
        try:
            return AssetAttachment(*row), self.store.get(sha)
        except FileNotFoundError:
            raise AssetNotFound(bilingual(f"tệp {row[1]} không còn trong kho", f"the file {row[1]} is gone")) from None


def domain_jobs(runtime: HubRuntime) -> list:  # type: ignore[type-arg]
    """No jobs: gives the asset register the hub's content store and the documents' file rules."""
    assert runtime.services is not None
    attachments = runtime.services.assets.attachments
    attachments.store = ContentStore(runtime.settings.files_dir)
    attachments.rules = FileRules.from_settings(runtime.settings)
    return []
