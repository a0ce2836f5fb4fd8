"""One error root for everything ``geo`` raises on purpose.

Each class also inherits the builtin it is a kind of, so ``except ValueError``
keeps working for callers who do not know about ``geo``. Messages name the
input, what was expected, and the fix.
"""
from __future__ import annotations

__all__ = [
    "GeoError",
    "InputError",
    "DecodeError",
    "GazetteerError",
    "GazetteerFileError",
    "GeocoderError",
]


class GeoError(Exception):
    """Root of every error ``geo`` raises on purpose."""


class InputError(GeoError, ValueError):
    """A document or input file cannot be read (missing, binary, empty, malformed), or
    can only be read with a warning.

    ``skips`` says which: True (the default) when the input is left out of the run,
    False for a warning about an input that is still read (a duplicate id, bad bytes
    replaced, an uncertain guess of the encoding, a given span outside the text).
    """

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None, reason: str = "unreadable",
                 skips: bool = True):
        self.path = path
        self.line = line
        self.reason = reason
        self.skips = skips
        where = ""
        if path is not None:
            where = f"{path}:{line}: " if line is not None else f"{path}: "
        super().__init__(f"{where}{message}")


class DecodeError(InputError):
    """Bytes that are not text in any encoding we could detect."""


class GazetteerError(GeoError, RuntimeError):
    """The embedded gazetteer could not be built or loaded."""


class GazetteerFileError(GeoError, ValueError):
    """A ``--gazetteer`` file is malformed; names the file and line."""

    def __init__(self, message: str, *, path: str, line: int | None = None):
        self.path = path
        self.line = line
        where = f"{path}:{line}: " if line is not None else f"{path}: "
        super().__init__(f"{where}{message}")


class GeocoderError(GeoError, RuntimeError):
    """An online geocoder failed after its retries."""
