"""The files of a document (issue 15 item 10): what is accepted, how it is checked, how its text is read.

- **Size**: at most `FileRules.max_bytes` (CCES_DOCUMENTS_MAX_FILE_MB) per file, at most `MAX_FILES` files.
- **Type by the bytes**: the content type is sniffed from the file's magic bytes (PDF, JPEG, PNG, TIFF,
  Office Open XML, OpenDocument, legacy Office), never taken from the sender's claim; the file name's
  extension must agree with it (a `.pdf` that is an executable is refused). The stored type is the
  sniffed one, so a preview never serves bytes under a type they are not.
- **Virus scanner hook**: CCES_DOCUMENTS_SCAN_COMMAND names a command (e.g. `clamdscan --no-summary
  --fdpass {path}`); the file is written to a private temporary file and `{path}` replaced by its
  name (or appended when absent). Exit 0 is clean, 1 is infected (refused), anything else or a
  timeout is a scanner failure (refused as unavailable: a file is never let in unscanned).
- **Text**: a PDF's text layer by pypdf; a scan (an image, or a PDF without text whose pages are
  images) by Tesseract OCR in Vietnamese (`tesseract … -l vie`; Debian's tesseract-ocr and
  tesseract-ocr-vie), run as a job (hub.documents.jobs), never in the registering request.
"""

from __future__ import annotations

import io
import os
import shlex
import shutil
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from hub.documents.models import DocumentError, both
from hub.domain import Unavailable

MAX_FILES = 20
MAX_PAGES_OCR = 50  # pages of a scanned PDF read by OCR at most
MAX_TEXT = 2_000_000  # characters of extracted text kept

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
TIFF = "image/tiff"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
DOC = "application/msword"
XLS = "application/vnd.ms-excel"

#: accepted extensions per sniffed type (the name must end with one of them)
EXTENSIONS = {
    PDF: (".pdf",), JPEG: (".jpg", ".jpeg"), PNG: (".png",), TIFF: (".tif", ".tiff"), DOCX: (".docx",),
    XLSX: (".xlsx",), PPTX: (".pptx",), ODT: (".odt",), ODS: (".ods",), DOC: (".doc",), XLS: (".xls",),
}  # fmt: skip
IMAGES = (JPEG, PNG, TIFF)
PREVIEWABLE = (PDF, JPEG, PNG)  # the browser shows these inline; the others are downloaded


class FileRefused(DocumentError):
    """A file the rules refuse (size, type, a virus); nothing was stored (422)."""


class ScannerFailed(Unavailable, DocumentError):
    """The virus scanner did not answer clean or infected (503): the file is not let in unscanned."""


@dataclass(frozen=True, slots=True)
class Upload:
    """A file as received: its name and bytes (the sender's content type is not trusted)."""

    name: str
    data: bytes


@dataclass(frozen=True, slots=True)
class CheckedFile:
    name: str
    data: bytes
    content_type: str


@dataclass(frozen=True, slots=True)
class FileRules:
    max_bytes: int = 50 * 1024 * 1024
    scan_command: str | None = None
    scan_timeout_s: float = 60.0
    ocr_languages: str = "vie"
    ocr_timeout_s: float = 120.0
    trust_roots: Path | None = None  # root CAs trusted when checking a signed PDF (signing_trust_roots)

    @classmethod
    def from_settings(cls, settings: object) -> FileRules:
        """From HubSettings' [documents] section."""
        s = settings.documents  # type: ignore[attr-defined]
        return cls(
            max_bytes=int(s.max_file_mb * 1024 * 1024), scan_command=s.scan_command,
            scan_timeout_s=s.scan_timeout_s, ocr_languages=s.ocr_languages, trust_roots=s.signing_trust_roots,
        )  # fmt: skip


def sniff(data: bytes) -> str | None:
    """The content type by the magic bytes; None for anything not accepted."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data[:4] in (b"II*\x00", b"MM\x00*"):
        return TIFF
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return DOC  # an OLE2 compound file: .doc or .xls, told apart by the name (check_file)
    if data.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    return None


def _zip_kind(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                kind = archive.read("mimetype")[:100].decode("ascii", "replace").strip()
                return {ODT: ODT, ODS: ODS}.get(kind)
    except (zipfile.BadZipFile, OSError, ValueError, KeyError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    for prefix, kind in (("word/", DOCX), ("xl/", XLSX), ("ppt/", PPTX)):
        if any(n.startswith(prefix) for n in names):
            return kind
    return None


def check_file(upload: Upload, rules: FileRules) -> CheckedFile:
    """The file's name, size and sniffed type checked; FileRefused names the file and what is wrong."""
    name = (upload.name or "").strip().replace("\\", "/").rsplit("/", 1)[-1]
    if not name or len(name) > 255 or any(ord(c) < 32 for c in name):
        raise FileRefused(
            both(
                "tên tệp trống, quá dài hoặc có ký tự điều khiển",
                "a file name is empty, too long or holds control characters",
            )
        )
    if not upload.data:
        raise FileRefused(both(f"tệp {name} rỗng", f"file {name} is empty"))
    if len(upload.data) > rules.max_bytes:
        mb = rules.max_bytes / 1_048_576
        raise FileRefused(
            both(f"tệp {name} quá lớn (tối đa {mb:g} MB)", f"file {name} is too large (at most {mb:g} MB)")
        )
    kind = sniff(upload.data)
    lower = name.lower()
    if kind == DOC and lower.endswith(".xls"):
        kind = XLS
    if kind is None or not lower.endswith(EXTENSIONS[kind]):
        raise FileRefused(
            both(
                f"tệp {name} không phải PDF, ảnh quét (JPEG, PNG, TIFF) hay tệp Office,"
                " hoặc phần mở rộng không khớp nội dung",
                f"file {name} is not a PDF, a scan (JPEG, PNG, TIFF) or an Office file,"
                " or its extension does not match its content",
            )
        )
    return CheckedFile(name, upload.data, kind)


def scan(file: CheckedFile, rules: FileRules, work_dir: Path | None = None) -> None:
    """Run the configured virus scanner on the file; nothing when none is configured."""
    if not rules.scan_command:
        return
    with tempfile.TemporaryDirectory(prefix="cces-scan-", dir=work_dir) as folder:
        path = Path(folder) / "upload"
        path.write_bytes(file.data)
        os.chmod(path, 0o644)  # a scanner daemon under its own user must read it
        os.chmod(folder, 0o755)
        args = shlex.split(rules.scan_command)
        args = [a.replace("{path}", str(path)) for a in args] if "{path}" in rules.scan_command else [*args, str(path)]
        try:
            done = subprocess.run(args, capture_output=True, timeout=rules.scan_timeout_s, check=False)  # noqa: S603
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise ScannerFailed(
                both(
                    f"không quét được virus tệp {file.name}: {type(exc).__name__}",
                    f"the virus scan of {file.name} failed: {type(exc).__name__}",
                )
            ) from None
    if done.returncode == 1:
        raise FileRefused(
            both(f"tệp {file.name} nhiễm mã độc, không nhận", f"file {file.name} holds malware and is refused")
        )
    if done.returncode != 0:
        raise ScannerFailed(
            both(
                f"không quét được virus tệp {file.name} (mã {done.returncode})",
                f"the virus scan of {file.name} failed (exit {done.returncode})",
            )
        )


# --- text ----------------------------------------------------------------------------------------------


class TextUnavailable(RuntimeError):
    """The text could not be read now (no Tesseract installed, a timeout): the job fails and is retried."""


def tesseract_available(languages: str = "vie") -> bool:
    """Tesseract is installed with the data of every language named (`vie`, `vie+eng`)."""
    if shutil.which("tesseract") is None:
        return False
    try:
        done = subprocess.run(["tesseract", "--list-langs"], capture_output=True, timeout=30, check=False)  # noqa: S607
    except (OSError, subprocess.TimeoutExpired):
        return False
    installed = set(done.stdout.decode("utf-8", "replace").split())
    return all(lang in installed for lang in languages.split("+"))


def ocr_image(data: bytes, rules: FileRules) -> str:
    """Tesseract on one image, in the configured languages (Vietnamese by default)."""
    if shutil.which("tesseract") is None:
        raise TextUnavailable("tesseract is not installed (Debian: tesseract-ocr tesseract-ocr-vie)")
    try:
        done = subprocess.run(  # noqa: S603
            ["tesseract", "stdin", "stdout", "-l", rules.ocr_languages, "--psm", "3"],  # noqa: S607
            input=data, capture_output=True, timeout=rules.ocr_timeout_s, check=False,
        )  # fmt: skip
    except subprocess.TimeoutExpired as exc:
        raise TextUnavailable(f"tesseract took longer than {rules.ocr_timeout_s:g} s") from exc
    if done.returncode != 0:
        raise TextUnavailable(f"tesseract failed: {done.stderr.decode('utf-8', 'replace')[-300:]}")
    return done.stdout.decode("utf-8", "replace")


def pdf_text(data: bytes) -> str:
    """The PDF's text layer (pypdf); empty for a scan without one."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return "\n".join((page.extract_text() or "") for page in reader.pages).strip()


def pdf_images(data: bytes) -> list[bytes]:
    """The images of a scanned PDF's pages (one per page in a typical scan), as PNG or JPEG bytes."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    found: list[bytes] = []
    for page in reader.pages[:MAX_PAGES_OCR]:
        for image in page.images:
            found.append(image.data)
    return found


def extract_text(data: bytes, content_type: str, rules: FileRules) -> tuple[str | None, str | None]:
    """(text, source): a PDF's text layer ('pdf'), else OCR of a scan ('ocr'); (None, None) for Office files."""
    if content_type == PDF:
        text = pdf_text(data)
        if text:
            return text[:MAX_TEXT], "pdf"
        pages = [ocr_image(image, rules) for image in pdf_images(data)]
        return "\n".join(pages).strip()[:MAX_TEXT], "ocr"
    if content_type in IMAGES:
        return ocr_image(data, rules).strip()[:MAX_TEXT], "ocr"
    return None, None
