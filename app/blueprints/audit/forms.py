"""Audit trail filters."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, StringField
from wtforms.validators import Optional

from app.forms import strip


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False

    actor = StringField(_l("操作人"), filters=[strip])
    action = StringField(_l("操作"), filters=[strip])
    object_type = StringField(_l("对象类型"), filters=[strip])
    object_id = StringField(_l("对象编号"), filters=[strip])
    date_from = DateField(_l("起始日期"), validators=[Optional()])
    date_to = DateField(_l("截止日期"), validators=[Optional()])
    after = StringField()
    before = StringField()
