"""One customer row of a spreadsheet to form values, with the customer form's rules and messages
(app/blueprints/customers/forms.py): lengths, phone, e-mail, ID number, dates, clearance."""

from functools import lru_cache

import email_validator
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.models import CustomerKind, CustomerType, Grade, Industry, Level, Source
from app.services.core.validation import id_number_problem, is_valid_phone, normalize_phone
from app.services.imports.base import cell_text
from app.services.imports.fields import choice_table, lookup, parse_date
from app.timeutil import local_today

# (column key, most characters, message when blank or None if optional, message when too long)
TEXTS = (
    ("name", 100, _l("请填写客户名称（单位全称或个人姓名）。"),
     _l("客户名称不能超过 %(max)d 个字。")),
    ("contact_name", 50, _l("请填写联系人姓名。"), _l("联系人不能超过 %(max)d 个字。")),
    ("address", 200, None, _l("地址不能超过 %(max)d 个字。")),
    ("remarks", 2000, None, _l("备注不能超过 %(max)d 个字。")),
)
# (column key, choices, default when blank; None = optional, ... = required)
CHOICES = (
    ("industry", Industry, ...),
    ("type", CustomerType, CustomerType.POTENTIAL),
    ("grade", Grade, Grade.B),
    ("source", Source, None),
    ("kind", CustomerKind, CustomerKind.UNIT),
    ("confidentiality", Level, Level.INTERNAL),
)
ID_PROBLEMS = {
    "format": _l("身份证号应为 18 位，最后一位可以是数字或 X。"),
    "birthdate": _l("身份证号中的出生日期无效。"),
    "checksum": _l("身份证号校验位不正确，请核对。"),
}

class RowReader:
    """Parses rows for one importing user; choice tables are built once per file."""

    def __init__(self, actor):
        self.actor = actor
        self.today = local_today()
        self.tables = {key: choice_table(enum) for key, enum, _default in CHOICES}
        self.column_labels = {key: _column_label(key) for key, _enum, _default in CHOICES}

    def read(self, cells: dict) -> tuple[dict, list[str]]:
        """(values, problems) of a row given as {column key: cell value}."""
        values, problems = {}, []
        for step in (self._texts, self._choices, self._phone, self._email, self._id_number,
                     self._date, self._level):
            step(cells, values, problems)
        values["owner"] = cell_text(cells.get("owner")) or None
        return values, problems

    def _texts(self, cells, values, problems):
        for key, most, blank, too_long in TEXTS:
            text = cell_text(cells.get(key))
            if not text and blank:
                problems.append(str(blank))
            elif len(text) > most:
                problems.append(str(too_long) % {"max": most})
            values[key] = text or None

    def _choices(self, cells, values, problems):
        for key, enum, default in CHOICES:
            text = cell_text(cells.get(key))
            if not text:
                if default is ...:
                    problems.append(_("请填写所属行业。"))
                values[key] = None if default is ... else default
                values.setdefault("blank", set()).add(key)
                continue
            member, problem = lookup(self.tables[key], enum, text, self.column_labels[key])
            if problem:
                problems.append(problem)
            values[key] = member

    def _phone(self, cells, values, problems):
        phone = normalize_phone(cell_text(cells.get("phone")))
        values["phone"] = phone or None
        if not phone:
            values["phone_missing"] = True
        elif not is_valid_phone(phone):
            problems.append(_("请输入有效的手机号（11 位）或带区号的座机号（如 010-12345678）。"))

    def _email(self, cells, values, problems):
        email = cell_text(cells.get("email"))
        values["email"] = email or None
        if not email:
            return
        if not valid_email(email):
            problems.append(_("电子邮箱格式不正确。"))
        if len(email) > 120:
            problems.append(_("电子邮箱不能超过 %(max)d 个字符。", max=120))

    def _id_number(self, cells, values, problems):
        number = cell_text(cells.get("id_number")).upper()
        values["id_number"] = number or None
        if not number:
            return
        if values.get("kind") not in (CustomerKind.PERSON, None):
            problems.append(_("单位客户无需填写身份证号。"))
        elif id_number_problem(number):
            problems.append(str(ID_PROBLEMS[id_number_problem(number)]))

    def _date(self, cells, values, problems):
        raw = cells.get("first_contact_date")
        day = parse_date(raw)
        values["first_contact_date"] = day
        if day is None and cell_text(raw):
            problems.append(_("首次接触时间「%(value)s」不是有效日期，请按 2026-01-15 的格式填写。",
                              value=cell_text(raw)[:40]))
        elif day and day > self.today:
            problems.append(_("首次接触时间不能晚于今天。"))

    def _level(self, cells, values, problems):
        level = values.get("confidentiality")
        if level is not None and level > self.actor.clearance:
            problems.append(_("密级不能高于您本人的涉密级别。"))


@lru_cache(maxsize=4096)
def valid_email(email: str) -> bool:
    """The form's e-mail rule (email_validator, no DNS); cached: a file repeats its domains."""
    try:
        email_validator.validate_email(email, check_deliverability=False)
    except email_validator.EmailNotValidError:
        return False
    return True


def _column_label(key: str) -> str:
    return {"industry": _("所属行业"), "type": _("客户类型"), "grade": _("客户等级"),
            "source": _("客户来源"), "kind": _("客户性质"), "confidentiality": _("密级")}[key]
