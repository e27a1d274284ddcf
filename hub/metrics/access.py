"""Who may read /metrics: an address among CCES_METRICS_TRUSTED, or the bearer token CCES_METRICS_TOKEN.

Never a user session: metrics are for the monitoring system, and a signed-in person (even a system
admin) has the API for what they may see. The client address is the connection's own, or the one a
proxy of CCES_TRUSTED_PROXIES forwarded (uvicorn rewrites it before the app sees the request).

With neither setting the endpoint is off and answers 404, so a hub that nobody configured for
monitoring shows nothing. Otherwise a caller that is neither trusted nor holds the token gets 403
with a Vietnamese and English reason: the endpoint's existence is no secret (it is documented), and
a clear refusal is what an operator setting up a scrape needs.
"""

from __future__ import annotations

import hmac
import ipaddress
from dataclasses import dataclass
from typing import Literal

from hub.settings import HubSettings

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

METRICS_OFF = (
    "Chưa bật /metrics: đặt CCES_METRICS_TRUSTED hoặc CCES_METRICS_TOKEN"
    " / /metrics is off: set CCES_METRICS_TRUSTED or CCES_METRICS_TOKEN"
)
METRICS_REFUSED = (
    "Không được đọc /metrics: địa chỉ không nằm trong CCES_METRICS_TRUSTED và không có mã truy cập đúng"
    " / Not allowed to read /metrics: the address is not in CCES_METRICS_TRUSTED and no valid token was sent"
)

Decision = Literal["allow", "off", "refuse"]


@dataclass(frozen=True)
class MetricsAccess:
    trusted: tuple[IPNetwork, ...]
    token: bytes | None

    @classmethod
    def from_settings(cls, settings: HubSettings) -> MetricsAccess:
        """The networks and token of the settings (already checked there: each an address or a network)."""
        networks = tuple(ipaddress.ip_network(item, strict=False) for item in settings.metrics.trusted)
        token = settings.metrics.token.get_secret_value().encode() if settings.metrics.token else None
        return cls(networks, token)

    @property
    def enabled(self) -> bool:
        return bool(self.trusted) or self.token is not None

    def decide(self, client_host: str | None, authorization: str | None) -> Decision:
        """'allow' a trusted address or the right bearer token; 'off' when nothing is configured; else 'refuse'."""
        if not self.enabled:
            return "off"
        if self._trusted_address(client_host) or self._right_token(authorization):
            return "allow"
        return "refuse"

    def _trusted_address(self, host: str | None) -> bool:
        if not host or not self.trusted:
            return False
        try:
            address = ipaddress.ip_address(host.split("%", 1)[0])  # an IPv6 zone is no part of the address
        except ValueError:
            return False  # not an address (a unix socket, a test client's name): never trusted
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
            address = address.ipv4_mapped  # ::ffff:10.0.0.5 on a dual-stack listener is 10.0.0.5
        return any(address.version == net.version and address in net for net in self.trusted)

    def _right_token(self, authorization: str | None) -> bool:
        if self.token is None or not authorization:
            return False
        scheme, _, value = authorization.partition(" ")
        if scheme.lower() != "bearer":
            return False
        return hmac.compare_digest(value.strip().encode(), self.token)
