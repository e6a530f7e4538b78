"""MkDocs hook (``hooks:`` in mkdocs.yml): the pages' pictures, light on a weak network.

- Every ``<img>`` of a page loads lazily (``loading="lazy"``, ``decoding="async"``) and gets its
  ``width`` and ``height`` (read from the file; an author's width is kept and the height follows
  the picture's proportions): the browser reserves their place, downloads only the pictures near
  the screen, and the text does not jump when they arrive.
- The PNG and JPEG files of docs/ (the guides' screenshots) are also written as WebP, quality 85,
  by the build's Chromium (virage_chromium): about half the weight, the text of a screenshot still
  sharp. A page points to the WebP when it is at least 10 % lighter; the original stays in the
  site. Copies are kept in ``.cache/docs-pictures/`` under a hash of the original. Without
  Chromium, pages keep the originals.

The page sources (*.md) and docs/captures are not changed.
"""

from __future__ import annotations

import base64
import logging
import posixpath
import re
import struct
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

import virage_chromium
from mkdocs.structure.files import File, InclusionLevel

log = logging.getLogger("mkdocs.hooks.virage.pictures")

CACHE_DIR = Path(".cache", "docs-pictures")
WEBP_QUALITY = 0.85
#: The WebP copy is used when it weighs at most this share of the original.
MAX_SHARE = 0.9
#: Pictures converted: at most this many bytes and pixels on a side (a browser canvas's limit).
MAX_BYTES = 20 * 1024 * 1024
MAX_SIDE = 16_384
CONVERTIBLE = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}

_IMG = re.compile(r"<img\b[^>]*>", re.I)
_ATTRIBUTE = re.compile(r"""([^\s"'<>/=]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'=<>`]+))?""")
_SRC = re.compile(r"""(\ssrc\s*=\s*)("[^"]*"|'[^']*'|[^\s>]+)""", re.I)
#: Bytes read from a picture to find its size (JPEG: the size may follow the metadata).
HEADER_BYTES = 256 * 1024
MAX_JPEG_SEGMENTS = 500

_ENCODE = """async ([data, type, quality]) => {
  const bytes = Uint8Array.from(atob(data), c => c.charCodeAt(0));
  const bitmap = await createImageBitmap(new Blob([bytes], { type }));
  const canvas = document.createElement("canvas");
  canvas.width = bitmap.width;
  canvas.height = bitmap.height;
  canvas.getContext("2d").drawImage(bitmap, 0, 0);
  const blob = await new Promise(done => canvas.toBlob(done, "image/webp", quality));
  if (!blob || blob.type !== "image/webp") return null;
  const out = new Uint8Array(await blob.arrayBuffer());
  let text = "";
  for (let i = 0; i < out.length; i += 0x8000) {
    text += String.fromCharCode.apply(null, out.subarray(i, i + 0x8000));
  }
  return btoa(text);
}"""


def image_size(path: Path) -> tuple[int, int] | None:
    """Width and height in pixels of a PNG, GIF or JPEG file, or None (other kinds, unreadable)."""
    try:
        with path.open("rb") as file:
            head = file.read(HEADER_BYTES)
    except OSError:
        return None
    if head.startswith(b"\x89PNG\r\n\x1a\n") and head[12:16] == b"IHDR":
        return struct.unpack(">II", head[16:24])
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return struct.unpack("<HH", head[6:10])
    if head.startswith(b"\xff\xd8"):
        return _jpeg_size(head)
    return None


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    position = 2
    for _ in range(MAX_JPEG_SEGMENTS):
        if position + 9 > len(data) or data[position] != 0xFF:
            return None
        marker = data[position + 1]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:  # no length
            position += 2
            continue
        length = struct.unpack(">H", data[position + 2 : position + 4])[0]
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):  # start of frame
            height, width = struct.unpack(">HH", data[position + 5 : position + 9])
            return width, height
        position += 2 + length
    return None


def webp_copy(path: Path, cache: virage_chromium.Cache) -> Path | None:
    """A WebP copy of a PNG or JPEG file when it is lighter enough, else None.

    :raises virage_chromium.Unavailable: no browser to convert with.
    """
    kind = CONVERTIBLE.get(path.suffix.lower())
    size = image_size(path)
    if kind is None or size is None or max(size) > MAX_SIDE:
        return None
    data = path.read_bytes()
    if len(data) > MAX_BYTES:
        return None
    key = virage_chromium.digest(data, "webp", WEBP_QUALITY)
    cached = cache.get(key, ".webp") or cache.get(key, ".none")
    if cached is None:
        try:
            encoded = virage_chromium.browser.run(
                _ENCODE, [base64.b64encode(data).decode(), kind, WEBP_QUALITY]
            )
        except virage_chromium.TaskFailed as error:
            log.info("Image %s gardée telle quelle : %s", path.name, error)
            encoded = None
        webp = base64.b64decode(encoded) if encoded else b""
        if webp and len(webp) <= MAX_SHARE * len(data):
            cached = cache.put(key, ".webp", webp)
        else:
            cached = cache.put(key, ".none", b"")  # not worth it: remember, do not retry
    return cached if cached.suffix == ".webp" else None


def _number(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _rewrite_img(tag: str, size: tuple[int, int] | None, webp: bool) -> str:
    attributes = {m.group(1).lower(): m.group(2) for m in _ATTRIBUTE.finditer(tag[4:])}
    added = []
    if "loading" not in attributes:
        added.append('loading="lazy"')
    if "decoding" not in attributes:
        added.append('decoding="async"')
    if size and all(size):
        width, height = size
        given_width = _number((attributes.get("width") or "").strip("\"'"))
        given_height = _number((attributes.get("height") or "").strip("\"'"))
        if given_width is None and given_height is None:
            added += [f'width="{width}"', f'height="{height}"']
        elif given_height is None:
            added.append(f'height="{round(given_width * height / width)}"')
        elif given_width is None:
            added.append(f'width="{round(given_height * width / height)}"')
    if webp:
        tag = _SRC.sub(lambda m: m.group(1) + _to_webp(m.group(2)), tag, count=1)
    if not added:
        return tag
    closing = "/>" if tag.endswith("/>") else ">"
    body = tag[: -len(closing)].rstrip()
    return f"{body} {' '.join(added)}{' />' if closing == '/>' else '>'}"


def _to_webp(value: str) -> str:
    quote = value[0] if value[0] in "\"'" else ""
    bare = value.strip("\"'")
    return f"{quote}{PurePosixPath(bare).with_suffix('.webp')!s}{quote}"


def lazy_images(
    html: str, page_url: str, sources: dict[str, str], webp: frozenset[str] = frozenset()
) -> str:
    """Add loading, decoding and size attributes to the ``<img>`` of a page's HTML.

    :param page_url: the page's URL relative to the site root (``guides/agenda/``).
    :param sources: the site's files, URL relative to the site root → source file.
    :param webp: the pictures (URL relative to the site root) that have a WebP copy beside them.
    """
    page_dir = posixpath.dirname(page_url)  # "guides/agenda/" → "guides/agenda"; "" for the home

    def rewrite(match: re.Match[str]) -> str:
        tag = match.group(0)
        found = _SRC.search(tag)
        size, light = None, False
        if found:
            parts = urlsplit(found.group(2).strip("\"'"))
            if not parts.scheme and not parts.netloc and parts.path:
                target = posixpath.normpath(posixpath.join(page_dir, unquote(parts.path)))
                target = target.lstrip("/")
                source = sources.get(target)
                size = image_size(Path(source)) if source else None
                light = target in webp and not parts.query and not parts.fragment
        return _rewrite_img(tag, size, light)

    return _IMG.sub(rewrite, html)


# ------------------------------------------------------------------------------------------------
# MkDocs events
# ------------------------------------------------------------------------------------------------

_webp: frozenset[str] = frozenset()


def on_pre_build(config):
    virage_chromium.reset()


def on_files(files, config):
    """Add the WebP copies to the site's files."""
    global _webp
    docs_dir = Path(config.docs_dir).resolve()
    cache = virage_chromium.Cache(Path(config.config_file_path).parent / CACHE_DIR)
    copies = set()
    for file in list(files):
        if not file.abs_src_path or PurePosixPath(file.src_uri).suffix.lower() not in CONVERTIBLE:
            continue
        if not Path(file.abs_src_path).resolve().is_relative_to(docs_dir):
            continue  # the theme's pictures
        uri = str(PurePosixPath(file.src_uri).with_suffix(".webp"))
        if files.get_file_from_path(uri) is not None:
            continue  # the author's own WebP
        try:
            copy = webp_copy(Path(file.abs_src_path), cache)
        except virage_chromium.Unavailable as error:
            log.info("Images gardées en PNG et JPEG : %s", error)
            break
        if copy is not None:
            files.append(
                File.generated(
                    config, uri, abs_src_path=str(copy), inclusion=InclusionLevel.NOT_IN_NAV
                )
            )
            copies.add(unquote(file.url))
    _webp = frozenset(copies)
    return files


def on_page_content(html, page, config, files):
    sources = {unquote(file.url): file.abs_src_path for file in files if file.abs_src_path}
    return lazy_images(html, page.url, sources, _webp)


def on_post_build(config):
    virage_chromium.browser.close()
