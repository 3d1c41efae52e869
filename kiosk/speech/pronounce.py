"""The pronunciation list: how the voice says some written forms. Pure Python, no Qt.

``uitspraak.toml`` in the content pairs a written form with what the voice should
say: "&" -> "en" (espeak-ng switches to English for "&" and says "and"), "DigiD" ->
"Digi-dee", "Oefenen.nl" -> "Oefenen punt nl". :func:`spoken` applies the list to
a text just before it is synthesized; the screen keeps showing the written form.

Rules: one pass, longest written form first (so "Klik & Tik" may have its own entry
before "&"); case is ignored; a form that starts or ends with a letter or digit
matches only as a whole word ("nl" does not change "Nederland").
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache

#: Used when the content has no ``uitspraak.toml`` (and by tests): what the built-in
#: content's file says for "&".
BUILT_IN: Mapping[str, str] = {"&": "en"}


@lru_cache(maxsize=16)
def _pattern(forms: tuple[str, ...]) -> re.Pattern[str] | None:
    parts = []
    for form in sorted(forms, key=len, reverse=True):
        before = r"(?<!\w)" if form[:1].isalnum() else ""
        after = r"(?!\w)" if form[-1:].isalnum() else ""
        parts.append(f"{before}{re.escape(form)}{after}")
    return re.compile("|".join(parts), re.IGNORECASE) if parts else None


def spoken(text: str, pronunciations: Mapping[str, str]) -> str:
    """``text`` as the voice should read it, with every written form of
    ``pronunciations`` (written -> spoken) replaced by its spoken form."""
    forms = tuple(form for form in pronunciations if form)
    pattern = _pattern(forms)
    if pattern is None:
        return text
    by_folded = {form.casefold(): pronunciations[form] for form in forms}
    return pattern.sub(lambda match: by_folded[match.group(0).casefold()], text)
