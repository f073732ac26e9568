"""What every ledger importer shares: columns, the header check, row outcomes and the plan.

An importer checks rows in chunks (`plan`), the same way for the dry run and for the job, and
writes a chunk's plans in one transaction (`write`). A plan never half-applies: a row is either
written whole or not at all.
"""

import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.models import DuplicateRule
from app.models.base import Choice
from app.services.imports.errors import BadFile, Unreadable


class Outcome(Choice):
    CREATE = ("create", _l("新增"))
    UPDATE = ("update", _l("更新"))
    SKIP = ("skip", _l("跳过"))
    ERROR = ("error", _l("错误"))


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # the seeds' Chinese column name, exactly as in the template
    required: bool = False
    hint: str = ""
    aliases: tuple[str, ...] = ()  # other names the header may use (older ledgers, exports)
    text: bool = False  # kept as text in the template, so Excel does not turn it into a number
    template: bool = True  # False: read when present (an export's columns), not in the template


@dataclass
class Plan:
    """One row's result. `existing` is set for duplicates: under the skip rule the row is
    skipped; under the update rule it becomes `on_update` (UPDATE, or ERROR with its reason)."""

    row: int
    label: str
    outcome: Outcome
    reason: str = ""
    values: dict = field(default_factory=dict)
    existing: object = None
    on_update: Outcome | None = None
    update_reason: str = ""

    def under(self, rule: DuplicateRule) -> tuple[Outcome, str]:
        """(outcome, reason) of the row when duplicates follow `rule`."""
        if self.existing is None or self.on_update is None:
            return self.outcome, self.reason
        if rule == DuplicateRule.UPDATE:
            return self.on_update, self.update_reason
        return Outcome.SKIP, self.reason


def header_key(text) -> str:
    """A header as compared: full/half width folded, spaces and required marks (*) dropped."""
    folded = unicodedata.normalize("NFKC", str(text or ""))
    return "".join(folded.split()).replace("*", "").replace("(必填)", "")


def cell_text(value) -> str:
    """A cell as text: integers without '.0' (phones typed as numbers), dates as ISO."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date() if value.time() == datetime.min.time() else value
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _label(cells: dict) -> str:
    """A failed row's name in the results: its first readable, non-blank cell."""
    for value in cells.values():
        if type(value) is not Unreadable and cell_text(value):
            return cell_text(value)[:100]
    return "—"


class Importer:
    """A ledger's import: its columns and how its rows are checked and written."""

    ledger = ""
    label = ""
    duplicates = ""  # what counts as a record already there, for the upload page
    note = ""  # what the upload page says about this ledger's import
    columns: tuple[Column, ...] = ()
    choice_enums: dict = {}  # {column key: enum} of the columns with a short list of values
    retryable: tuple[type[Exception], ...] = ()  # a chunk's write raising these is retried

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]

    @property
    def labels(self) -> dict[str, str]:
        """{column key: header}, to name a column in a row's problems."""
        return {c.key: c.header for c in self.columns}

    def map_headers(self, header_row: list) -> dict[int, str]:
        """{cell index: column key}; refuses a missing required or a repeated column."""
        known = {header_key(name): c.key for c in self.columns
                 for name in (c.header, *c.aliases)}
        mapping: dict[int, str] = {}
        for index, text in enumerate(header_row):
            key = known.get(header_key(text))
            if key is None:
                continue
            if key in mapping.values():
                raise BadFile(_("表头中「%(name)s」列出现了不止一次。", name=cell_text(text)))
            mapping[index] = key
        missing = [c.header for c in self.columns if c.required and c.key not in mapping.values()]
        if missing:
            raise BadFile(_("表头缺少必填列：%(names)s。请使用导入模板的表头（第一行）。",
                            names="、".join(missing)))
        return mapping

    def choice_labels(self, key: str) -> list[str]:
        """The labels a column accepts, when it is a short list (the template's drop-downs)."""
        enum = self.choice_enums.get(key)
        return [str(m.label) for m in enum] if enum else []

    def plan_rows(self, rows: list[tuple[int, dict]], state) -> list[Plan]:
        """`plan`, except that a row with a cell the file does not hold a value for (a formula
        saved without its result, an error value) fails without being checked further."""
        readable, failed = [], []
        for row, cells in rows:
            problems = list(dict.fromkeys(  # a row unreadable as a whole says so once
                value.problem % {"column": self.labels.get(key, key)}
                for key, value in cells.items() if type(value) is Unreadable))
            if problems:
                failed.append(Plan(row, _label(cells), Outcome.ERROR, "；".join(problems)))
            else:
                readable.append((row, cells))
        plans = self.plan(readable, state) if readable else []
        return sorted(plans + failed, key=lambda plan: plan.row) if failed else plans

    def begin(self, actor, rule: DuplicateRule):
        """The state a whole file's check or run shares (caches, names seen earlier)."""
        raise NotImplementedError

    def plan(self, rows: list[tuple[int, dict]], state) -> list[Plan]:
        """Checks a chunk of rows ({column key: cell value}) without writing anything."""
        raise NotImplementedError

    def write(self, plans: list[Plan], state, batch) -> None:
        """Writes a chunk's CREATE and UPDATE plans (in the caller's transaction)."""
        raise NotImplementedError
