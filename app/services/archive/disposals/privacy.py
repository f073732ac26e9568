"""PIPL §47 for destroyed items: once an item's retention has ended and its content is gone,
the archive's own metadata keeps no personal data of an individual customer (客户类型 个人).
The item's title (which names the person: 客户编号 + 姓名, or a contract named after them) becomes
its business number marked as erased, its link to the customer is cut, and the catalogue's title
index follows. What stays is what identifies the record, not the person: 档号, kind, business
number, department, dates, hashes. Unit customers' names are not personal data and stay. The
customer master is not the archive's to change (its own retention rules apply), and the audit
trail, which named the title at filing, is storage-only: append-only, read by auditors."""

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select, update

from app.extensions import db
from app.models import Customer, CustomerKind
from app.models.archive import ArchiveItem, ArchiveItemSearch
from app.services.core.search import index_tokens


def names_a_person(item: ArchiveItem) -> bool:
    """Is the item about an individual customer?"""
    if item.customer_id is None:
        return False
    kind = db.session.scalar(select(Customer.kind).where(Customer.id == item.customer_id))
    return kind == CustomerKind.PERSON


def erased_title(item: ArchiveItem) -> str:
    """The title a destroyed item of a person keeps, in the archive's language."""
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        return _("%(number)s（个人信息已删除）", number=item.business_number)[:200]


def forget_person(item: ArchiveItem) -> bool:
    """Erases the personal data of a destroyed item of an individual customer; True when it
    did (a unit's item keeps its title)."""
    if not names_a_person(item):
        return False
    item.title, item.customer_id = erased_title(item), None
    db.session.execute(update(ArchiveItemSearch).where(ArchiveItemSearch.id == item.id)
                       .values(title=item.title, search_text=index_tokens(item.title)))
    return True
