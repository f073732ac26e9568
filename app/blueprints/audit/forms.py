"""Audit trail filters: the action and the type of object chosen from lists (their names, as
the domains registered them), the user from the picker (or typed: username or employee
number), the object by name or number, a date range."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField, ValidationError
from wtforms.validators import Optional

from app.forms import FilterForm, strip
from app.parsing import DayField, IdField, to_id
from app.services.core.audit_queries import (
    AuditFilters,
    FilterChoices,
    actor_by_id,
    actor_named,
)


class AuditFilterForm(FilterForm):
    # Any code is accepted (a link may name an action no domain registered); the lists offer
    # the registered ones.
    action = SelectField(_l("操作"), filters=[strip], validate_choice=False)
    object_type = SelectField(_l("对象类型"), filters=[strip], validate_choice=False)
    # The picker's id; typed without its script, a username or employee number.
    actor = StringField(_l("操作人"), filters=[strip])
    object_id = IdField(_l("对象编号"), validators=[Optional()])
    object_label = StringField(_l("对象名称或编号"), filters=[strip])
    date_from = DayField(_l("起始日期"), validators=[Optional()])
    date_to = DayField(_l("截止日期"), validators=[Optional()])
    after = StringField()
    before = StringField()
    actor_id: int | None = None
    actor_text: str | None = None

    def offer(self, choices: FilterChoices) -> "AuditFilterForm":
        """The lists' options as plain (code, name) pairs: the page writes them out itself,
        a hundred options through WTForms' widgets cost more than the rest of its filters."""
        self.action.choices = [("", _("全部操作")), *choices.actions]
        self.object_type.choices = [("", _("全部对象类型")), *choices.object_types]
        return self

    def validate_actor(self, field) -> None:
        """Keeps the chosen user's id and label (`actor_id`, `actor_text`) for the filter and
        the picker; refuses a name that is no one user's."""
        self.actor_id = self.actor_text = None
        if not field.data:
            return
        self.actor_id = to_id(field.data)
        if self.actor_id is not None:
            self.actor_text = actor_by_id(self.actor_id)
            return
        named = actor_named(field.data) if not field.data.isdigit() else None
        if named is None:
            raise ValidationError(_("没有找到这个操作人：请从列表中选择，或输入其用户名或工号。"))
        self.actor_id, self.actor_text = named

    def filters(self) -> AuditFilters:
        """The valid filters; an invalid one is left out (its error stays on its field)."""
        values = self.checked()
        return AuditFilters(
            actor_id=self.actor_id if values["actor"] else None, action=values["action"] or "",
            object_type=values["object_type"] or "", object_id=values["object_id"],
            object_label=values["object_label"] or "",
            date_from=values["date_from"], date_to=values["date_to"])
