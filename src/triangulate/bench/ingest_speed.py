"""Ingest + segment throughput on a generated corpus, against references measured in
the same run on the same files.

The corpus mixes what real batches hold: plain-text captures with headers, captions and
widget trailers, HTML pages with navigation and footers, JSONL article records; English,
Russian and Azerbaijani; about one document in ten is a truncated or padded repost of
an earlier one so the dedup path is exercised. Words are drawn from small per-language
vocabularies with a fixed seed, so two runs see the same bytes.

References:
- ``read+hash``: reading every file and hashing it (the I/O floor);
- ``trafilatura``: ``trafilatura.extract`` alone on the HTML files (what a bare
  extractor costs per page, the tool most pipelines start from).
Peak memory is the ingest subprocess's maximum RSS.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import resource
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from ..records import Record

_VOCAB = {
    "en": [
        "police",
        "officials",
        "detained",
        "residents",
        "city",
        "ministry",
        "foreign",
        "statement",
        "said",
        "reported",
        "according",
        "sources",
        "local",
        "court",
        "investigation",
        "security",
        "forces",
        "office",
        "agency",
        "journalists",
        "citizens",
        "protest",
        "government",
        "embassy",
        "relations",
        "tensions",
        "visit",
        "cancelled",
        "raid",
        "arrested",
        "witnesses",
        "released",
        "charges",
        "spokeswoman",
        "deputy",
        "editor",
        "demanded",
        "explanation",
        "response",
        "crisis",
        "diplomatic",
        "measures",
        "border",
        "trade",
    ],
    "ru": [
        "полиция",
        "задержала",
        "жителей",
        "города",
        "министерство",
        "иностранных",
        "дел",
        "заявление",
        "сообщили",
        "по",
        "данным",
        "источники",
        "суд",
        "расследование",
        "силовики",
        "офис",
        "агентство",
        "журналисты",
        "граждане",
        "протест",
        "правительство",
        "посольство",
        "отношения",
        "напряжённость",
        "визит",
        "отменён",
        "обыск",
        "арестованы",
        "свидетели",
        "освобождены",
        "обвинения",
        "представитель",
        "редактор",
        "потребовал",
        "объяснений",
        "ответ",
        "кризис",
        "меры",
        "граница",
        "торговля",
    ],
    "az": [
        "polis",
        "saxladı",
        "sakinlər",
        "şəhər",
        "nazirlik",
        "xarici",
        "işlər",
        "bəyanat",
        "bildirib",
        "məlumata",
        "görə",
        "mənbələr",
        "məhkəmə",
        "araşdırma",
        "təhlükəsizlik",
        "qüvvələri",
        "ofis",
        "agentlik",
        "jurnalistlər",
        "vətəndaşlar",
        "etiraz",
        "hökumət",
        "səfirlik",
        "münasibətlər",
        "gərginlik",
        "səfər",
        "ləğv",
        "edildi",
        "basqın",
        "həbs",
        "olunub",
        "şahidlər",
        "azad",
        "ittihamlar",
        "sözçü",
        "redaktor",
        "izahat",
        "tələb",
        "etdi",
        "cavab",
        "böhran",
        "tədbirlər",
        "sərhəd",
        "ticarət",
    ],
}
_UI = ["Share", "Поделиться", "Paylaş", "Избранное", "12", "348", "news.example", "5 sources"]


def _sentence(rng: random.Random, lang: str) -> str:
    words = [rng.choice(_VOCAB[lang]) for _ in range(rng.randint(9, 22))]
    return words[0].capitalize() + " " + " ".join(words[1:]) + "."


def _paragraphs(rng: random.Random, lang: str) -> list[str]:
    return [
        " ".join(_sentence(rng, lang) for _ in range(rng.randint(3, 6)))
        for _ in range(rng.randint(4, 8))
    ]


def _text_doc(rng: random.Random, lang: str, title: str, paras: list[str], day: int) -> str:
    lines = [
        title,
        "",
        f"By Reporter {rng.randint(1, 500)}",
        f"{day:02d}.06.2025 {rng.randint(0, 23):02d}:15",
        "",
    ]
    for i, p in enumerate(paras):
        lines += [p, ""]
        if i == 1 and rng.random() < 0.3:
            lines += [" ".join(_sentence(rng, lang).split()[:6]), "Photo: Example Agency", ""]
    if rng.random() < 0.5:
        lines += ["", *rng.sample(_UI, 4)]
    return "\n".join(lines) + "\n"


def _html_doc(lang: str, title: str, paras: list[str], day: int, n: int) -> str:
    body = "".join(f"<p>{p}</p>" for p in paras)
    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>'
        f'<meta property="article:published_time" content="2025-06-{day:02d}T10:00:00+00:00">'
        f'<meta property="og:site_name" content="Site {n % 40}"></head><body>'
        '<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/politics">Politics</a></nav>'
        f"<article><h1>{title}</h1>{body}</article>"
        '<aside><h3>Most read</h3><ul><li><a href="/a">Another story</a></li></ul></aside>'
        "<footer>Copyright 2025. All rights reserved.</footer></body></html>"
    )


def generate_corpus(folder: Path, n_docs: int, seed: int = 2025) -> dict[str, int]:
    """Write ``n_docs`` documents under ``folder``; returns counts by format."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    made: list[tuple[str, str, list[str]]] = []
    counts = {"text": 0, "html": 0, "jsonl": 0, "reposts": 0}
    jsonl_batch: list[str] = []
    jsonl_files = 0
    for n in range(n_docs):
        lang = rng.choices(["en", "ru", "az"], weights=[5, 3, 2])[0]
        if made and rng.random() < 0.1:
            lang, title, paras = rng.choice(made)
            paras = (
                paras[: max(2, len(paras) // 2)]
                if rng.random() < 0.5
                else [*paras, _sentence(rng, lang)]
            )
            title = title + " (repost)"
            counts["reposts"] += 1
        else:
            title = " ".join(_sentence(rng, lang).split()[:8])
            paras = _paragraphs(rng, lang)
            made.append((lang, title, paras))
        day = rng.randint(1, 30)
        kind = rng.choices(["text", "html", "jsonl"], weights=[5, 3, 2])[0]
        if kind == "text":
            (folder / f"doc{n:06d}.txt").write_text(
                _text_doc(rng, lang, title, paras, day), encoding="utf-8"
            )
        elif kind == "html":
            (folder / f"doc{n:06d}.html").write_text(
                _html_doc(lang, title, paras, day, n), encoding="utf-8"
            )
        else:
            record = {
                "title": title,
                "maintext": "\n".join(paras),
                "authors": [f"Reporter {n % 97}"],
                "date_publish": f"2025-06-{day:02d} 09:00:00",
                "url": f"https://site{n % 40}.example/2025/06/{day:02d}/story-{n}",
                "source_domain": f"site{n % 40}.example",
                "language": lang,
            }
            jsonl_batch.append(json.dumps(record, ensure_ascii=False))
            if len(jsonl_batch) == 100:
                (folder / f"batch{jsonl_files:04d}.jsonl").write_text(
                    "\n".join(jsonl_batch) + "\n", "utf-8"
                )
                jsonl_files += 1
                jsonl_batch = []
        counts[kind] += 1
    if jsonl_batch:
        (folder / f"batch{jsonl_files:04d}.jsonl").write_text(
            "\n".join(jsonl_batch) + "\n", "utf-8"
        )
    return counts


@dataclass(frozen=True, slots=True)
class IngestBench(Record):
    documents: int
    megabytes: float
    seconds: float
    docs_per_s: float
    mb_per_s: float
    peak_rss_mb: float
    stored: int
    copies: int
    reference_read_hash_docs_per_s: float
    reference_trafilatura_html_docs_per_s: float
    html_docs: int
    ratio_vs_read_hash: float
    ratio_vs_trafilatura: float
    processes: int  # ingest runs in one process (lingua may use more threads)


def ingest_argv(db: Path, corpus: Path, *extra: str) -> list[str]:
    """The command line of an ingest (read, segment, dedup, store; the understanding
    stage is measured by `bench speed`) in a fresh interpreter, without a progress bar."""
    command = [
        sys.executable,
        "-m",
        "triangulate",
        "--db",
        str(db),
        "ingest",
        "--no-progress",
        "--no-analyze",
    ]
    return [*command, *extra, str(corpus)]


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file())


def _reference_read_hash(files: list[Path]) -> float:
    start = time.perf_counter()
    for p in files:
        hashlib.sha256(p.read_bytes()).hexdigest()
    return time.perf_counter() - start


def _reference_trafilatura(files: list[Path]) -> tuple[int, float]:
    import trafilatura

    html = [p for p in files if p.suffix == ".html"]
    start = time.perf_counter()
    for p in html:
        trafilatura.extract(p.read_text("utf-8"))
    return len(html), time.perf_counter() - start


def run_ingest_bench(n_docs: int, workdir: Path) -> IngestBench:
    corpus = workdir / "corpus"
    db = workdir / "bench.db"
    for path in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
        path.unlink(missing_ok=True)
    if not corpus.exists() or len(list(corpus.iterdir())) == 0:
        generate_corpus(corpus, n_docs)
    files = _files(corpus)
    size = sum(p.stat().st_size for p in files)
    read_s = _reference_read_hash(files)
    html_n, trafilatura_s = _reference_trafilatura(files)
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    proc = subprocess.run(
        ingest_argv(db, corpus, "--json"),
        capture_output=True,
        text=True,
        env={**os.environ, "TRIANGULATE_DB": str(db)},
        check=False,
    )
    seconds = time.perf_counter() - start
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"ingest failed ({proc.returncode}): {proc.stderr[-2000:]}")
    report = json.loads(proc.stdout)
    counts = report["counts"]
    documents = sum(counts[k] for k in ("new", "copy", "duplicate", "unchanged"))
    docs_per_s = documents / seconds
    read_rate = documents / read_s if read_s else float("inf")
    trafilatura_rate = html_n / trafilatura_s if trafilatura_s else float("inf")
    return IngestBench(
        documents=documents,
        megabytes=round(size / 1e6, 2),
        seconds=round(seconds, 2),
        docs_per_s=round(docs_per_s, 1),
        mb_per_s=round(size / 1e6 / seconds, 3),
        peak_rss_mb=round(max(peak_kb, before) / 1024, 1),
        stored=counts["new"] + counts["copy"],
        copies=counts["copy"],
        reference_read_hash_docs_per_s=round(read_rate, 1),
        reference_trafilatura_html_docs_per_s=round(trafilatura_rate, 1),
        html_docs=html_n,
        ratio_vs_read_hash=round(docs_per_s / read_rate, 4),
        ratio_vs_trafilatura=round(docs_per_s / trafilatura_rate, 3),
        processes=1,
    )
