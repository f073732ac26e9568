"""The actions policy decides on."""

from enum import StrEnum


class Action(StrEnum):
    VIEW = "view"  # the full record
    VIEW_CARD = "view_card"  # the basic card every department may see (customers)
    CREATE = "create"
    EDIT = "edit"
    SUBMIT = "submit"
    APPROVE = "approve"
    PRINT = "print"
    EXPORT = "export"
    FILE = "file"
    BORROW = "borrow"
    READ_CONTENT = "read_content"  # an archived item's frozen copy (loans, the GM)
    DISPOSE = "dispose"
    REVEAL_PII = "reveal_pii"
    MANAGE = "manage"  # users and settings
