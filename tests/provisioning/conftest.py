"""Fixtures of the provisioning tests: a Mosquitto with TLS and client certificates."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from provisioning.ca import CertificateAuthority
from provisioning.mosquitto import write_broker_config
from tests.provisioning.tlskit import TlsBroker
from tests.services import free_port, new_workdir


@pytest.fixture
def tls_broker(mosquitto_factory: Any, tmp_path: Path) -> TlsBroker:
    ca = CertificateAuthority.create(tmp_path / "ca", b"test-passphrase")
    out_dir = new_workdir("cces-broker-tls-")
    port = free_port()
    files = write_broker_config(out_dir, ca, ["127.0.0.1", "localhost"], port=port, bind="127.0.0.1")
    broker = mosquitto_factory(port=port, config_file=files.config)
    return TlsBroker(broker, files, ca, out_dir)
