"""Form pieces every blueprint uses."""

from flask_wtf import FlaskForm


class EmptyForm(FlaskForm):
    """CSRF protection for action buttons that submit no fields."""


def strip(value):
    return value.strip() if isinstance(value, str) else value


def blank_to_none(value):
    value = strip(value)
    return value or None
