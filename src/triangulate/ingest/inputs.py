"""What the user pointed at: files, folders, URLs, stdin -> raw items.

Folders are walked in sorted order (so runs are reproducible and an interrupted run
resumes in the same order). Sizes are checked before anything is read into memory.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import BinaryIO

from ..errors import InputError, InputNotFound, InputTooLarge
from ..records import RawItem
from ..settings import MB, Settings
from .containers import InputFailure, read_container, read_warc_stream

# Extensions read from folders. Anything else in a folder is counted as skipped (named
# in the report) rather than sniffed: a folder of captures often holds images and notes
# (README.md and other Markdown included). A file named explicitly is always read.
KNOWN_SUFFIXES = (
    ".txt", ".text", ".html", ".htm", ".xhtml", ".json", ".jsonl", ".ndjson",
    ".xml", ".rss", ".atom", ".warc", ".gz",
)  # fmt: skip
STDIN = "-"
WARC_SUFFIXES = (".warc", ".warc.gz")


@dataclass(frozen=True, slots=True)
class InputRef:
    name: str  # as the user gave it, or the path under a folder they gave
    kind: str  # "file", "url" or "stdin"
    size: int  # bytes on disk; 0 when unknown until read


@dataclass(frozen=True, slots=True)
class Expanded:
    inputs: list[InputRef]
    skipped: list[str]  # files in folders with an unknown extension
    missing: list[InputFailure]


def is_url(name: str) -> bool:
    return name.lower().startswith(("http://", "https://"))


def expand(args: Sequence[str]) -> Expanded:
    inputs: list[InputRef] = []
    skipped: list[str] = []
    missing: list[InputFailure] = []
    for arg in args:
        if arg == STDIN:
            inputs.append(InputRef("<stdin>", "stdin", 0))
        elif is_url(arg):
            inputs.append(InputRef(arg, "url", 0))
        elif os.path.isdir(arg):
            for root, dirs, files in os.walk(arg):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for fname in sorted(files):
                    if fname.startswith("."):
                        continue
                    path = os.path.join(root, fname)
                    if not fname.lower().endswith(KNOWN_SUFFIXES):
                        skipped.append(path)
                        continue
                    inputs.append(InputRef(path, "file", os.path.getsize(path)))
        elif os.path.isfile(arg):
            inputs.append(InputRef(arg, "file", os.path.getsize(arg)))
        else:
            missing.append(
                InputFailure(arg, InputNotFound("no such file, folder or URL", input_name=arg))
            )
    return Expanded(inputs, skipped, missing)


def _read_capped(stream: BinaryIO, name: str, cap: int) -> bytes:
    data = stream.read(cap + 1)
    if len(data) > cap:
        raise InputTooLarge(
            f"larger than the {cap / MB:g} MiB limit (raise --max-input-mb to accept it)",
            input_name=name,
        )
    return data


def read_bytes(ref: InputRef, settings: Settings, stdin: BinaryIO | None = None) -> bytes:
    cap = settings.max_input_bytes
    if ref.kind == "stdin":
        return _read_capped(stdin or sys.stdin.buffer, ref.name, cap)
    if ref.kind == "url":
        from .fetch import fetch

        result = fetch(
            ref.name,
            timeout=settings.fetch_timeout,
            max_bytes=min(settings.fetch_max_bytes, cap),
            max_redirects=settings.max_redirects,
            allow_private=settings.allow_private,
        )
        return result.body
    if ref.size > cap:
        raise InputTooLarge(
            f"{ref.size / MB:.1f} MiB is larger than the {cap / MB:g} MiB limit "
            "(raise --max-input-mb to accept it)",
            input_name=ref.name,
        )
    try:
        with open(ref.name, "rb") as fh:
            return _read_capped(fh, ref.name, cap)
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", input_name=ref.name) from exc


def is_warc_file(ref: InputRef) -> bool:
    return ref.kind == "file" and ref.name.lower().endswith(WARC_SUFFIXES)


def read_items(
    ref: InputRef, settings: Settings, stdin: BinaryIO | None = None
) -> Iterator[RawItem | InputFailure]:
    """Raw items of one input; every problem comes back as an InputFailure, in order."""
    if is_warc_file(ref):
        # Archives (a CommonCrawl news WARC is about 1 GB) are streamed record by record;
        # the size limit applies to each record, not to the archive.
        try:
            with open(ref.name, "rb") as fh:
                yield from read_warc_stream(ref.name, fh, max_bytes=settings.max_input_bytes)
        except OSError as exc:
            err = InputError(f"cannot read: {exc.strerror or exc}", input_name=ref.name)
            yield InputFailure(ref.name, err)
        return
    try:
        data = read_bytes(ref, settings, stdin)
    except InputError as exc:
        if exc.input_name is None:
            exc.input_name = ref.name
        yield InputFailure(ref.name, exc)
        return
    url = ref.name if ref.kind == "url" else None
    for item in read_container(ref.name, data, max_bytes=settings.max_input_bytes):
        if url and isinstance(item, RawItem) and item.url is None:
            from dataclasses import replace

            item = replace(item, url=url)
        yield item
