"""Plain text and word helpers for the item-writing checks, from already rendered HTML."""

from __future__ import annotations

import html
import re

_TAG_RE = re.compile(r"<[^>]*>")
_EMPHASIS_RE = re.compile(r"<(strong|em|b|i)\b[^>]*>.*?</\1>", re.DOTALL | re.IGNORECASE)
_WORD_RE = re.compile(r"[^\W\d_]+")
_NEGATION_RE = re.compile(r"\b(nicht|kein|keine|keinen|keinem|keiner|keines)\b", re.IGNORECASE)
_DEFENSIBLE_RE = re.compile(
    r"(vertretbar|auch gut|auch möglich|auch richtig|ebenfalls|möglich)\b", re.IGNORECASE
)
_QUESTION_RE = re.compile(r"[^.!?:]*\?")
_QUOTED_RE = re.compile(r"„[^“”]*[“”]|“[^”]*”|»[^«]*«|\"[^\"]*\"")
_POSITIVE_RE = re.compile(
    r"(richtig|gut|sehr gut|genau|passend|stimmt|treffend|besser|hilfreich)\b", re.IGNORECASE
)
# Words of seven letters or more that say nothing about the answer.
STOP_WORDS: frozenset[str] = frozenset(
    """
    welche welcher welches welchen welchem folgende folgenden folgender genannten aussage
    aussagen richtig richtige richtigen trifft beschreibt besonders wichtig wichtigste
    wichtigsten während deshalb darüber dadurch nämlich sondern außerdem allerdings zunächst
    beispiel beispielsweise situation antwort antworten option optionen möglich möglichst
    zwischen gegenüber jemandem jemanden insgesamt eigentlich wirklich tatsächlich
    """.split()
)


def plain(fragment: str) -> str:
    """The text of an HTML fragment, whitespace collapsed."""
    return " ".join(html.unescape(_TAG_RE.sub(" ", fragment)).split())


def unemphasised_negation(fragment: str) -> str | None:
    """The first 'nicht'/'kein…' outside <strong>/<em> in the question itself, or None.

    A stem often tells a case first; a 'nicht' in the story is no negated question, so
    only the sentences ending in '?' count when there are any, and quoted speech never."""
    text = _QUOTED_RE.sub(" ", plain(_EMPHASIS_RE.sub(" ", fragment)))
    asked = _QUESTION_RE.findall(text)
    match = _NEGATION_RE.search(" ".join(asked) if asked else text)
    return match.group(1) if match else None


def words(text: str) -> set[str]:
    return {w.lower() for w in _WORD_RE.findall(text)}


def distinctive_words(text: str, length: int) -> list[str]:
    """Words of at least `length` letters that are no stop word, in order of appearance."""
    seen: list[str] = []
    for word in _WORD_RE.findall(text):
        folded = word.lower()
        if len(folded) >= length and folded not in STOP_WORDS and folded not in seen:
            seen.append(folded)
    return seen


def normalised(text: str) -> list[str]:
    """The words of a text, case folded: punctuation and spacing do not make it differ."""
    return [w.casefold() for w in _WORD_RE.findall(text)]


def starts_with_richtig(fragment: str) -> bool:
    return re.match(r"richtig\b", plain(fragment), re.IGNORECASE) is not None


def acceptable(fragment: str) -> bool:
    """Praised, or marked as a defensible second way ('Vertretbar', 'Auch gut', ...)."""
    return sounds_good(fragment) or _DEFENSIBLE_RE.match(plain(fragment)) is not None


def sounds_good(fragment: str) -> bool:
    """Feedback that opens with praise: the format's way of marking a good scenario option."""
    return _POSITIVE_RE.match(plain(fragment)) is not None
