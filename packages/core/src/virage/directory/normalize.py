"""Normalisation of registry values: FINESS numbers, départements, communes, phones, free text."""

from __future__ import annotations

import re
import unicodedata

FINESS_RE = re.compile(r"^[0-9][0-9AB][0-9]{7}$")
RPPS_RE = re.compile(r"^[0-9]{11}$")
ADELI_RE = re.compile(r"^[0-9]{9}$")
COMMUNE_RE = re.compile(r"^([0-9]{5}|2[AB][0-9]{3})$")
POSTCODE_RE = re.compile(r"^[0-9]{5}$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_NON_WORD = re.compile(r"[^0-9A-Za-z]+")
_NOT_PHONE = re.compile(r"[^0-9+]")
_PHONE = re.compile(r"0[0-9]{9}|[0-9]{6,15}")

#: FINESS letter codes of overseas départements and collectivities → INSEE département codes.
OVERSEAS = {
    "9A": "971",
    "9B": "972",
    "9C": "973",
    "9D": "974",
    "9E": "975",
    "9F": "976",
    "9G": "977",
    "9H": "978",
    "9J": "986",
    "9K": "987",
    "9L": "988",
}


def clean(value: object) -> str | None:
    """Strip and collapse whitespace; empty → None."""
    if value is None:
        return None
    # str.split() splits on the same Unicode whitespace as ``\s``, and is much faster
    text = " ".join(str(value).split())
    return text or None


def finess(value: str | None) -> str | None:
    """A valid FINESS number (9 characters, Corsica 2A/2B allowed), upper-cased, or None."""
    text = (value or "").strip().upper().replace(" ", "")
    return text if FINESS_RE.match(text) else None


def fold(text: str) -> str:
    """Accent- and case-insensitive key: 'Saint-Étienne' → 'SAINT ETIENNE'."""
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_text = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NON_WORD.sub(" ", ascii_text).strip().upper()


def departement_of_commune(code: str | None) -> str | None:
    """INSEE département of an INSEE commune code (01…95, 2A, 2B, 971…988)."""
    if not code or not COMMUNE_RE.match(code):
        return None
    if code.startswith(("97", "98")):
        return code[:3]
    return code[:2]


def departement(value: str | None) -> str | None:
    """Normalise a département typed by a person or given by a registry ('1', '2a', '9A', '971')."""
    text = (value or "").strip().upper()
    if not text:
        return None
    if text in OVERSEAS:
        return OVERSEAS[text]
    if text.isdigit() and len(text) == 1:
        text = "0" + text
    if re.fullmatch(r"(0[1-9]|[1-8][0-9]|9[0-5]|2A|2B|97[1-8]|98[4-9])", text) and text != "20":
        return text
    return None


def phone(value: str | None) -> str | None:
    """Digits of a French phone number ('04 50 20 12 35' → '0450201235'), or None."""
    if not value:
        return None
    digits = value if value.isascii() and value.isdigit() else _NOT_PHONE.sub("", value)
    if digits.startswith("+33"):
        digits = "0" + digits[3:]
    return digits if _PHONE.fullmatch(digits) else None


def phone_display(value: str | None) -> str:
    if value and len(value) == 10 and value.isdigit():
        return " ".join(value[i : i + 2] for i in range(0, 10, 2))
    return value or ""


def iso_date(value: str | None) -> str | None:
    """'2019-03-04 00:00:00' → '2019-03-04'; anything else that is not a date → None."""
    text = (value or "").strip()[:10]
    return text if DATE_RE.match(text) else None
