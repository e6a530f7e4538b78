"""The verdict of a virus scanner (hook ``scan_document``)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ScanVerdict:
    """What a scanner says of one file.

    :param clean: ``True`` when nothing was found; anything else refuses the file.
    :param scanner: the scanner's name, shown to the person (« ClamAV 1.4 »).
    :param signature: what was found (« Eicar-Test-Signature »), ``None`` when clean.
    """

    clean: bool
    scanner: str
    signature: str | None = None
