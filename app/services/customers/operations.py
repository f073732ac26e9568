"""The customer master: create and edit with duplicate checks, numbering and audit."""

import re
import unicodedata
from dataclasses import asdict, dataclass
from datetime import date
from functools import lru_cache
from itertools import chain

from flask_babel import gettext as _
from pypinyin import Style
from pypinyin.converter import UltimateConverter
from pypinyin.core import Pinyin
from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError

from app import policy
from app.extensions import db
from app.models import (
    Customer,
    CustomerKind,
    CustomerType,
    DeptCode,
    Grade,
    Industry,
    Level,
    Role,
    Source,
    User,
)
from app.policy import Action
from app.services.core import audit, edits, errors, numbering
from app.services.core.search import index_tokens
from app.services.core.validation import is_blank
from app.services.customers import followers


@dataclass
class CustomerData:
    """Validated values of the customer form (personal fields None = leave unchanged)."""

    name: str
    kind: CustomerKind
    contact_name: str
    phone: str | None
    email: str | None
    address: str | None
    industry: Industry
    type: CustomerType
    grade: Grade
    source: Source | None
    first_contact_date: date | None
    confidentiality: Level
    id_number: str | None
    remarks: str | None
    owner_id: int


class DuplicateName(Exception):
    def __init__(self, existing: Customer | None):
        super().__init__("duplicate customer name")
        self.existing = existing


class Refused(errors.Refused):
    """A rule of the customer master refuses the values."""


def _check_owner(owner: User | None, level: Level) -> User:
    """The owner must be an active salesperson cleared for the record's level."""
    if (owner is None or not owner.active or owner.role not in (Role.STAFF, Role.MANAGER)
            or not owner.in_department(DeptCode.SALES)):
        raise Refused(_("请选择在职的销售人员作为负责人。"), "owner")
    if owner.clearance < level:
        raise Refused(_("负责人 %(name)s 的涉密级别（%(clearance)s）低于该客户的密级，"
                        "无法查看此客户。", name=owner.full_name,
                        clearance=owner.clearance.label), "owner")
    return owner


EDITABLE = ("name", "kind", "contact_name", "phone", "email", "address", "industry", "type",
            "grade", "source", "first_contact_date", "confidentiality", "id_number", "remarks")


def name_key(name: str) -> str:
    """The name as compared for duplicates: full/half width folded, spaces ignored, any case."""
    return "".join(unicodedata.normalize("NFKC", name).split()).casefold()


def find_by_name(name: str, exclude_id: int | None = None) -> Customer | None:
    query = select(Customer).where(Customer.name_key == name_key(name))
    if exclude_id:
        query = query.where(Customer.id != exclude_id)
    return db.session.scalar(query)


def same_phone(phone: str, viewer: User, exclude_id: int | None = None,
               limit: int = 3) -> list[Customer]:
    """Customers registered with this phone whose full profile `viewer` may see. A phone is
    personal data: no customer seen only as a basic card (or not at all) is named by it."""
    query = policy.scope(select(Customer).where(Customer.phone == phone), viewer, Customer,
                         Action.VIEW).order_by(Customer.id).limit(limit)
    if exclude_id:
        query = query.where(Customer.id != exclude_id)
    return list(db.session.scalars(query))


# pypinyin.lazy_pinyin's own converter and segmentation; each segment's reading is cached (a
# ledger repeats its words: 有限公司, 科技, 北京), the result is lazy_pinyin's exactly.
_PINYIN = Pinyin(UltimateConverter(v_to_u=False, neutral_tone_with_five=False, tone_sandhi=False))
_NOT_INITIAL = re.compile(r"[^0-9a-z]+")


@lru_cache(maxsize=65536)
def _segment_pinyin(words: str) -> str:
    return "".join(chain(*_PINYIN._converter.convert(
        words, Style.NORMAL, False, "default", strict=True)))


def pinyin_text(name: str) -> str:
    """"".join(pypinyin.lazy_pinyin(name)), with the segments' readings cached."""
    return "".join(_segment_pinyin(words) for words in _PINYIN.seg(name))


@lru_cache(maxsize=65536)
def _segment_initials(words: str) -> str:
    return "".join(chain(*_PINYIN._converter.convert(
        words, Style.FIRST_LETTER, False, "default", strict=True)))


def pinyin_initials(name: str) -> str:
    """The first letter of each character's reading, with the letters and digits of the name
    (华信科技 → hxkj, 重庆ABC → cqabc): what the pickers match when someone types initials."""
    letters = "".join(_segment_initials(words) for words in _PINYIN.seg(name))
    return "".join(_NOT_INITIAL.split(unicodedata.normalize("NFKC", letters).casefold()))[:100]


def _derive(customer: Customer) -> None:
    customer.name_key = name_key(customer.name)
    customer.name_sort = pinyin_text(customer.name).casefold()[:400]
    customer.name_initials = pinyin_initials(customer.name)
    customer.search_text = index_tokens(customer.name, customer.number, customer.contact_name)


def _snapshot(customer: Customer) -> dict:
    values = {field: getattr(customer, field) for field in EDITABLE}
    values["owner"] = str(customer.owner) if customer.owner else None
    return values


def _check_name(name: str | None) -> None:
    """A name of only spaces is no name, whichever way it arrives (form, import, service)."""
    if is_blank(name):
        raise Refused(_("请填写客户名称（单位全称或个人姓名）。"), "name")


def create_customer(data: CustomerData, actor: User) -> Customer:
    """Registers a customer under a new number; refuses a blank name or one that is already
    registered."""
    _check_name(data.name)
    if find_by_name(data.name):
        raise DuplicateName(find_by_name(data.name))
    owner = _check_owner(db.session.get(User, data.owner_id), data.confidentiality)
    values = {k: v for k, v in asdict(data).items() if k != "owner_id"}
    customer = Customer(**values, number=numbering.customer_number(data.industry.value),
                        owner=owner, department_id=owner.department_id, created_by_id=actor.id)
    _derive(customer)
    db.session.add(customer)
    try:
        db.session.flush()
    except IntegrityError as error:  # a colleague registered the same name a moment ago
        db.session.rollback()
        raise DuplicateName(find_by_name(data.name)) from error
    changes = audit.field_changes({}, _snapshot(customer), Customer.PII_FIELDS)
    audit.record("customer_created", customer, changes=changes, actor=actor)
    return customer


def requested_values(customer: Customer, data: CustomerData) -> dict:
    """The form's values that differ from the record (blank personal fields mean unchanged)."""
    wanted = {field: getattr(data, field) for field in EDITABLE}
    wanted["owner_id"] = data.owner_id
    return {field: value for field, value in wanted.items()
            if not (field in Customer.PII_FIELDS and value is None)
            and audit.plain_value(value) != audit.plain_value(getattr(customer, field))}


def check_values(customer: Customer, values: dict) -> User:
    """Refuses a name taken by another customer or an owner not cleared for the level;
    returns the owner the values leave the customer with."""
    if "name" in values:
        _check_name(values["name"])
    if "name" in values and find_by_name(values["name"], exclude_id=customer.id):
        raise DuplicateName(find_by_name(values["name"], exclude_id=customer.id))
    level = values.get("confidentiality", customer.confidentiality)
    owner = _check_owner(db.session.get(User, values.get("owner_id", customer.owner_id)), level)
    if owner.id != customer.owner_id and followers.above([customer.id], owner.clearance):
        raise Refused(_("负责人 %(name)s 的涉密级别（%(clearance)s）低于该客户部分合同或"
                        "销售记录的密级，无法接手此客户。", name=owner.full_name,
                        clearance=owner.clearance.label), "owner")
    return owner


def update_customer(customer: Customer, values: dict, expected_version: int,
                    actor: User) -> dict:
    """Saves changed `values` of an edit made on `expected_version`; raises EditConflict if
    it is stale, DuplicateName or Refused if a rule refuses the values."""
    edits.check_version(customer, expected_version)
    owner = check_values(customer, values)
    before = _snapshot(customer)
    for field, value in values.items():
        if field != "owner_id":
            setattr(customer, field, value)
    moves = owner.id != customer.owner_id
    if moves:
        customer.owner = owner
        customer.department_id = owner.department_id
    changes = audit.field_changes(before, _snapshot(customer), Customer.PII_FIELDS)
    if not changes:
        return {}
    _derive(customer)
    try:
        edits.flush_edit()
    except IntegrityError as error:
        db.session.rollback()
        raise DuplicateName(find_by_name(customer.name, exclude_id=customer.id)) from error
    if moves:  # its sales records follow (a draft's visits, referrals...)
        followers.follow_owner([customer.id], owner)
    audit.record("customer_updated", customer, changes=changes, actor=actor)
    return changes


def apply_key_changes(customer: Customer, values: dict) -> dict[str, int]:
    """Applies approved key-field values (a change request, a transfer) and keeps derived
    fields in step; a new owner takes the customer's sales records along. Returns how many
    records of each kind moved (followers.follow_owner; empty if the owner stays)."""
    before = _snapshot(customer)
    moved = {}
    for field, value in values.items():
        if field == "owner_id":
            if value != customer.owner_id:
                moved = followers.follow_owner([customer.id], db.session.get(User, value))
            customer.owner = db.session.get(User, value)
            customer.department_id = customer.owner.department_id
        else:
            setattr(customer, field, value)
    _derive(customer)
    audit.record("customer_changed", customer,
                 changes=audit.field_changes(before, _snapshot(customer), Customer.PII_FIELDS))
    return moved


class CappedCount(int):
    """A count that stopped at the cap: shown as "1000+" when there are more; sums of capped
    counts stay marked (the home page adds the counts of the types up)."""

    def __new__(cls, value: int, capped: bool = False):
        count = super().__new__(cls, value)
        count.capped = capped
        return count

    def __add__(self, other):
        return CappedCount(int(self) + int(other), self.capped or getattr(other, "capped", False))

    __radd__ = __add__

    def __str__(self) -> str:
        return f"{int(self)}+" if self.capped else int.__repr__(self)


def by_type(query: Select) -> list[tuple[CustomerType, Select]]:
    """The customers `query` selects (already scoped by policy), type by type: the home page
    counts each no further than COUNT_CAP + 1 rows (so that 200,000 customers cost what a
    thousand do), in the statement that counts its other figures."""
    return [(kind, query.where(Customer.type == kind)) for kind in CustomerType]
