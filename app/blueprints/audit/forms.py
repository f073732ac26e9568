"""Audit trail filters."""

from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import Optional

from app.forms import FilterForm, strip
from app.parsing import DayField, IdField


class AuditFilterForm(FilterForm):
    actor = StringField(_l("操作人"), filters=[strip])
    action = StringField(_l("操作"), filters=[strip])
    object_type = StringField(_l("对象类型"), filters=[strip])
    object_id = IdField(_l("对象编号"), validators=[Optional()])
    object_label = StringField(_l("对象名称或编号"), filters=[strip])
    date_from = DayField(_l("起始日期"), validators=[Optional()])
    date_to = DayField(_l("截止日期"), validators=[Optional()])
    after = StringField()
    before = StringField()
