"""decode_bytes: encodings found from the bytes, on real generated inputs."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from triangulate.errors import BinaryInput, EmptyInput
from triangulate.ingest.encoding import decode_bytes
from triangulate.ingest.metadates import parse_metadata_date
from triangulate.records import DateMethod, Precision

RUSSIAN = (
    "В понедельник власти города сообщили о перебоях с электричеством. "
    "По словам представителя администрации, ремонтные бригады работают всю ночь. "
    "Жители Москвы жалуются на отсутствие горячей воды."
)
RUSSIAN_SHORT = "Вчера вечером в Казани прошёл сильный дождь."
RUSSIAN_CAPS = "СРОЧНО: ВЗРЫВ В ЦЕНТРЕ ГОРОДА, ЕСТЬ ПОСТРАДАВШИЕ"
FRENCH = "Le café du coin est fermé depuis lundi. Müller a été très déçu."


def _decode_file(tmp_path: Path, name: str, data: bytes, declared: str | None = None):  # type: ignore[no-untyped-def]
    path = tmp_path / name
    path.write_bytes(data)
    return decode_bytes(path.read_bytes(), name=str(path), declared=declared)


@pytest.mark.parametrize("text", [RUSSIAN, RUSSIAN_SHORT, RUSSIAN_CAPS])
@pytest.mark.parametrize("codec", ["cp1251", "koi8-r"])
def test_tells_cp1251_from_koi8r(tmp_path: Path, text: str, codec: str) -> None:
    decoded = _decode_file(tmp_path, "ru.txt", text.encode(codec))
    assert decoded.encoding == codec
    assert decoded.text == text
    assert decoded.warnings == ()


def test_cp1252_western_text(tmp_path: Path) -> None:
    decoded = _decode_file(tmp_path, "fr.txt", FRENCH.encode("cp1252"))
    assert decoded.encoding == "cp1252"
    assert decoded.text == FRENCH


def test_ascii_with_one_smart_quote_is_a_code_page_not_broken_utf8(tmp_path: Path) -> None:
    text = "It\u2019s a plain English sentence with a curly apostrophe."
    decoded = _decode_file(tmp_path, "en.txt", text.encode("cp1252"))
    assert decoded.text == text
    assert decoded.warnings == ()


def test_declared_charset_is_weighed_not_obeyed(tmp_path: Path) -> None:
    data = RUSSIAN.encode("koi8-r")
    decoded = _decode_file(tmp_path, "ru.html", data, declared="windows-1251")
    assert decoded.encoding == "koi8-r"
    assert decoded.text == RUSSIAN
    assert any("disagrees" in w for w in decoded.warnings)
    # ... but it agrees when it is right, and then says nothing.
    right = _decode_file(tmp_path, "ru2.html", RUSSIAN.encode("cp1251"), declared="windows-1251")
    assert (right.encoding, right.warnings) == ("cp1251", ())


def test_declared_multibyte_charset_is_used(tmp_path: Path) -> None:
    text = "東京で地震が発生しました。"
    decoded = _decode_file(tmp_path, "jp.html", text.encode("shift_jis"), declared="Shift_JIS")
    assert decoded.text == text
    assert decoded.encoding == "shift_jis"


def test_unknown_declared_charset_is_ignored_with_warning(tmp_path: Path) -> None:
    decoded = _decode_file(tmp_path, "a.txt", b"hello", declared="x-no-such")
    assert decoded.text == "hello"
    assert any("unknown" in w for w in decoded.warnings)


@pytest.mark.parametrize(
    ("bom_codec", "expected"),
    [
        ("utf-8-sig", "utf-8"),
        ("utf-16", None),  # native order, with BOM
        ("utf-16-le", "utf-16-le"),
        ("utf-16-be", "utf-16-be"),
        ("utf-32-le", "utf-32-le"),
        ("utf-32-be", "utf-32-be"),
    ],
)
def test_bom_wins(tmp_path: Path, bom_codec: str, expected: str | None) -> None:
    text = "Привет, world!\nSecond line."
    boms = {
        "utf-16-le": b"\xff\xfe",
        "utf-16-be": b"\xfe\xff",
        "utf-32-le": b"\xff\xfe\x00\x00",
        "utf-32-be": b"\x00\x00\xfe\xff",
    }
    data = boms.get(bom_codec, b"") + text.encode(bom_codec)
    decoded = _decode_file(tmp_path, "bom.txt", data)
    assert decoded.text == text  # BOM character stripped
    if expected:
        assert decoded.encoding == expected
    assert decoded.warnings == ()


def test_utf16_without_bom_from_zero_byte_pattern(tmp_path: Path) -> None:
    text = "Plain English text stored as UTF-16 without a byte-order mark."
    decoded = _decode_file(tmp_path, "u16.txt", text.encode("utf-16-le"))
    assert decoded.text == text
    assert decoded.encoding == "utf-16-le"
    assert decoded.warnings


def test_newlines_normalised_nothing_else_changed(tmp_path: Path) -> None:
    text = "  line one\r\nline two\rline three\n\ttabbed  \u00a0"
    decoded = _decode_file(tmp_path, "nl.txt", text.encode("utf-8"))
    assert decoded.text == "  line one\nline two\nline three\n\ttabbed  \u00a0"


def test_mostly_utf8_is_repaired_with_a_warning(tmp_path: Path) -> None:
    good = ("Статья о событиях в городе. " * 40).encode("utf-8")
    data = good[:200] + b"\xff\xfe\x80" + good[200:]
    decoded = _decode_file(tmp_path, "bad.txt", data)
    assert decoded.encoding == "utf-8"
    assert "\ufffd" in decoded.text
    assert any("3 byte(s) replaced" in w for w in decoded.warnings)


def test_many_invalid_bytes_are_not_called_utf8(tmp_path: Path) -> None:
    # cp1251 text with one genuine UTF-8 word pasted in: mostly invalid as UTF-8.
    data = RUSSIAN.encode("cp1251") + " café".encode()
    decoded = _decode_file(tmp_path, "mix.txt", data)
    assert decoded.encoding == "cp1251"


def test_empty_and_whitespace_inputs(tmp_path: Path) -> None:
    with pytest.raises(EmptyInput, match="0 bytes"):
        _decode_file(tmp_path, "empty.txt", b"")
    with pytest.raises(EmptyInput, match="whitespace"):
        _decode_file(tmp_path, "ws.txt", b" \r\n\t \n")
    with pytest.raises(EmptyInput):
        _decode_file(tmp_path, "bom-only.txt", b"\xef\xbb\xbf\n")


def test_png_header_is_binary(tmp_path: Path) -> None:
    data = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(64))
    with pytest.raises(BinaryInput, match="PNG"):
        _decode_file(tmp_path, "image.txt", data)


@pytest.mark.parametrize(
    ("magic", "what"),
    [(b"%PDF-1.7\n", "PDF"), (b"PK\x03\x04\x14\x00", "ZIP"), (b"\x7fELF\x02\x01", "ELF")],
)
def test_magic_numbers(tmp_path: Path, magic: bytes, what: str) -> None:
    with pytest.raises(BinaryInput, match=what):
        _decode_file(tmp_path, "blob", magic + b"rest of the file " * 10)


def test_random_bytes_with_nuls_are_binary(tmp_path: Path) -> None:
    rng = random.Random(7)
    data = bytes(rng.randrange(256) for _ in range(4096))
    assert b"\x00" in data
    with pytest.raises(BinaryInput, match="NUL"):
        _decode_file(tmp_path, "random.bin", data)


def test_control_characters_without_nuls_are_binary(tmp_path: Path) -> None:
    rng = random.Random(11)
    data = bytes(rng.randrange(1, 256) for _ in range(4096))
    with pytest.raises(BinaryInput, match="control"):
        _decode_file(tmp_path, "noise.bin", data)


# --- metadata dates (parse_metadata_date) ---------------------------------------------------


@pytest.mark.parametrize(
    ("value", "iso", "precision"),
    [
        ("2025-06-30", "2025-06-30", Precision.DAY),
        ("2025-06-30T14:20:00+04:00", "2025-06-30T14:20:00+04:00", Precision.SECOND),
        ("2025-06-30 14:20:00", "2025-06-30T14:20:00", Precision.SECOND),
        ("2025-06-30T14:20Z", "2025-06-30T14:20+00:00", Precision.MINUTE),
        ("2025-06-30T14:20:00.123Z", "2025-06-30T14:20:00+00:00", Precision.SECOND),
        ("2025-06", "2025-06", Precision.MONTH),
        ("2025", "2025", Precision.YEAR),
        ("Mon, 30 Jun 2025 14:20:00 +0400", "2025-06-30T14:20:00+04:00", Precision.SECOND),
        ("30 Jun 2025 14:20 GMT", "2025-06-30T14:20+00:00", Precision.MINUTE),
        ("Mon, 30 Jun 2025 14:20:00 -0000", "2025-06-30T14:20:00", Precision.SECOND),
        ("Mon, 30 Jun 2025", "2025-06-30", Precision.DAY),
        ("30.06.2025", "2025-06-30", Precision.DAY),
        ("30.06.2025 14:20", "2025-06-30T14:20", Precision.MINUTE),
    ],
)
def test_metadata_dates(value: str, iso: str, precision: Precision) -> None:
    parsed = parse_metadata_date(value, "json date_publish")
    assert parsed is not None
    assert (parsed.value, parsed.precision) == (iso, precision)
    assert parsed.method is DateMethod.METADATA
    assert parsed.evidence == "json date_publish"


@pytest.mark.parametrize(
    "value",
    ["", "junk", "yesterday", "2025-13-01", "2025-02-30", "0000-00-00", "2025-06-30T25:00",
     "2025-06-30T14:20+99:00", "Mon, 32 Jun 2025 14:20:00 +0400", "06/30/2025"],
)  # fmt: skip
def test_metadata_date_junk(value: str) -> None:
    assert parse_metadata_date(value, "x") is None


def test_metadata_date_method_passes_through() -> None:
    parsed = parse_metadata_date("2025-06-30", "feed updated", DateMethod.INFERRED)
    assert parsed is not None and parsed.method is DateMethod.INFERRED
