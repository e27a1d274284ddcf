"""The sections of the business modules (accounts, biometrics, devices, jobs, mail, notifications, imports,
assets, documents, backup, meetings): each read only by its own module."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar, Literal

from pydantic import Field, SecretStr, field_validator

from hub.settings.base import Section, flat


class AccountsSettings(Section):
    """[accounts]: the first admin, sessions and sign-in limits (hub.accounts)."""

    admin_password: SecretStr | None = Field(
        default=None, description="first 'admin' account's password; empty: generated into <data_dir>/admin-password"
    )
    session_idle_minutes: float = Field(default=30, gt=0, le=7 * 24 * 60, description="signed out after this idle time")
    session_max_hours: float = Field(default=12, gt=0, le=24 * 30, description="absolute session lifetime")
    session_cookie_secure: bool = Field(default=False, description="mark the session cookie Secure (hub behind HTTPS)")
    signin_max_failures: int = Field(default=5, ge=1, le=1000, description="per username within the window")
    signin_max_failures_per_ip: int = Field(default=20, ge=1, le=100_000, description="per client address")
    signin_window_minutes: float = Field(default=15, gt=0, le=24 * 60)
    signin_lockout_minutes: float = Field(default=15, gt=0, le=24 * 60, description="refused this long after the limit")
    password_min_length: int = Field(default=8, ge=6, le=128)


class BiometricsSettings(Section):
    """[biometrics]: enrollment photos, face model packs, office galleries (sinh trắc học)."""

    secret: SecretStr | None = Field(
        default=None,
        description="seals enrollment crops and embeddings at rest; generated into the data dir if empty",
        json_schema_extra=flat("biometrics_secret"),
    )
    models_dir: Path | None = Field(default=None, description="installed face model packs (CCES_MODELS_DIR)")
    default_model_pack: str = Field(
        default="yunet-sface", description="checks enrollment photos; the pack of devices that report none"
    )
    gallery_rebuild_interval_s: float = Field(
        default=900, ge=10, le=86_400, description="scheduled gallery rebuild (must divide a minute, hour or day)"
    )


class DevicesSettings(Section):
    """[devices]: the device endpoint (galleries over mutual TLS), device certificates, command re-sends."""

    FLAT_PREFIX: ClassVar[str] = "device_"
    https_port: int = Field(
        default=8443, ge=0, le=65535, description="galleries for devices, client certificate required; 0: off"
    )
    https_host: str | None = Field(default=None, description="its bind address; default: http_host")
    https_url: str | None = Field(
        default=None, description="the base URL devices fetch from; default: https://<host>:<port>"
    )
    cert_days: int = Field(
        default=365, ge=1, le=3650, description="validity of device certificates; devices renew at 2/3 of it"
    )
    ca_passphrase: SecretStr | None = Field(
        default=None,
        description="encrypts the device CA key at rest; generated into the data dir if empty",
        json_schema_extra=flat("ca_passphrase"),
    )
    command_resend_interval_s: float = Field(
        default=60,
        ge=1,
        le=86_400,
        description="unanswered device commands are sent again this often until expiry (divides a minute/hour/day)",
        json_schema_extra=flat("command_resend_interval_s"),
    )


class JobsSettings(Section):
    """[jobs]: the job queue (hub.jobs)."""

    FLAT_PREFIX: ClassVar[str] = "jobs_"
    concurrency: int = Field(default=2, ge=1, le=16, description="jobs one hub process runs at the same time")
    retry_attempts: int = Field(
        default=5, ge=1, le=100, description="attempts of a failing job before it stays failed (shown with its error)"
    )
    retry_backoff_s: float = Field(
        default=30, gt=0, le=3600, description="wait after a job's first failure; doubled after each next one"
    )
    keep_days: int = Field(default=14, ge=1, le=3650, description="finished jobs and their log are kept this long")
    stalled_after_s: float = Field(
        default=30, ge=15, le=3600, description="a worker silent this long is taken for dead; its jobs run again"
    )


class MailSettings(Section):
    """[mail]: outgoing notification mail over SMTP (hub.notifications.mail)."""

    FLAT_PREFIX: ClassVar[str] = "smtp_"
    host: str | None = Field(default=None, description="SMTP server of outgoing mail; empty: no mail (inbox only)")
    port: int = Field(default=25, ge=1, le=65535)
    username: str | None = Field(default=None, description="SMTP login; empty: none")
    password: SecretStr | None = None
    starttls: bool = Field(default=False, description="STARTTLS after connecting (port 587)")
    ssl: bool = Field(default=False, description="implicit TLS from the start (port 465)")
    sender: str = Field(
        default="CCES <cces@localhost>",
        max_length=300,
        description="the From of every mail",
        json_schema_extra=flat("smtp_from"),
    )
    timeout_s: float = Field(default=30, gt=0, le=600, description="per SMTP connection and command")
    max_attempts: int = Field(default=8, ge=1, le=100, description="tries of one mail before it stays failed")
    retry_backoff_s: float = Field(default=60, gt=0, le=86_400, description="wait after a mail's first failure")
    max_backoff_s: float = Field(default=21_600, gt=0, le=7 * 86_400, description="the longest wait between tries")
    send_interval_s: float = Field(
        default=15,
        ge=1,
        le=3600,
        description="the outbox is sent this often (divides a minute or an hour)",
        json_schema_extra=flat("mail_send_interval_s"),
    )

    @field_validator("username", "password")
    @classmethod
    def _login_is_ascii(cls, value: str | SecretStr | None) -> str | SecretStr | None:
        """smtplib sends the SMTP login as ASCII: a login it cannot send is refused here, not at the first mail."""
        text = value.get_secret_value() if isinstance(value, SecretStr) else value
        if text and not text.isascii():
            raise ValueError("the SMTP login must be ASCII (smtplib sends it so)")
        return value

    @property
    def domain(self) -> str:
        """The right side of Message-IDs: the sender's mail domain."""
        found = self.sender.rsplit("@", 1)[-1].strip("> ") if "@" in self.sender else ""
        return found or "cces.local"


class NotificationsSettings(Section):
    """[notifications]: action links in mails, and how long notifications are kept."""

    FLAT_PREFIX: ClassVar[str] = "notify_"
    action_ttl_hours: float = Field(default=72, gt=0, le=24 * 90, description="action links in mails expire after this")
    action_secret: SecretStr | None = Field(
        default=None, description="signs action links; empty: <data_dir>/secrets/notify-action-secret (shared dir)"
    )
    keep_days: int = Field(default=180, ge=1, le=3650, description="notifications and sent mail kept this long")


class ImportSettings(Section):
    """[imports]: what one employee or org file (CSV/XLSX) may hold (hub.people.sheets)."""

    FLAT_PREFIX: ClassVar[str] = "import_"
    max_file_mb: float = Field(default=10, gt=0, le=1024, description="largest file (CSV or XLSX) an import reads")
    max_rows: int = Field(default=20_000, ge=1, le=1_048_575, description="data rows per file (header aside)")
    max_columns: int = Field(default=64, ge=8, le=16_384, description="columns holding anything, per row")
    max_cell_chars: int = Field(default=1_000, ge=64, le=100_000, description="characters in one cell")
    reader_memory_mb: int = Field(
        default=512,
        ge=256,
        le=65_536,
        description="address space of the separate process that reads an XLSX file (openpyxl loads a workbook's"
        " styles and strings whole: a crafted 10 MB file could otherwise take gigabytes of the hub's memory)",
    )
    reader_seconds: float = Field(default=60, gt=0, le=3600, description="time allowed to that process")


class AssetsSettings(Section):
    """[assets]: the EPC each asset's tag carries (protocol.epc.assets) and the first year's wear."""

    FLAT_PREFIX: ClassVar[str] = "assets_"
    gs1_company_prefix: str | None = Field(
        default=None,
        pattern=r"^[0-9]{6,12}$",
        description="the agency's GS1 company prefix (893…): assets get GIAI-96/GIAI-202; empty: GID-96",
    )
    gid_manager: int | None = Field(
        default=None, ge=0, le=(1 << 28) - 1, description="GID-96 general manager number, without a GS1 prefix"
    )
    gid_class: int = Field(default=1, ge=0, le=(1 << 24) - 1, description="GID-96 object class of assets")
    epc_filter: int = Field(default=0, ge=0, le=7, description="GIAI filter value (0 all others)")
    first_year_wear: Literal["full", "months", "next"] = Field(
        default="full",
        description="the year an asset is put into use: full year's wear at 31 Dec, months in use / 12, or none",
    )


class DocumentsSettings(Section):
    """[documents]: files of incoming documents (hub.documents.files) and handling deadlines (issue 15)."""

    FLAT_PREFIX: ClassVar[str] = "documents_"
    max_file_mb: float = Field(default=50, gt=0, le=1024, description="largest file of a document")
    scan_command: str | None = Field(
        default=None,
        max_length=1000,
        description="virus scanner run on every uploaded file, {path} its name (exit 0 clean, 1 infected);"
        " e.g. 'clamdscan --no-summary --fdpass {path}'; empty: no scan",
    )
    scan_timeout_s: float = Field(default=60, gt=0, le=3600, description="time allowed to the virus scanner")
    ocr_languages: str = Field(
        default="vie", pattern=r"^[a-z_]{3,16}(\+[a-z_]{3,16}){0,3}$", description="Tesseract languages of OCR"
    )
    remind_days: int = Field(
        default=1, ge=0, le=30, description="working days before a handling deadline the handlers are reminded"
    )
    deadline_check_s: float = Field(
        default=900, ge=60, le=86400, description="how often deadlines are checked (reminders and escalation)"
    )
    signing_key: Path | None = Field(
        default=None, description="the agency's private key (PEM/DER) that signs outgoing PDFs at release (PAdES)"
    )
    signing_cert: Path | None = Field(default=None, description="the agency's certificate (PEM/DER) beside that key")
    signing_chain: Path | None = Field(
        default=None, description="the intermediate CA certificates of that certificate (a PEM bundle)"
    )
    signing_key_passphrase: SecretStr | None = Field(default=None, description="the private key's passphrase")
    signing_trust_roots: Path | None = Field(
        default=None,
        description="root CA certificates (a PEM bundle) trusted when checking signed incoming PDFs;"
        " none: signatures are checked for integrity and shown as not trusted",
    )


class BackupSettings(Section):
    """[backup]: scheduled backups, their retention and alert (hub.backup)."""

    FLAT_PREFIX: ClassVar[str] = "backup_"
    dir: Path | None = Field(
        default=None, description="where backups go (best another disk or machine); set: a backup every interval"
    )
    secrets_dir: Path | None = Field(
        default=None, description="the encrypted secrets of each backup go here instead, apart from the rest"
    )
    passphrase: SecretStr | None = Field(default=None, description="encrypts the secrets, signs the manifest")
    passphrase_file: Path | None = Field(default=None, description="a file holding the passphrase instead")
    interval_s: int = Field(default=86400, ge=3600, le=86400, description="scheduled backups: how often")
    keep_daily: int = Field(default=7, ge=0, le=366, description="retention: newest backup of N last days")
    keep_weekly: int = Field(default=4, ge=0, le=520, description="… of N last ISO weeks")
    keep_monthly: int = Field(default=12, ge=0, le=1200, description="… of N last months")
    alert_after_h: float = Field(default=24, gt=0, le=24 * 31, description="alert: no success this long")
    pg_bin: Path | None = Field(default=None, description="folder of pg_dump/pg_restore (default: found)")


class MeetingsSettings(Section):
    """[meetings]: paperless meetings (hub.meetings): releasing unattended bookings, the speakers' timer, papers sent
    in advance."""

    FLAT_PREFIX: ClassVar[str] = "meetings_"
    checkin_minutes: int = Field(
        default=15, ge=1, le=240, description="a booking nobody checked in to this long after its start is released"
    )
    release_check_s: float = Field(default=60, ge=10, le=3600, description="how often unattended bookings are sought")
    speaker_minutes: int = Field(
        default=3, ge=1, le=60, description="the floor's time limit when the chair gives no other (minutes)"
    )
    papers_days_before: int = Field(
        default=3, ge=0, le=10, description="papers go to the participants this many working days before a meeting"
    )
