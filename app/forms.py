"""Form pieces every blueprint uses."""

from flask_wtf import FlaskForm
from wtforms import SelectChoice

LANGUAGES = (("zh_CN", "中文"), ("en", "English"))


class EmptyForm(FlaskForm):
    """CSRF protection for action buttons that submit no fields."""


def strip(value):
    return value.strip() if isinstance(value, str) else value


def blank_to_none(value):
    value = strip(value)
    return value or None


def options(*groups) -> list[SelectChoice]:
    """SelectField choices from groups of (value, label) pairs."""
    return [SelectChoice(value, label) for group in groups for value, label in group]
