"""Dead letters cannot grow the disk (issue 12, item 6): a payload keeps its first 64 KiB, size and SHA-256."""

from __future__ import annotations

import hashlib

import pytest

from protocol.topics import Topics
from tests.hubstack import IngestStack, device_client, provision, publish

pytestmark = pytest.mark.timeout(120)

CAP = 65_536


def test_a_huge_bad_payload_keeps_its_first_64_kib_its_size_and_its_digest(ingest_stack: IngestStack) -> None:
    device = "door-big-01"
    client = device_client(
        ingest_stack.broker, provision(ingest_stack.database_url, device, ingest_stack.broker_handle)
    )
    payload = b"not json " + bytes(range(256)) * 4000  # ~1 MB
    publish(client, Topics(device).events, payload)
    ingest_stack.wait_for("SELECT count(*) FROM ingest_rejects", 1, 30)
    kept, size, digest, reason = ingest_stack.query(
        "SELECT payload, payload_size, payload_sha256, reason FROM ingest_rejects"
    )[0]
    assert reason == "not_json"
    assert bytes(kept) == payload[:CAP] and size == len(payload)
    assert digest == hashlib.sha256(payload).hexdigest()
    client.disconnect()
