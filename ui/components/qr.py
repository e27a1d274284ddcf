"""QR codes as inline SVG (no image library, sharp at any size, printable from the browser)."""

from __future__ import annotations

import re

import qrcode
import qrcode.image.svg


def qr_svg(text: str, *, size_px: int = 240) -> str:
    """An <svg> of `text` as a QR code (error correction M, quiet zone 4), `size_px` wide and high."""
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    qr.add_data(text)
    qr.make(fit=True)
    svg = qr.make_image(image_factory=qrcode.image.svg.SvgPathImage).to_string(encoding="unicode")
    # millimetre sizes print small on screens: size it in pixels, keep the viewBox
    svg = re.sub(r'width="[^"]+" height="[^"]+"', f'width="{size_px}" height="{size_px}"', svg, count=1)
    return svg.replace("<svg ", '<svg role="img" style="background:#fff" ', 1)
