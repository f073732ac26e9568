"""An audit event's changes as people read them: "label: old → new", each field by the label
its domain registered (audit_labels), stored codes shown as their labels, personal data never
in clear (the trail holds only that it changed)."""

import json
from collections.abc import Mapping
from enum import Enum

from flask_babel import gettext as _
from sqlalchemy import select

from app.extensions import db
from app.models import Department
from app.services.core import audit_labels
from app.services.core.audit import CHANGED

EMPTY = "—"


class Reader:
    """Reads the changes of a page of events in the current language; holds what several
    events need, worked out once: the departments' names (read in one statement when the first
    event needs them), each field's label and reading, the line formats."""

    def __init__(self):
        self._departments: dict[int, str] | None = None
        self.names = audit_labels.names()
        self._fields: dict[tuple, tuple] = {}
        self._choices: dict[tuple, str] = {}
        self._change = _("%(field)s：%(old)s → %(new)s")
        self._value = _("%(field)s：%(value)s")
        self._words = {True: _("是"), False: _("否"), CHANGED: _("已修改（个人信息，不记录内容）")}

    def line(self, label: str, new: str, old: str | None = None) -> str:
        """"label: old → new", or "label: new" for a value stated rather than changed."""
        if old is None:
            return self._value % {"field": label, "value": new}
        return self._change % {"field": label, "old": old, "new": new}

    def lines(self, object_type: str | None, changes: str | None) -> list[str]:
        try:
            data = json.loads(changes) if changes else {}
        except ValueError:
            return [self.line(_("内容"), changes)]
        if not isinstance(data, dict):
            return [self.line(_("内容"), self._plain(data))]
        values = [v for v in data.values() if v != CHANGED]
        created = bool(values) and all(_is_pair(v) and v[0] is None for v in values)
        return [self._line(object_type, name, [v[1]] if created and _is_pair(v) else v)
                for name, v in data.items()]

    def _field(self, object_type: str | None, name: str) -> tuple:
        """(label, reading) of a field, looked up once per page."""
        key = (object_type, name)
        found = self._fields.get(key)
        if found is None:
            found = self._fields[key] = (self.names.field(object_type, name),
                                         audit_labels.reading(object_type, name))
        return found

    def _line(self, object_type: str | None, name: str, value) -> str:
        """`value` as stored: [old, new], "changed", or a plain value ([new] for a field of a
        record being created, shown without its empty old value)."""
        label, how = self._field(object_type, name)
        if value == CHANGED:
            return self.line(label, self._words[CHANGED])
        if _reads_whole(how):
            return self.line(label, str(how(value)))
        if _is_pair(value):
            return self.line(label, self.value(name, value[1], how),
                             self.value(name, value[0], how))
        if isinstance(value, list) and len(value) == 1:
            return self.line(label, self.value(name, value[0], how))
        return self.line(label, self.value(name, value, how))

    def value(self, name: str, value, how=None) -> str:
        """A stored value as people read it: codes as their labels, yes/no, a department's
        name; anything else as it was stored."""
        if value is None or value == "":
            return EMPTY
        if isinstance(value, bool):
            return self._words[value]
        if name == "department_id" and isinstance(value, int):
            return self._department(value)
        if isinstance(how, type) and issubclass(how, Enum):
            return self._choice(how, value)
        if isinstance(how, Mapping):
            return str(how.get(value, value))
        return self._plain(value)

    def _choice(self, choice: type[Enum], value) -> str:
        """A stored code as its choice's label, translated once a page per code (a page of
        fifty events repeats a few statuses and kinds many times)."""
        try:
            return self._choices[(choice, value)]
        except KeyError:
            found = self._choices[(choice, value)] = _choice_label(choice, value)
            return found
        except TypeError:  # not a code at all (a list, say): as it was stored
            return _choice_label(choice, value)

    @staticmethod
    def _plain(value) -> str:
        if isinstance(value, dict | list):
            return json.dumps(value, ensure_ascii=False)
        return str(value)

    def _department(self, department_id: int) -> str:
        if self._departments is None:
            self._departments = {row.id: str(row.label)
                                 for row in db.session.scalars(select(Department))}
        return self._departments.get(department_id, str(department_id))


def _choice_label(choice: type[Enum], value) -> str:
    try:
        return str(getattr(choice(value), "label", value))
    except ValueError:
        return str(value)


def _is_pair(value) -> bool:
    return isinstance(value, list) and len(value) == 2


def _reads_whole(how) -> bool:
    """A function reading the whole stored value (a list of numbers, say), not a code."""
    return callable(how) and not isinstance(how, type) and not isinstance(how, Mapping)
