"""The agent's one configuration object.

Read from environment variables (`CCES_AGENT_…`, nested with `__`, e.g.
`CCES_AGENT_SIMULATED__ENABLED=true`) over a TOML file over the defaults written here. A
device is configured by a file dropped next to it by provisioning; the environment exists so
that a systemd unit or a test can override one value (typically the password) without editing
that file. Unknown keys are errors: a typo in a device's config must not be silently ignored.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from edge_agent.rfid_settings import RfidSettings
from protocol.broker_url import BrokerAddress
from protocol.topics import check_device_id

ENV_PREFIX = "CCES_AGENT_"


class ConfigError(ValueError):
    """A configuration a person must fix; the message is one line naming the file and the field."""


def _software_version() -> str:
    try:
        return version("cces")
    except PackageNotFoundError:
        return "0.0.0"


class SimulatedSettings(BaseModel):
    """The simulated capability: emits recognitions without a camera (demos, tests, load)."""

    model_config = ConfigDict(extra="forbid")

    enabled: bool = False
    interval_s: float = Field(default=1.0, gt=0, le=3600)
    event_type: Literal["attendance.face", "face.unknown"] = "attendance.face"
    count: int | None = Field(
        default=None,
        ge=0,
        description="stop once the device has made N events in its life (by its persistent seq), so a"
        " restarted agent finishes the same run instead of starting over; None = forever",
    )
    person_ids: list[str] = Field(
        default_factory=lambda: ["sim-0001", "sim-0002", "sim-0003"], min_length=1, max_length=10_000
    )


class CameraSettings(BaseModel):
    """Where the faceid capability reads frames: exactly one of `file`, `device` or `gstreamer`."""

    model_config = ConfigDict(extra="forbid")

    file: Path | None = Field(default=None, description="a video file played as the camera")
    realtime: bool = Field(default=True, description="file: play at its own frame rate (false: as fast as possible)")
    loop: bool = Field(default=False, description="file: start again at the end (false: the capability finishes)")
    device: int | str | None = Field(
        default=None, description="a V4L2 index (0) or a URL / device path for cv2.VideoCapture"
    )
    gstreamer: str | None = Field(
        default=None,
        min_length=1,
        description="a GStreamer source pipeline without sink, e.g. 'nvarguscamerasrc ! video/x-raw(memory:NVMM),"
        "width=1280,height=720 ! nvvidconv' (a Jetson CSI camera); CCES appends the BGR conversion and the sink",
    )
    width: int = Field(default=1280, ge=16, le=7680, description="gstreamer: width of the frames delivered")
    height: int = Field(default=720, ge=16, le=4320, description="gstreamer: height of the frames delivered")
    reconnect_min_s: float = Field(default=0.5, gt=0, le=60)
    reconnect_max_s: float = Field(default=30.0, gt=0, le=3600)

    @model_validator(mode="after")
    def _one_source(self) -> CameraSettings:
        if sum(v is not None for v in (self.file, self.device, self.gstreamer)) != 1:
            raise ValueError(
                "set exactly one of camera.file (a video file), camera.device (index or URL)"
                " or camera.gstreamer (a pipeline)"
            )
        if isinstance(self.device, str) and "!" in self.device:
            raise ValueError("camera.device looks like a GStreamer pipeline; put it in camera.gstreamer")
        return self


class FaceIdSettings(BaseModel):
    """The faceid capability: camera -> detect/track/recognise -> attendance.face / face.unknown."""

    model_config = ConfigDict(extra="forbid")

    enabled: bool = False
    camera: CameraSettings | None = None
    models_dir: Path | None = Field(default=None, description="folder of installed packs; default: CCES_MODELS_DIR")
    pack: str = Field(default="yunet-sface", min_length=1, max_length=64)
    gallery_dir: Path | None = Field(
        default=None, description="<person_id>/*.jpg, turned into embeddings at start (photos are not kept)"
    )
    gallery_file: Path | None = Field(
        default=None,
        description="an encrypted gallery (`cces faces gallery-build`); reloaded when a new version replaces it",
    )
    gallery_key_file: Path | None = Field(default=None, description="its key (0600); default: <gallery_file>.key")
    gallery_check_s: float = Field(default=5.0, gt=0, le=3600, description="how often to look for a new gallery")
    liveness_model: Path | None = Field(
        default=None,
        description="an anti-spoofing ONNX model (manifest: <model>.json); default: multi-frame consistency",
    )
    providers: list[str] | None = Field(
        default=None,
        description="onnxruntime execution providers, best first (e.g. ['TensorrtExecutionProvider']);"
        " default: the best this machine has. A listed provider that is missing is an error",
    )
    provider_fallback: bool = Field(
        default=False, description="run on the CPU (logged) if onnxruntime cannot start a requested accelerator"
    )
    threshold: float | None = Field(default=None, gt=-1.0, lt=1.0, description="cosine; default: the pack's")
    cooldown_s: float = Field(default=60.0, ge=0, le=86_400, description="one record per person per cooldown")
    direction: Literal["in", "out"] | None = None
    snapshot: bool = Field(default=True, description="attach a small JPEG of the face to each event")

    @model_validator(mode="after")
    def _complete_when_enabled(self) -> FaceIdSettings:
        if self.gallery_dir is not None and self.gallery_file is not None:
            raise ValueError("set only one of faceid.gallery_dir (photos) or faceid.gallery_file (encrypted gallery)")
        if self.gallery_key_file is not None and self.gallery_file is None:
            raise ValueError("faceid.gallery_key_file needs faceid.gallery_file")
        if self.enabled:
            missing = [name for name in ("camera",) if getattr(self, name) is None]
            if self.gallery_dir is None and self.gallery_file is None:
                missing.append("gallery_dir (or gallery_file)")
            if missing:
                raise ValueError(f"faceid is enabled but {' and '.join(missing)} is not set")
        return self


class ScreenSettings(BaseModel):
    """The door terminal's screen feed (`edge_agent.screen`): greeting state and camera preview over
    HTTP for the greeting page (`cces terminal`) on the same device."""

    model_config = ConfigDict(extra="forbid")

    enabled: bool = False
    host: str = Field(default="127.0.0.1", description="keep it on loopback: the feed shows faces and names")
    port: int = Field(default=8765, ge=1, le=65535)
    max_fps: float = Field(default=10.0, gt=0, le=60, description="preview JPEGs encoded per second, at most")
    preview_width: int = Field(default=640, ge=64, le=3840, description="preview frames are downscaled to this")
    jpeg_quality: int = Field(default=70, ge=10, le=95)
    greeting_s: float = Field(default=5.0, gt=0, le=600, description="how long a greeting stays on screen")


class DisplaySettings(BaseModel):
    """A meeting room's display (`edge_agent.capabilities.display`): the room's retained display state, served
    as a full-screen page on the device. The hub's `display_room` (its config for this device) wins over `room`."""

    model_config = ConfigDict(extra="forbid")

    enabled: bool = False
    room: str | None = Field(
        default=None, pattern=r"^[a-z0-9-]{1,64}$", description="the room id until the hub's config names one"
    )
    host: str = Field(default="127.0.0.1", description="where the page listens (the screen's browser is on the device)")
    port: int = Field(default=8766, ge=1, le=65535)
    stale_grace_s: float = Field(
        default=60.0, ge=0, le=3600, description="a state past its valid_until by this much shows the offline notice"
    )


class RenewalSettings(BaseModel):
    """Renewing the device certificate before it expires (`edge_agent.renewal`)."""

    model_config = ConfigDict(extra="forbid")

    enabled: bool = Field(default=True, description="renew when a certificate and `hub_device_url` are configured")
    at_fraction: float = Field(default=2 / 3, gt=0, lt=1, description="renew once this share of the lifetime passed")
    check_s: float = Field(default=3600.0, gt=0, le=86_400, description="how often to look at the certificate")
    retry_s: float = Field(default=300.0, gt=0, le=86_400, description="wait after a failed attempt")


class AgentSettings(BaseSettings):
    """Everything one agent process needs; built by `AgentSettings.load`."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_nested_delimiter="__",
        extra="forbid",
    )

    device_id: str = Field(description="[a-z0-9-]{3,64}; also the MQTT client id and topic segment")
    mqtt_url: str = Field(
        default="mqtt://127.0.0.1:1883", description="mqtt://host:port, or mqtts:// (port 8883 by default) for TLS"
    )
    username: str | None = None
    password: SecretStr | None = None
    tls_ca_file: Path | None = Field(default=None, description="CA bundle for mqtts; default: the system's")
    tls_cert_file: Path | None = Field(default=None, description="device certificate (mutual TLS)")
    tls_key_file: Path | None = None
    data_dir: Path = Field(default=Path("/var/lib/cces-agent"), description="the outbox lives here")
    telemetry_interval_s: float = Field(default=30.0, gt=0, le=3600)
    outbox_max_bytes: int = Field(default=64 * 1024 * 1024, ge=4096)
    max_inflight: int = Field(default=200, ge=1, le=65_000)
    keepalive_s: int = Field(default=30, ge=5, le=3600)
    reconnect_min_delay_s: int = Field(default=1, ge=1, le=60)
    reconnect_max_delay_s: int = Field(default=30, ge=1, le=3600)
    await_receipts: bool = Field(
        default=True,
        description=(
            "keep each event until the hub's commit receipt (end to end), not just the broker's PUBACK: brokers were"
            " measured losing acknowledged messages. Turn off only for a broker with no CCES hub behind it"
        ),
    )
    receipt_timeout_s: float = Field(default=30.0, gt=0, le=3600, description="publish again when no receipt came")
    software_version: str = Field(default_factory=_software_version, max_length=64)
    hub_device_url: str | None = Field(
        default=None, description="https://host:port of the hub's device endpoint (certificate renewal, model packs)"
    )
    renewal: RenewalSettings = Field(default_factory=RenewalSettings)
    simulated: SimulatedSettings = Field(default_factory=SimulatedSettings)
    faceid: FaceIdSettings = Field(default_factory=FaceIdSettings)
    screen: ScreenSettings = Field(default_factory=ScreenSettings)
    display: DisplaySettings = Field(default_factory=DisplaySettings)
    rfid: RfidSettings = Field(default_factory=RfidSettings)

    @field_validator("device_id")
    @classmethod
    def _check_device_id(cls, value: str) -> str:
        return check_device_id(value)

    @field_validator("mqtt_url")
    @classmethod
    def _check_mqtt_url(cls, value: str) -> str:
        BrokerAddress.parse(value)  # raises ValueError with a message a person can act on
        return value

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # `load` passes the TOML file's contents as init values; env vars must win over them
        return env_settings, init_settings

    @classmethod
    def load(cls, path: Path | None) -> AgentSettings:
        """Settings from `CCES_AGENT_*` env vars over the TOML file at `path` (None: env only).

        Raises ConfigError with a one-line message on a missing/unreadable/invalid file or value.
        """
        where = f"config file {path}" if path is not None else f"agent settings ({ENV_PREFIX}* env)"
        values: dict[str, Any] = {}
        if path is not None:
            if not path.is_file():
                raise ConfigError(f"config file not found: {path}")
            try:
                values = TomlConfigSettingsSource(cls, toml_file=path)()
            except (OSError, ValueError) as exc:  # tomllib.TOMLDecodeError is a ValueError
                detail = " ".join(str(exc).split())
                raise ConfigError(f"cannot read {where}: {detail}") from exc
        try:
            return cls(**values)
        except ValidationError as exc:
            raise ConfigError(f"{where}: {_describe(exc)}") from exc

    @property
    def outbox_path(self) -> Path:
        return self.data_dir / "outbox.sqlite3"

    @property
    def broker(self) -> BrokerAddress:
        """The parsed `mqtt_url`; its `url` has no credentials, so it is the one to log."""
        return BrokerAddress.parse(self.mqtt_url)

    @property
    def mqtt_username(self) -> str | None:
        """`username`, else the one in the URL (`mqtt://user:pass@host`)."""
        return self.username if self.username is not None else self.broker.username

    @property
    def mqtt_password(self) -> str | None:
        if self.password is not None:
            return self.password.get_secret_value()
        return self.broker.password


def _describe(error: ValidationError) -> str:
    """Every field error on one line: `field.path: message; …`."""
    parts = []
    for item in error.errors()[:5]:
        field = ".".join(str(p) for p in item["loc"]) or "(root)"
        message = " ".join(str(item["msg"]).split())
        parts.append(f"{field}: {message}")
    more = len(error.errors()) - 5
    if more > 0:
        parts.append(f"and {more} more")
    return "; ".join(parts)
