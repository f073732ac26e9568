"""Forms of the Excel import pages (field names are a stable contract: ledger, file)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import RadioField, SelectField

from app.forms import options
from app.models import DuplicateRule
from app.services.imports import registry


class UploadForm(FlaskForm):
    ledger = SelectField(_l("导入到"), choices=lambda: options(registry.labels().items()),
                         default="customers")
    file = FileField(_l("Excel 文件（.xlsx、.xls、.ods）"), validators=[
        FileRequired(_l("请选择要导入的 Excel 文件。")),
        FileAllowed(["xlsx", "xls", "ods"],
                    _l("请上传 .xlsx 格式的 Excel 文件，或 .xls、.ods 表格。"))])
    duplicate_rule = RadioField(_l("遇到已有记录"), choices=options(DuplicateRule.choices()),
                                default=DuplicateRule.SKIP.value)


class StartForm(FlaskForm):
    duplicate_rule = RadioField(_l("遇到已有记录"), choices=options(DuplicateRule.choices()),
                                default=DuplicateRule.SKIP.value)
