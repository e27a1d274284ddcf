"""Enrollment photos, consent and erasure: what the UI and the API call.

- A photo is accepted only for a person with a recorded, not withdrawn consent, and only when
  the pack's detector and the enrollment gates pass it (`checks`); a refusal changes nothing
  and says why (message key + Vietnamese and English text).
- What is kept is the face crop, sealed (`crypto`); the uploaded photo is never written.
- Erasure on request (`erase_biometrics`) deletes every crop and embedding of the person and
  every face snapshot of their attendance (hub.snapshots, when wired), withdraws their consent,
  records who asked, and asks for the galleries to be rebuilt, so the person leaves every
  office's gallery at its next version (and with it every device).
- Every change is passed to `audit` (the accounts audit log) in the change's own transaction,
  when one is wired.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import psycopg
from psycopg_pool import ConnectionPool

from hub.access import Action, Target, gate
from hub.accounts.audit import ActorLike, AuditSink
from hub.accounts.principal import Principal
from hub.biometrics import access
from hub.biometrics import repository as repo
from hub.biometrics.checks import MESSAGES, EnrollmentPolicy, Refusal, check_photo
from hub.biometrics.crypto import Sealer
from hub.biometrics.engines import EngineCache
from hub.biometrics.models import Consent, PhotoRecord
from hub.domain import Invalid, NotFound
from hub.snapshots.service import SnapshotService

log = logging.getLogger(__name__)

CONSENT_BASES = ("written_consent", "electronic_consent", "legal_obligation")


class UnknownEmployee(NotFound):
    """No employee has this id (HTTP 404)."""


class UnknownPhoto(NotFound):
    """No stored photo has this id (HTTP 404)."""


class InvalidConsent(Invalid):
    """A consent with an unknown basis or an empty actor (HTTP 422)."""


@dataclass(frozen=True)
class PhotoOutcome:
    """The answer to one uploaded photo: accepted (with its record) or refused with one reason."""

    accepted: bool
    reason: str | None  # a Refusal value: no_face, several_faces, too_small, blurry, pose, unreadable, no_consent
    message_vi: str
    message_en: str
    detail: str
    photo: PhotoRecord | None = None


@dataclass(frozen=True)
class ErasureReport:
    employee_id: int
    photos_removed: int
    embeddings_removed: int
    consents_withdrawn: int
    snapshots_removed: int = 0  # attendance events whose face snapshot was deleted


def _refused(reason: Refusal, detail: str) -> PhotoOutcome:
    return PhotoOutcome(False, reason.value, MESSAGES[reason]["vi"], MESSAGES[reason]["en"], detail)


def _photo_json(p: PhotoRecord) -> dict[str, Any]:
    return {"photo_id": str(p.id), "checked_with": p.checked_with, "face_px": round(p.face_px)}


class BiometricsService:
    def __init__(
        self,
        pool: ConnectionPool,
        sealer: Sealer,
        engines: EngineCache,
        *,
        check_pack: str,
        policy: EnrollmentPolicy | None = None,
        on_change: Callable[[], None] | None = None,
        audit: AuditSink | None = None,
        snapshots: SnapshotService | None = None,
    ) -> None:
        self.pool = pool
        self.snapshots = snapshots  # the door events' face snapshots, erased with the person
        self.sealer = sealer
        self.engines = engines
        self.check_pack = check_pack
        self.policy = policy or EnrollmentPolicy()
        self._on_change = on_change
        self._audit = audit

    # -- consent (sự đồng ý) ----------------------------------------------------------------

    def record_consent(self, employee_id: int, basis: str, actor: ActorLike, reference: str | None = None) -> Consent:
        if basis not in CONSENT_BASES:
            raise InvalidConsent(f"unknown consent basis {basis!r}; use one of {', '.join(CONSENT_BASES)}")
        if not actor.username.strip():
            raise InvalidConsent("who records the consent must be named")
        if reference is not None and len(reference) > 200:
            raise InvalidConsent("the consent reference may be at most 200 characters")
        with self.pool.connection() as conn, conn.transaction():
            person = self._person(conn, employee_id)
            consent = repo.add_consent(conn, employee_id, basis, reference, actor.username)
            self._write_audit(conn, actor, "biometrics.consent", person, None, {"basis": basis, "reference": reference})
        return consent

    def consents(self, employee_id: int) -> list[Consent]:
        with self.pool.connection() as conn:
            self._person(conn, employee_id)
            return repo.consents(conn, employee_id)

    # -- photos -----------------------------------------------------------------------------

    def add_photo(self, employee_id: int, image_bytes: bytes, actor: ActorLike) -> PhotoOutcome:
        """Check and keep one enrollment photo; a refusal stores nothing."""
        with self.pool.connection() as conn:
            self._person(conn, employee_id)
            if repo.active_consent(conn, employee_id) is None:
                return _refused(Refusal.NO_CONSENT, "record the person's consent first")
        engine = self.engines.get(self.check_pack)
        check = check_photo(engine, image_bytes, self.policy)  # outside any transaction: ~50-100 ms of inference
        if check.refusal is not None:
            return _refused(check.refusal, check.detail)
        assert check.crop_jpeg is not None and check.measures is not None
        photo_id = uuid.uuid4()
        sealed = self.sealer.seal(check.crop_jpeg, crop_context(photo_id))
        m = check.measures
        with self.pool.connection() as conn, conn.transaction():
            person = self._person(conn, employee_id)
            if repo.active_consent(conn, employee_id) is None:  # withdrawn while we were checking
                return _refused(Refusal.NO_CONSENT, "the consent was withdrawn meanwhile")
            record = repo.insert_photo(
                conn,
                photo_id,
                employee_id,
                actor.username,
                sealed,
                self.sealer.key_id,
                engine.manifest.pack_id,
                (m.face_px, m.sharpness, m.yaw, m.roll_deg, m.pitch, m.detector_score),
            )
            self._write_audit(conn, actor, "biometrics.photo_add", person, None, _photo_json(record))
        self._changed()
        return PhotoOutcome(True, None, "Đã nhận ảnh.", "Photo accepted.", check.detail, record)

    def list_photos(self, employee_id: int) -> list[PhotoRecord]:
        with self.pool.connection() as conn:
            self._person(conn, employee_id)
            return repo.photos_of(conn, employee_id)

    def photo_crop(self, photo_id: UUID) -> bytes:
        """The stored face crop (JPEG), decrypted for display to an authorised officer."""
        with self.pool.connection() as conn:
            sealed = repo.sealed_crop(conn, photo_id)
        if sealed is None:
            raise UnknownPhoto(f"no stored photo has the id {photo_id}")
        return self.sealer.open(sealed, crop_context(photo_id))

    def delete_photo(self, photo_id: UUID, actor: ActorLike) -> None:
        with self.pool.connection() as conn, conn.transaction():
            record = repo.photo(conn, photo_id)
            if record is None:
                raise UnknownPhoto(f"no stored photo has the id {photo_id}")
            person = self._person(conn, record.employee_id)
            repo.delete_photo(conn, photo_id)
            self._write_audit(conn, actor, "biometrics.photo_delete", person, _photo_json(record), None)
        self._changed()

    # -- erasure on request (xóa dữ liệu theo yêu cầu) ----------------------------------------

    def erase_biometrics(self, employee_id: int, actor: ActorLike) -> ErasureReport:
        """Delete every crop, embedding and attendance snapshot of the person and withdraw their consent, in
        one transaction (the snapshot files are deleted before it commits).

        The galleries are rebuilt after (see `on_change`); the next version of every office's
        gallery, and so every device, no longer holds the person.
        """
        with self.pool.connection() as conn, conn.transaction():
            person = self._person(conn, employee_id)
            photos, embeddings = repo.erase_person(conn, employee_id)
            withdrawn = repo.withdraw_consents(conn, employee_id, actor.username)
            snapshots = self.snapshots.erase_person(conn, person.person_id).events if self.snapshots else 0
            repo.record_erasure(conn, employee_id, actor.username, photos, embeddings)
            self._write_audit(
                conn,
                actor,
                "biometrics.erase",
                person,
                {"photos": photos, "embeddings": embeddings, "consents": withdrawn, "snapshots": snapshots},
                None,
            )
        log.info("employee %s: biometric data erased by %s (%d photos, %d embeddings, %d snapshots)", employee_id,
                 actor.username, photos, embeddings, snapshots)  # fmt: skip
        self._changed()
        return ErasureReport(employee_id, photos, embeddings, withdrawn, snapshots)

    # -- helpers ----------------------------------------------------------------------------

    def _person(self, conn: psycopg.Connection, employee_id: int) -> repo.PersonRef:
        person = repo.person(conn, employee_id)
        if person is None:
            raise UnknownEmployee(f"no employee has the id {employee_id}")
        return person

    def _write_audit(
        self,
        conn: psycopg.Connection,
        actor: ActorLike,
        action: str,
        person: repo.PersonRef,
        before: dict[str, Any] | None,
        after: dict[str, Any] | None,
    ) -> None:
        if self._audit is None:
            return
        self._audit(
            conn,
            actor,
            action,
            "employee",
            person.employee_code,
            before=before,
            after=after,
            unit_path=person.unit_path,
        )

    def _changed(self) -> None:
        if self._on_change is not None:
            try:
                self._on_change()
            except Exception:  # the change is committed; the scheduled rebuild picks it up
                log.exception("could not trigger a gallery rebuild")


def crop_context(photo_id: UUID) -> str:
    """The associated data a crop is sealed with: it opens only as this photo."""
    return f"crop:{photo_id}"


def embedding_context(photo_id: UUID, pack_id: str, recogniser_sha256: str) -> str:
    return f"embedding:{photo_id}:{pack_id}:{recogniser_sha256}"


class EnrollmentService:
    """Face photos, consent and erasure as the pages, the API and the CLI ask for them: each method
    checks the rule book (`biometrics.enroll`, `biometrics.erase`) on the person's unit first, whoever
    calls, then hands over to this process's `BiometricsService` (`running` raises a 503 error when
    this hub runs no biometrics)."""

    def __init__(self, pool: ConnectionPool, running: Callable[[], BiometricsService]) -> None:
        self.pool, self.running = pool, running

    def _check(self, principal: Principal, action: Action, employee_id: int) -> None:
        """The action on the person's unit; UnknownEmployee (404) or AccessDenied (403)."""
        with self.pool.connection() as conn:
            person = repo.person(conn, employee_id)
        if person is None:
            raise UnknownEmployee(f"no employee has the id {employee_id}")
        gate.check(principal, action, Target.unit(person.unit_path))

    def _photo_owner(self, photo_id: UUID) -> int:
        with self.pool.connection() as conn:
            record = repo.photo(conn, photo_id)
        if record is None:
            raise UnknownPhoto(f"no stored photo has the id {photo_id}")
        return record.employee_id

    def add_photo(self, principal: Principal, employee_id: int, image_bytes: bytes, actor: ActorLike) -> PhotoOutcome:
        """Check one photo (one face, size, blur, pose; consent recorded) and keep its sealed crop, or
        say why not (outcome.reason: no_face, several_faces, too_small, blurry, pose, unreadable, no_consent)."""
        self._check(principal, access.ENROLL, employee_id)
        return self.running().add_photo(employee_id, image_bytes, actor)

    def photos(self, principal: Principal, employee_id: int) -> list[PhotoRecord]:
        self._check(principal, access.ENROLL, employee_id)
        return self.running().list_photos(employee_id)

    def photo_crop(self, principal: Principal, photo_id: UUID) -> bytes:
        """The kept face crop (JPEG) for an enrolling officer's screen; UnknownPhoto, AccessDenied."""
        self._check(principal, access.ENROLL, self._photo_owner(photo_id))
        return self.running().photo_crop(photo_id)

    def delete_photo(self, principal: Principal, photo_id: UUID, actor: ActorLike) -> None:
        self._check(principal, access.ENROLL, self._photo_owner(photo_id))
        self.running().delete_photo(photo_id, actor)

    def record_consent(
        self, principal: Principal, employee_id: int, basis: str, actor: ActorLike, reference: str | None = None
    ) -> Consent:
        self._check(principal, access.ENROLL, employee_id)
        return self.running().record_consent(employee_id, basis, actor, reference)

    def consents(self, principal: Principal, employee_id: int) -> list[Consent]:
        self._check(principal, access.ENROLL, employee_id)
        return self.running().consents(employee_id)

    def erase(self, principal: Principal, employee_id: int, actor: ActorLike) -> ErasureReport:
        """Erasure on request (biometrics.erase): every crop, embedding and snapshot deleted, consent
        withdrawn, galleries rebuilt."""
        self._check(principal, access.ERASE, employee_id)
        return self.running().erase_biometrics(employee_id, actor)
