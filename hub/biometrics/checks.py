"""Is this photo good enough to enroll someone from? One face, big, sharp, frontal.

Enrollment is stricter than the door: the door sees many frames of a person and votes, an
enrollment photo is the reference every one of those frames is compared with, for years. The
checks use the model pack's own detector and quality measures (`models.quality`), so a photo
is judged by the same eyes that will later look for that face.

A refusal names one reason with a message key the UI shows in Vietnamese and English
(`MESSAGES`); the measured figure goes in `detail` for the officer who wants to know more.

"Exactly one face" counts faces at least half the size of the largest: a passer-by far
behind the person does not make an ID photo unusable, a second person beside them does.
What is kept of an accepted photo is the face with a margin (`crop_jpeg`), never the photo:
enough to re-detect and re-align it with any pack later, nothing of the background.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # OpenCV and the models (insightface, onnxruntime) load when a photo is checked, not before:
    # the hub's ingest role imports this module's messages and never checks a photo (seconds of start-up)
    import numpy as np

    from models.engine import AnalysedFace, FaceEngine
    from models.quality import QualityPolicy


class Refusal(StrEnum):
    NO_FACE = "no_face"
    SEVERAL_FACES = "several_faces"
    TOO_SMALL = "too_small"
    BLURRY = "blurry"
    POSE = "pose"
    UNREADABLE = "unreadable"
    NO_CONSENT = "no_consent"


#: message key -> {language: text}; Vietnamese first (the UI's working language)
MESSAGES: dict[Refusal, dict[str, str]] = {
    Refusal.NO_FACE: {
        "vi": "Không tìm thấy khuôn mặt trong ảnh.",
        "en": "No face was found in the photo.",
    },
    Refusal.SEVERAL_FACES: {
        "vi": "Ảnh có nhiều khuôn mặt; cần ảnh chỉ có một người.",
        "en": "The photo shows several faces; use a photo of one person only.",
    },
    Refusal.TOO_SMALL: {
        "vi": "Khuôn mặt quá nhỏ; chụp gần hơn hoặc dùng ảnh có độ phân giải cao hơn.",
        "en": "The face is too small; move closer or use a higher-resolution photo.",
    },
    Refusal.BLURRY: {
        "vi": "Ảnh bị mờ; chụp lại ảnh rõ nét hơn.",
        "en": "The photo is blurred; take a sharper one.",
    },
    Refusal.POSE: {
        "vi": "Khuôn mặt không nhìn thẳng (nghiêng, quay hoặc cúi/ngửa); nhìn thẳng vào máy ảnh.",
        "en": "The face is not frontal (tilted, turned, or looking up or down); look straight at the camera.",
    },
    Refusal.UNREADABLE: {
        "vi": "Không đọc được tệp ảnh (chỉ nhận JPEG, PNG, BMP, WebP).",
        "en": "The file cannot be read as an image (JPEG, PNG, BMP or WebP only).",
    },
    Refusal.NO_CONSENT: {
        "vi": "Chưa ghi nhận sự đồng ý xử lý dữ liệu sinh trắc học của người này.",
        "en": "No consent to process this person's biometric data has been recorded.",
    },
}


@dataclass(frozen=True)
class EnrollmentPolicy:
    """Limits for enrollment photos (stricter than the door's `QualityPolicy`)."""

    min_face_px: float = 80.0
    min_sharpness: float = 40.0  # variance of the Laplacian of the 112x112 aligned crop
    max_yaw: float = 0.35
    max_roll_deg: float = 20.0
    max_pitch: float = 0.75
    other_face_ratio: float = 0.5  # a second face at least this fraction of the largest one's size counts
    max_bytes: int = 20 * 1024 * 1024
    max_pixels: int = 50_000_000
    crop_margin: float = 0.5  # of the face's size, on each side
    crop_max_side: int = 400
    crop_quality: int = 95

    def door_policy(self) -> QualityPolicy:
        """The same limits in the form `models.quality.assess` takes."""
        from models.quality import QualityPolicy

        return QualityPolicy(
            min_face_px=self.min_face_px,
            min_sharpness=self.min_sharpness,
            max_yaw=self.max_yaw,
            max_roll_deg=self.max_roll_deg,
            max_pitch=self.max_pitch,
        )


@dataclass(frozen=True)
class Measures:
    face_px: float
    sharpness: float
    yaw: float
    roll_deg: float
    pitch: float
    detector_score: float


@dataclass(frozen=True)
class PhotoCheck:
    """The verdict: accepted with the crop to keep, or refused with one reason."""

    refusal: Refusal | None
    detail: str
    crop_jpeg: bytes | None = None
    measures: Measures | None = None

    @property
    def accepted(self) -> bool:
        return self.refusal is None

    def message(self, language: str = "vi") -> str:
        if self.refusal is None:
            return ""
        texts = MESSAGES[self.refusal]
        return texts.get(language, texts["en"])


def decode_image(data: bytes, policy: EnrollmentPolicy) -> np.ndarray | None:
    """BGR pixels, or None when the bytes are not an image we accept (EXIF orientation applied)."""
    import cv2
    import numpy as np

    if not data or len(data) > policy.max_bytes:
        return None
    image = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    if image is None or image.shape[0] * image.shape[1] > policy.max_pixels:
        return None
    return image


def check_photo(engine: FaceEngine, data: bytes, policy: EnrollmentPolicy | None = None) -> PhotoCheck:
    policy = policy or EnrollmentPolicy()
    image = decode_image(data, policy)
    if image is None:
        return PhotoCheck(Refusal.UNREADABLE, f"not a decodable image of at most {policy.max_bytes // 2**20} MB")
    faces = engine.detect(image)
    if not faces:
        return PhotoCheck(Refusal.NO_FACE, "the detector found no face")
    largest = min(faces[0].width, faces[0].height)
    big = [f for f in faces if min(f.width, f.height) >= policy.other_face_ratio * largest]
    if len(big) > 1:
        return PhotoCheck(Refusal.SEVERAL_FACES, f"{len(big)} faces of similar size")
    analysed = engine.prepare(image, faces[0])
    measures = _measures(analysed)
    refusal = _gate(measures, policy)
    if refusal is not None:
        return PhotoCheck(refusal[0], refusal[1], measures=measures)
    return PhotoCheck(None, "accepted", crop_jpeg=face_crop(image, analysed, policy), measures=measures)


def _measures(analysed: AnalysedFace) -> Measures:
    q = analysed.quality
    return Measures(q.size_px, q.sharpness, q.yaw, q.roll_deg, q.pitch, analysed.face.score)


def _gate(m: Measures, policy: EnrollmentPolicy) -> tuple[Refusal, str] | None:
    """The first failing gate: size before pose before blur (a tiny face is blurred when aligned)."""
    if m.face_px < policy.min_face_px:
        return Refusal.TOO_SMALL, f"face {m.face_px:.0f} px < {policy.min_face_px:.0f} px"
    if abs(m.yaw) > policy.max_yaw:
        return Refusal.POSE, f"turned sideways (yaw {m.yaw:+.2f}, at most {policy.max_yaw})"
    if abs(m.roll_deg) > policy.max_roll_deg:
        return Refusal.POSE, f"head tilted ({m.roll_deg:+.0f} deg, at most {policy.max_roll_deg:.0f})"
    if abs(m.pitch) > policy.max_pitch:
        return Refusal.POSE, f"looking up or down (pitch {m.pitch:+.2f}, at most {policy.max_pitch})"
    if m.sharpness < policy.min_sharpness:
        return Refusal.BLURRY, f"sharpness {m.sharpness:.0f} < {policy.min_sharpness:.0f}"
    return None


def face_crop(image: np.ndarray, analysed: AnalysedFace, policy: EnrollmentPolicy) -> bytes:
    """The face with a margin, at most `crop_max_side` pixels, as JPEG: what the hub keeps."""
    import cv2
    import numpy as np

    x1, y1, x2, y2 = analysed.face.box
    side = max(x2 - x1, y2 - y1)
    pad = policy.crop_margin * side
    h, w = image.shape[:2]
    left, top = max(0, int(x1 - pad)), max(0, int(y1 - pad))
    right, bottom = min(w, int(np.ceil(x2 + pad))), min(h, int(np.ceil(y2 + pad)))
    crop = image[top:bottom, left:right]
    scale = policy.crop_max_side / max(crop.shape[:2])
    if scale < 1:
        crop = cv2.resize(crop, (round(crop.shape[1] * scale), round(crop.shape[0] * scale)), cv2.INTER_AREA)
    ok, jpeg = cv2.imencode(".jpg", crop, [cv2.IMWRITE_JPEG_QUALITY, policy.crop_quality])
    if not ok:  # pragma: no cover - OpenCV encodes any non-empty BGR image
        raise ValueError("could not encode the face crop")
    return jpeg.tobytes()


def embed_crop(engine: FaceEngine, crop_jpeg: bytes) -> np.ndarray:
    """The unit embedding of a kept crop for `engine`'s pack: detect, align, embed — the door's path.

    Raises ValueError when the pack finds no face in it (a pack much weaker than the one that
    accepted the photo): the caller leaves that photo out of the gallery and reports it.
    """
    import cv2
    import numpy as np

    image = cv2.imdecode(np.frombuffer(crop_jpeg, np.uint8), cv2.IMREAD_COLOR)
    if image is None:
        raise ValueError("stored crop is not an image")
    faces = engine.detect(image)
    if not faces:
        raise ValueError(f"pack {engine.manifest.pack_id} finds no face in the stored crop")
    analysed = engine.prepare(image, faces[0])
    vector = engine.embed([analysed])[0].astype(np.float32)
    return vector / max(float(np.linalg.norm(vector)), 1e-12)
