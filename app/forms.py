"""Form pieces every blueprint uses."""

from flask_wtf import FlaskForm
from wtforms import SelectChoice

from app.services.core.validation import is_blank

LANGUAGES = (("zh_CN", "中文"), ("en", "English"))


class EmptyForm(FlaskForm):
    """CSRF protection for action buttons that submit no fields."""


class FilterForm(FlaskForm):
    """A list's filters (GET, no CSRF). Each is applied when its value is valid and ignored,
    its error kept on the field, when not: one bad or missing filter never drops the others."""

    class Meta:
        csrf = False

    def checked(self) -> dict:
        """Every field's value, None where it is invalid."""
        self.validate()
        return {name: None if field.errors else field.data for name, field in self._fields.items()}


def strip(value):
    """Text without its surrounding spaces; one of only spaces or invisible characters is
    empty (app/parsing.py empties such values before any form reads them)."""
    if not isinstance(value, str):
        return value
    return "" if is_blank(value) else value.strip()


def blank_to_none(value):
    value = strip(value)
    return value or None


def options(*groups) -> list[SelectChoice]:
    """SelectField choices from groups of (value, label) pairs."""
    return [SelectChoice(value, label) for group in groups for value, label in group]
