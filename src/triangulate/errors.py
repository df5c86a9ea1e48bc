"""Named errors, each with a stable code, in one place.

Library code raises these; the CLI (and later the API) translates them once at the edge
into a one-line message. A rejected input always comes back with one of these, never a
silent ``None``.
"""

from __future__ import annotations


class TriangulateError(Exception):
    """Base class. ``code`` is stable and machine-readable; the message is for people."""

    code = "error"

    def __init__(self, message: str, *, input_name: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.input_name = input_name

    def one_line(self) -> str:
        where = f"{self.input_name}: " if self.input_name else ""
        return f"{where}{self.message} [{self.code}]"


# --- input problems: the input is rejected, the batch goes on -------------------------


class InputError(TriangulateError):
    code = "input"


class InputNotFound(InputError):
    code = "not-found"


class EmptyInput(InputError):
    code = "empty"


class BinaryInput(InputError):
    code = "binary"


class InputTooLarge(InputError):
    code = "too-large"


class EncodingProblem(InputError):
    code = "encoding"


class MalformedInput(InputError):
    code = "malformed"


class TruncatedInput(MalformedInput):
    code = "truncated"


class UnsafeXML(InputError):
    code = "unsafe-xml"


class UnsupportedInput(InputError):
    code = "unsupported"


class NoContent(InputError):
    code = "no-content"


class FetchError(InputError):
    code = "fetch"


class BlockedAddress(FetchError):
    code = "blocked-address"


# --- problems of the tool or its set-up: these stop the run --------------------------


class SettingError(TriangulateError):
    code = "setting"


class StoreError(TriangulateError):
    code = "store"


class MigrationError(StoreError):
    code = "migration"


class NotFound(TriangulateError):
    code = "not-found"


class ModelMissing(TriangulateError):
    code = "model-missing"


class StageOrderError(TriangulateError):
    code = "stage-order"


class CorrectionError(TriangulateError):
    """A user correction (merge, split, rename, delete) that cannot be applied."""

    code = "correction"


# --- exports and briefs ------------------------------------------------------------


class ExportError(TriangulateError):
    code = "export"


class UnknownFormat(ExportError):
    code = "unknown-format"


class OutputNotWritable(ExportError):
    code = "not-writable"
