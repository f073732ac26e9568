"""The labels of stored choices (Choice, LevelChoice: statuses, kinds, levels…) in the request's
language, translated once per process and language: a list would otherwise translate a lazy
label for every row and cell, which costs more than loading the rows. Every domain's services,
views and templates (the `label` filter and `labels_of` global of app/web.py) read them here."""

from enum import Enum

from flask_babel import get_locale

# {(locale, enum class, as HTML): {member: label}}: a few dozen enums in two languages.
_TRANSLATED: dict[tuple, dict] = {}


def labels_of(choice: type[Enum]) -> dict:
    """{member: label} of the enum `choice` in the request's language, as plain text."""
    key = (get_locale(), choice, False)
    found = _TRANSLATED.get(key)
    if found is None:
        found = _TRANSLATED[key] = {member: str(member.label) for member in choice}
    return found


def html_labels_of(choice: type[Enum]) -> dict:
    """{member: label} as a template writes the member's own label: a translated (lazy) label
    is safe HTML by Flask-Babel's word (a catalogue text), a plain one is text to escape."""
    key = (get_locale(), choice, True)
    found = _TRANSLATED.get(key)
    if found is None:
        found = _TRANSLATED[key] = {member: _as_written(member.label) for member in choice}
    return found


def html_label(member) -> str:
    """One member's label as html_labels_of gives it, "" for no member: the `label` filter of
    every template, so a page's dozen labels each cost one call and two lookups."""
    if member is None:
        return ""
    labels = _TRANSLATED.get((get_locale(), type(member), True))
    if labels is None:
        try:
            labels = html_labels_of(type(member))
        except TypeError:  # not a choice: an object carrying a label of its own
            return member.label
    return labels[member]


def _as_written(label):
    return label.__html__() if hasattr(label, "__html__") else str(label)
