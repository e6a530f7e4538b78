"""Images re-encoded with Pillow: orientation applied, every metadata dropped, size bounded.

What is stored is a new image drawn from the pixels only: no EXIF (GPS position, device, date),
no XMP, no ICC profile, no comment. The EXIF orientation is applied first so the photo stays
upright. Larger than :data:`MAX_SIDE` pixels on a side, it is scaled down.
"""

from __future__ import annotations

import contextlib
import io
import warnings

from PIL import Image, ImageOps, UnidentifiedImageError

from virage.errors import InvalidInput, UnsupportedMediaType

MAX_SIDE = 4096
MAX_PIXELS = 60_000_000
_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}


def reencode(data: bytes, media_type: str) -> tuple[bytes, str]:
    """Re-encode the image; return its bytes and media type (HEIC becomes JPEG)."""
    previous = Image.MAX_IMAGE_PIXELS
    try:
        Image.MAX_IMAGE_PIXELS = MAX_PIXELS
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise UnsupportedMediaType(
            "Cette image est démesurée (trop de pixels) : elle est refusée. Envoyez une photo "
            "de taille ordinaire."
        ) from None
    except UnidentifiedImageError:
        if media_type == "image/heic":
            raise UnsupportedMediaType(
                "Les photos HEIC (iPhone) ne peuvent pas être lues par ce serveur : prenez la "
                "photo avec le bouton « Prendre la photo » de Virage, ou réglez l'appareil photo "
                "sur « Le plus compatible » (JPEG)."
            ) from None
        raise InvalidInput("Cette image est abîmée : elle ne peut pas être lue.") from None
    except (OSError, ValueError, SyntaxError):
        raise InvalidInput("Cette image est abîmée : elle ne peut pas être lue.") from None
    finally:
        Image.MAX_IMAGE_PIXELS = previous
    with contextlib.suppress(Exception):  # a broken orientation tag: the pixels as they are
        image = ImageOps.exif_transpose(image) or image
    if max(image.size) > MAX_SIDE:
        image.thumbnail((MAX_SIDE, MAX_SIDE))
    out_type = media_type if media_type in _FORMATS else "image/jpeg"
    fmt = _FORMATS[out_type]
    if fmt == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    elif fmt in ("PNG", "WEBP") and image.mode not in ("RGB", "RGBA", "L", "LA"):
        image = image.convert(
            "RGBA" if "A" in image.mode or "transparency" in image.info else "RGB"
        )
    clean = Image.new(image.mode, image.size)
    clean.paste(image)
    buffer = io.BytesIO()
    options = {"quality": 88} if fmt in ("JPEG", "WEBP") else {"optimize": True}
    clean.save(buffer, format=fmt, **options)
    return buffer.getvalue(), out_type
