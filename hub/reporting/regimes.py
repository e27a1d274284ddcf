"""Reporting regimes as versioned data, defined by admins, and the opening of each period's reports (the job,
or an admin at once): a regime changed mid-year leaves the reports already opened on their old version."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import date
from typing import Any

from hub.access import Target, gate
from hub.accounts import audit
from hub.accounts.audit import SYSTEM_ACTOR, Actor
from hub.accounts.principal import Principal
from hub.domain import DomainError
from hub.reporting import access
from hub.reporting import repository as repo
from hub.reporting.core import MAX_REPORTERS, ReportingCore, _check_code, _text
from hub.reporting.models import (
    RegimeVersion,
    ReportingError,
    UnknownRegime,
    WrongState,
    both,
)
from hub.reporting.opening import open_reports
from hub.reporting.periods import Period, check_cutoff_day, frequency, last_closed, parse_period
from hub.reporting.template import Template, parse_template

log = logging.getLogger(__name__)


class ReportingRegimes(ReportingCore):
    """Regimes (define, read) and opening reports."""

    def regimes(self, principal: Principal) -> list[RegimeVersion]:
        """The newest version of every regime."""
        gate.check(principal, access.REFERENCE)
        with self.pool.connection() as conn:
            newest: dict[str, RegimeVersion] = {}
            for v in repo.versions(conn):
                newest.setdefault(v.code, v)
            return list(newest.values())

    def regime(self, principal: Principal, code: str) -> list[RegimeVersion]:
        """Every version of a regime, newest first."""
        gate.check(principal, access.REFERENCE)
        with self.pool.connection() as conn:
            found = repo.versions(conn, code)
        if not found:
            raise UnknownRegime(code)
        return found

    def define(
        self, principal: Principal, code: str, *, valid_from: date, name_vi: str, name_en: str, basis: str,
        content: str = "", frequency_name: str, cutoff_day: int = 15, deadline_days: int, deadline_working: bool = True,
        owner_unit: str, template: Any, reporters: Sequence[tuple[str, str]], client_ip: str | None = None,
    ) -> RegimeVersion:  # fmt: skip
        """A new regime, or a new version of one in force from `valid_from` (reports already opened keep theirs).
        Office admin over the receiving unit (and over the previous version's, when it changes)."""
        freq = frequency(frequency_name)
        check_cutoff_day(cutoff_day)
        if not 0 <= deadline_days <= 60:
            raise ReportingError(both("hạn gửi từ 0 đến 60 ngày sau ngày chốt", "the deadline is 0..60 days after"))
        parsed = template if isinstance(template, Template) else parse_template(template)
        if not reporters or len(reporters) > MAX_REPORTERS:
            raise ReportingError(
                both(f"cần từ 1 đến {MAX_REPORTERS} đơn vị báo cáo", f"1..{MAX_REPORTERS} reporting units are needed")
            )
        values = {
            "valid_from": valid_from, "frequency": freq.value, "cutoff_day": cutoff_day,
            "deadline_days": deadline_days, "deadline_working": bool(deadline_working),
            "name_vi": _text(name_vi, "tên chế độ báo cáo", "the regime's name (Vietnamese)", 300),
            "name_en": _text(name_en, "tên tiếng Anh", "the regime's name (English)", 300),
            "basis": _text(basis, "căn cứ pháp lý", "the legal basis", 300),
            "content": _text(content, "nội dung báo cáo", "the content", 4000, required=False),
            "template": parsed.model_dump(mode="json"), "created_by": principal.username,
        }  # fmt: skip
        with self.pool.connection() as conn, conn.transaction():
            owner = self._unit(conn, owner_unit)
            gate.check(principal, access.DEFINE, Target.unit(owner[3]))
            pairs = self._reporters(conn, owner, reporters)
            existing = repo.lock_regime(conn, code)
            if existing is None:
                _check_code(code)
                regime_id = repo.insert_regime(conn, code, principal.username)
            else:
                regime_id = existing[0]
                for earlier in repo.versions(conn, code)[:1]:
                    gate.check(principal, access.DEFINE, Target.unit(earlier.owner_path))
                if repo.has_version_from(conn, regime_id, valid_from):
                    raise WrongState(
                        both(f"chế độ {code} đã có phiên bản hiệu lực từ {valid_from:%d/%m/%Y}",
                             f"regime {code} already has a version in force from {valid_from}")
                    )  # fmt: skip
            version = repo.next_version(conn, regime_id)
            version_id = repo.insert_version(
                conn, {**values, "regime_id": regime_id, "version": version, "owner_unit_id": owner[0]}, pairs
            )
            audit.record(
                conn, Actor.of(principal, client_ip), "reporting_regime.define", "reporting_regime", code,
                after={"version": version, "valid_from": valid_from.isoformat(), "frequency": freq.value,
                       "reporters": len(pairs), "indicators": len(parsed.indicators)},
                unit_path=owner[3],
            )  # fmt: skip
            found = repo.version_by_id(conn, version_id)
        assert found is not None
        return found

    def open_due(self) -> int:
        """Internal (the periodic job): open, for every active regime, the reports of its latest period whose
        cut-off has passed, for each reporting unit that has none yet. The number opened."""
        today = self.today()
        opened = 0
        with self.pool.connection() as conn:
            regimes = repo.active_regimes(conn)
        for regime_id, _ in regimes:
            with self.pool.connection() as conn:
                current = repo.version_in_force(conn, regime_id, today)
            if current is None:
                continue
            period = last_closed(current.frequency, today, current.cutoff_day)
            try:
                opened += self._open(regime_id, period, SYSTEM_ACTOR)
            except DomainError as exc:  # e.g. the frequency changed: that period belongs to no version
                log.warning("reporting: regime %s, period %s not opened: %s", current.code, period.key, exc)
        return opened

    def open_period(self, principal: Principal, code: str, period_key: str, client_ip: str | None = None) -> int:
        """Open the reports of one period now (its cut-off must have passed). Office admin over the receiving unit."""
        with self.pool.connection() as conn:
            found = repo.versions(conn, code)
        if not found:
            raise UnknownRegime(code)
        gate.check(principal, access.DEFINE, Target.unit(found[0].owner_path))
        period = parse_period(found[0].frequency, period_key)
        return self._open(found[0].regime_id, period, Actor.of(principal, client_ip))

    def _open(self, regime_id: int, period: Period, actor: Actor) -> int:
        return open_reports(self.pool, self.clock, self.today(), regime_id, period, actor)
