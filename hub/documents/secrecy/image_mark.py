"""The viewer's name, unit and the time stamped on a secret document's image (JPEG, PNG, TIFF) as it is handed out
(issue 15 item 6), like hub.documents.secrecy.watermark does for PDFs.

Each image (each page of a multi-page TIFF scan) gets two marks drawn with Pillow in DejaVu Sans (Vietnamese
letters): the line tiled over the whole picture in translucent grey, row after row, so a crop still names the
viewer; and a dark band across the foot of the picture with the line in white, so it cannot be missed. The image
keeps its format, size and resolution (dpi); the original in the content store is never changed. An image that
cannot be decoded is refused (409), never handed out unstamped.
"""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, ImageSequence, UnidentifiedImageError

from hub.documents.models import both
from hub.documents.secrecy.watermark import CannotWatermark
from hub.reports.export_pdf import PdfFonts

FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/tiff": "TIFF"}
MAX_PIXELS = 100_000_000  # a larger picture (a decompression bomb, or no scan) is refused
BAND_SHARE = 0.06  # the band's height, of the picture's height (at least 18 px)


def _font(path: Path, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(path), max(8, size))


def _marked(frame: Image.Image, text: str, font_path: Path) -> Image.Image:
    alpha = frame.mode in ("RGBA", "LA") or (frame.mode == "P" and "transparency" in frame.info)
    base = frame.convert("RGBA")
    w, h = base.size
    layer = Image.new("RGBA", base.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    tile_font = _font(font_path, min(w, h) // 40)
    left, top, right, bottom = draw.textbbox((0, 0), text, font=tile_font)
    step_x, step_y = max(1, right - left) + tile_font.size * 2, max(1, bottom - top) * 5
    for row, y in enumerate(range(0, h, step_y)):
        for x in range(-(row % 2) * step_x // 2, w, step_x):
            draw.text((x, y), text, font=tile_font, fill=(128, 128, 128, 90))
    band = max(18, int(h * BAND_SHARE))
    draw.rectangle((0, h - band, w, h), fill=(20, 20, 20, 215))
    band_font = _font(font_path, int(band * 0.55))
    while band_font.size > 8 and draw.textlength(text, font=band_font) > w - 8:
        band_font = _font(font_path, band_font.size - 2)
    draw.text((4, h - band + (band - band_font.size) // 2), text, font=band_font, fill=(255, 255, 255, 255))
    out = Image.alpha_composite(base, layer)
    return out if alpha else out.convert("RGB")


def stamp_image(data: bytes, content_type: str, text: str, fonts: PdfFonts | None = None) -> bytes:
    """The image with `text` tiled over it and in a band at its foot, in its own format."""
    kind = FORMATS.get(content_type)
    if kind is None:
        raise ValueError(f"not an image type: {content_type}")
    font_path = (fonts or PdfFonts.installed()).regular
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > MAX_PIXELS:
                raise CannotWatermark(
                    both(f"ảnh mật quá lớn để đóng dấu người xem (trên {MAX_PIXELS:,} điểm ảnh)",
                         f"the secret image is too large to stamp the viewer (over {MAX_PIXELS:,} pixels)")
                )  # fmt: skip
            dpi = image.info.get("dpi")
            frames = [_marked(f.copy(), text, font_path) for f in ImageSequence.Iterator(image)]
    except CannotWatermark:
        raise
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as error:
        raise CannotWatermark(
            both(f"không mở được ảnh mật để đóng dấu người xem: {error}",
                 f"the secret image cannot be opened to stamp the viewer: {error}")
        ) from None  # fmt: skip
    out = io.BytesIO()
    options: dict[str, object] = {"dpi": dpi} if dpi else {}
    if kind == "JPEG":
        frames[0].save(out, "JPEG", quality=90, **options)
    elif kind == "PNG":
        frames[0].save(out, "PNG", **options)
    else:
        frames[0].save(out, "TIFF", compression="tiff_deflate", save_all=True, append_images=frames[1:], **options)
    return out.getvalue()
