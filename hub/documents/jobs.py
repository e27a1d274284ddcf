"""The documents module's work on the job queue (hub.jobs).

- `documents.read_text`: the text of new files (then in the document's search entry, hub.search) —
  a PDF's text layer (pypdf), OCR of scans in Vietnamese
  (Tesseract). It runs on the data dir's storage queue (the files are that dir's), is deferred after
  each registration that brought files and runs every minute for anything missed; each file is claimed
  with FOR UPDATE SKIP LOCKED, so two workers never read the same one. A file Tesseract cannot read now
  (not installed, a timeout) stays pending and the job fails, to be retried with backoff and shown on
  the jobs page; a file that cannot be read at all (a broken PDF) is marked failed with its error.
- `documents.case_files_due`: once a day (08:00 in Hà Nội), the keepers and văn thư of closed case files due for
  hand-over within the warning days, or overdue, are told once (hub.documents.casefiles.warnings).
- `documents.deadlines`: reminders before a handling deadline and escalation after it
  (hub.documents.handling.service), every CCES_DOCUMENTS_DEADLINE_CHECK_S.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import psycopg
from psycopg_pool import ConnectionPool

from hub.documents import repository as repo
from hub.documents.casefiles import warnings as casefile_warnings
from hub.documents.files import FileRules, TextUnavailable, extract_text
from hub.documents.indexing import document_entry
from hub.documents.signatures import AgencySigner
from hub.files import ContentStore
from hub.jobs.models import STORAGE_PREFIX, JobSpec
from hub.search import index as search_index

if TYPE_CHECKING:
    from hub.runtime import HubRuntime

log = logging.getLogger(__name__)

READ_TEXT = "documents.read_text"
READ_TEXT_EVERY_S = 60.0


def read_pending_texts(pool: ConnectionPool, store: ContentStore, rules: FileRules, limit: int = 100) -> int:
    """Read the text of up to `limit` pending files, one transaction each; how many were read."""
    done = 0
    for _ in range(limit):
        with pool.connection() as conn, conn.transaction():
            claimed = repo.claim_pending_file(conn)
            if claimed is None:
                break
            file_id, digest, content_type = claimed
            try:
                text, source = extract_text(store.get(digest), content_type, rules)
            except TextUnavailable:
                raise  # stays pending: the job is retried
            except Exception as exc:  # a file that cannot be read (broken PDF, image); recorded, not retried
                log.warning("documents: the text of file %s cannot be read: %s", file_id, exc)
                repo.set_file_text(conn, file_id, "failed", None, None, f"{type(exc).__name__}: {exc}"[:500])
                continue
            repo.set_file_text(conn, file_id, "done" if text is not None else "none", text, source, None)
            if text:
                reindex(conn, file_id)
            done += 1
    return done


def reindex(conn: psycopg.Connection, file_id: int) -> None:
    """The document's search entry again, its body now holding its files' text (hub.search)."""
    document_id = repo.document_of_file(conn, file_id)
    document = repo.document(conn, document_id) if document_id is not None else None
    found = repo.issuer(conn, document.unit_code) if document is not None else None
    if document is None or found is None:
        return
    search_index.put(conn, document_entry(document, found[0], text=repo.files_text(conn, document.id)))


def domain_jobs(runtime: HubRuntime) -> list[JobSpec]:
    """The documents domain's jobs (hub.domains); also attaches the file rules and store to the service."""
    from hub.documents.handling.jobs import deadline_jobs
    from hub.jobs.queue import storage_queue

    assert runtime.services is not None and runtime.jobs is not None
    s = runtime.settings
    documents = runtime.services.documents
    documents.file_rules = FileRules.from_settings(s)
    documents.store = ContentStore(s.files_dir)
    documents.work_dir = s.data_dir
    runtime.services.outgoing.signer = AgencySigner.from_settings(s)  # signs outgoing PDFs at release (PAdES)
    queue = storage_queue(s.data_dir)
    jobs = runtime.jobs
    documents.defer_text = lambda: jobs.defer(READ_TEXT)
    store, rules, pool = documents.store, documents.file_rules, documents.pool
    storage_id = queue.removeprefix(STORAGE_PREFIX)
    specs = [
        JobSpec(READ_TEXT, lambda: read_pending_texts(pool, store, rules), queue, every_s=READ_TEXT_EVERY_S,
                periodic_id=storage_id),
    ]  # fmt: skip
    return specs + casefile_warnings.warning_jobs(documents.casefiles) + deadline_jobs(runtime)
