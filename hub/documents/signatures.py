"""Digital signatures of documents (issue 15 item 3) with pyHanko: PAdES signing of an outgoing PDF with
the agency's certificate at release, and the check of the signatures an incoming PDF carries.

- **Signing** (`AgencySigner`): the key and certificate (PEM or DER; a chain of intermediate CAs beside
  them) named by the [documents] settings `signing_key`, `signing_cert`, `signing_chain`,
  `signing_key_passphrase`. The signature is PAdES baseline B (`ETSI.CAdES.detached`), invisible, with
  the number and symbol as its reason and the date line's place as its location, so the signed bytes
  carry the number the register gave (Decree 30 Appendix I: the system assigns it, the agency signs).
  With a `Stamp` (the release passes one) the signature is visible: the signer's name, position, the
  number and the signing time (ISO 8601, Hà Nội) in a box at the foot of the last page (hub.documents.stamp).
- **Checking** (`check_pdf`): every signature field of the PDF, with its signer (the certificate's
  subject), whether the signed bytes are intact, whether the signature is valid, and whether the
  certificate chains to one of the trusted roots (`signing_trust_roots`, a PEM bundle; none set: nothing
  is trusted, integrity is still checked). No network fetching during a check (offline hub).

pyHanko's synchronous wrappers call `asyncio.run`, which refuses to run inside the UI's event loop:
these functions run pyHanko's coroutines on a loop of their own (a worker thread when one is running).
"""

from __future__ import annotations

import asyncio
import io
from collections.abc import Coroutine, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from hub.documents.models import DocumentError, SignatureCheck, both
from hub.documents.stamp import Stamp, field_spec, stamp_style
from hub.domain import Unavailable

T = TypeVar("T")
FIELD_NAME = "CCES-Agency"


class SigningUnavailable(Unavailable, DocumentError):
    """The agency's key or certificate cannot be loaded (503): nothing is released unsigned by accident."""


def _run(coro: Coroutine[Any, Any, T]) -> T:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    with ThreadPoolExecutor(1) as pool:  # inside an event loop (the UI): a loop of its own on a thread
        return pool.submit(asyncio.run, coro).result()


@dataclass(frozen=True, slots=True)
class AgencySigner:
    key_path: Path
    cert_path: Path
    chain_paths: tuple[Path, ...] = ()
    passphrase: bytes | None = None

    @classmethod
    def from_settings(cls, settings: object) -> AgencySigner | None:
        """From HubSettings' [documents] section; None when no key and certificate are set."""
        s = settings.documents  # type: ignore[attr-defined]
        if s.signing_key is None or s.signing_cert is None:
            return None
        secret = s.signing_key_passphrase.get_secret_value().encode() if s.signing_key_passphrase else None
        return cls(s.signing_key, s.signing_cert, (s.signing_chain,) if s.signing_chain else (), secret)

    def _signer(self) -> Any:
        from pyhanko.sign import signers

        try:
            loaded = signers.SimpleSigner.load(
                str(self.key_path), str(self.cert_path), ca_chain_files=[str(p) for p in self.chain_paths] or None,
                key_passphrase=self.passphrase,
            )  # fmt: skip
        except (OSError, ValueError) as exc:
            loaded, error = None, exc
        else:
            error = None
        if loaded is None:
            raise SigningUnavailable(
                both(
                    f"không đọc được khóa, chứng thư số của cơ quan: {error or 'sai định dạng'}",
                    f"the agency's key or certificate cannot be loaded: {error or 'bad format'}",
                )
            )
        return loaded

    def sign(
        self, data: bytes, *, reason: str, location: str | None, name: str | None = None, stamp: Stamp | None = None
    ) -> bytes:
        """The PDF signed (PAdES B-B, field `CCES-Agency`) as an incremental update: invisible, or with `stamp`
        drawn as the signature's appearance at the foot of the last page (hub.documents.stamp)."""
        from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
        from pyhanko.pdf_utils.misc import PdfReadError
        from pyhanko.sign import fields, signers

        signer = self._signer()
        meta = signers.PdfSignatureMetadata(
            field_name=FIELD_NAME, reason=reason[:200], location=(location or None), name=name,
            subfilter=fields.SigSeedSubFilter.PADES, md_algorithm="sha256",
        )  # fmt: skip
        try:
            writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
            out = io.BytesIO()
            if stamp is None:
                _run(signers.PdfSigner(meta, signer).async_sign_pdf(writer, output=out))
            else:
                with stamp_style(stamp) as style:
                    spec = field_spec(writer, FIELD_NAME)
                    pdf_signer = signers.PdfSigner(meta, signer, stamp_style=style, new_field_spec=spec)
                    _run(pdf_signer.async_sign_pdf(writer, output=out))
        except (PdfReadError, ValueError, KeyError) as exc:
            raise DocumentError(both(f"không ký được tệp PDF: {exc}", f"the PDF cannot be signed: {exc}")) from None
        return out.getvalue()


def load_trust_roots(paths: Sequence[Path]) -> list[Any]:
    """Certificates (PEM bundles or DER files) trusted as roots when checking signatures."""
    from asn1crypto import pem, x509

    roots = []
    for path in paths:
        raw = Path(path).read_bytes()
        blobs = [der for _, _, der in pem.unarmor(raw, multiple=True)] if pem.detect(raw) else [raw]
        roots += [x509.Certificate.load(der) for der in blobs]
    return roots


def check_pdf(data: bytes, trust_roots: Sequence[Any] = (), *, moment: datetime | None = None) -> list[SignatureCheck]:
    """Every signature of the PDF checked; [] for a PDF without signatures (or one pyHanko cannot read)."""
    from pyhanko.pdf_utils.misc import PdfReadError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation.pdf_embedded import async_validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        embedded = list(reader.embedded_regular_signatures)
    except (PdfReadError, ValueError, KeyError, TypeError, IndexError):
        return []
    found = []
    for sig in embedded:
        context = ValidationContext(
            trust_roots=list(trust_roots), allow_fetching=False, revocation_mode="soft-fail", moment=moment
        )
        try:
            cert = sig.signer_cert
            subject, issuer = cert.subject.human_friendly, cert.issuer.human_friendly
            common = cert.subject.native.get("common_name")
        except Exception:  # noqa: BLE001 - a malformed CMS: reported as not holding, never a crash
            subject, issuer, common = "?", None, None
        try:
            status = _run(async_validate_pdf_signature(sig, context))
            intact = bool(status.intact)
            valid = intact and bool(status.valid)  # a signature over changed bytes is not valid
            trusted = valid and bool(status.trusted)
            coverage = status.coverage.name if status.coverage is not None else None
            signed_at = status.signer_reported_dt
            summary = status.summary()
        except Exception as exc:  # noqa: BLE001 - a signature that cannot be checked does not hold
            intact = valid = trusted = False
            coverage, signed_at, summary = None, None, f"{type(exc).__name__}: {exc}"[:2000]
        found.append(
            SignatureCheck(
                sig.field_name, subject[:500], (str(common)[:200] if common else None),
                issuer[:500] if issuer else None, signed_at, intact, valid, trusted, coverage, summary[:2000],
            )
        )  # fmt: skip
    return found
