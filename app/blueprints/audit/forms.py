"""Audit trail filters: the action, the type of object and the user chosen from lists (their
names, as the domains registered them), the object by name or number, a date range."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField
from wtforms.validators import Optional

from app.forms import FilterForm, strip
from app.parsing import DayField, IdField
from app.services.core.audit_queries import AuditFilters, FilterChoices


class AuditFilterForm(FilterForm):
    # Any code is accepted (a link may name an action no domain registered); the lists offer
    # the registered ones.
    action = SelectField(_l("操作"), filters=[strip], validate_choice=False)
    object_type = SelectField(_l("对象类型"), filters=[strip], validate_choice=False)
    actor = IdField(_l("操作人"), validators=[Optional()])
    object_id = IdField(_l("对象编号"), validators=[Optional()])
    object_label = StringField(_l("对象名称或编号"), filters=[strip])
    date_from = DayField(_l("起始日期"), validators=[Optional()])
    date_to = DayField(_l("截止日期"), validators=[Optional()])
    after = StringField()
    before = StringField()

    def offer(self, choices: FilterChoices) -> "AuditFilterForm":
        """The lists' options as plain (code, name) pairs: the page writes them out itself,
        a hundred options through WTForms' widgets cost more than the rest of its filters."""
        self.action.choices = [("", _("全部操作")), *choices.actions]
        self.object_type.choices = [("", _("全部对象类型")), *choices.object_types]
        self.actors = choices.actors
        return self

    def filters(self) -> AuditFilters:
        """The valid filters; an invalid one is left out (its error stays on its field)."""
        values = self.checked()
        return AuditFilters(
            actor_id=values["actor"], action=values["action"] or "",
            object_type=values["object_type"] or "", object_id=values["object_id"],
            object_label=values["object_label"] or "",
            date_from=values["date_from"], date_to=values["date_to"])
