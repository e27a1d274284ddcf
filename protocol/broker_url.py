"""Broker addresses as URLs (`mqtt://host:1883`, `mqtts://host:8883`), shared by hub and agents."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

_TLS_SCHEMES = ("mqtts", "ssl")
_PLAIN_SCHEMES = ("mqtt", "tcp")


@dataclass(frozen=True)
class BrokerAddress:
    host: str
    port: int
    tls: bool
    username: str | None = None
    password: str | None = None

    @classmethod
    def parse(cls, url: str) -> BrokerAddress:
        parts = urlsplit(url)
        if parts.scheme not in _TLS_SCHEMES + _PLAIN_SCHEMES or not parts.hostname:
            raise ValueError(f"expected mqtt://host:port or mqtts://host:port, got {url!r}")
        tls = parts.scheme in _TLS_SCHEMES
        return cls(
            host=parts.hostname,
            port=parts.port or (8883 if tls else 1883),
            tls=tls,
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
        )

    @property
    def url(self) -> str:
        """The address without credentials (safe to print and hand to devices)."""
        return f"{'mqtts' if self.tls else 'mqtt'}://{self.host}:{self.port}"
