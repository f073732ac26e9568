"""A contract's values as the forms give them and as signed content stores them (canonical JSON:
Decimals as strings, dates ISO, enums by code), and the rules they must meet."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from flask_babel import gettext as _

from app.models import ContractKind, Customer, Level, TemplateSource, TermKind, User
from app.services.core.money import MAX_AMOUNT, line_amount, total

THOUSANDTH = Decimal("0.001")
FEN = Decimal("0.01")
HEADER_FIELDS = (
    "name", "customer_id", "kind", "template_source", "sign_date", "start_date", "end_date",
    "delivery_date", "delivery_place", "acceptance_method", "quality_requirements",
    "has_penalty", "penalty_clause", "key_terms", "sample_sealed", "copies", "pages_per_copy",
    "remarks", "confidentiality")
DATE_FIELDS = ("sign_date", "start_date", "end_date", "delivery_date")


@dataclass
class LineData:
    """产品名称, 规格型号, 单位, 数量, 单价; 金额 is always computed."""

    product: str
    spec: str | None
    unit: str | None
    quantity: Decimal
    unit_price: Decimal

    @property
    def amount(self) -> Decimal:
        return line_amount(self.quantity, self.unit_price)


@dataclass
class TermData:
    """A payment term; `id` keeps an existing term (and its payments) when a contract changes."""

    kind: TermKind
    amount: Decimal
    due_date: date
    id: int | None = None


@dataclass
class ContractData:
    name: str
    customer_id: int
    kind: ContractKind
    template_source: TemplateSource | None = None
    sign_date: date | None = None
    start_date: date | None = None
    end_date: date | None = None
    delivery_date: date | None = None
    delivery_place: str | None = None
    acceptance_method: str | None = None
    quality_requirements: str | None = None
    has_penalty: bool = False
    penalty_clause: str | None = None
    key_terms: str | None = None
    sample_sealed: bool = False
    copies: int | None = None
    pages_per_copy: int | None = None
    remarks: str | None = None
    confidentiality: Level = Level.INTERNAL
    lines: list[LineData] = field(default_factory=list)
    terms: list[TermData] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return total(line.amount for line in self.lines)

    @property
    def terms_total(self) -> Decimal:
        return total(term.amount for term in self.terms)


@dataclass(frozen=True)
class Problem:
    """A refusal: for the whole form (group None), a field, or one row of lines / terms."""

    message: str
    field: str | None = None
    group: str | None = None  # "lines" or "terms"
    row: int | None = None


def _plain_header(data: ContractData) -> dict:
    values = {name: getattr(data, name) for name in HEADER_FIELDS}
    for name in DATE_FIELDS:
        values[name] = values[name].isoformat() if values[name] else None
    values["kind"] = data.kind.value
    values["template_source"] = data.template_source.value if data.template_source else None
    values["confidentiality"] = int(data.confidentiality)
    return values


def plain(data: ContractData, with_ids: bool = True) -> dict:
    """The canonical form: strings for Decimals and dates. Signed content (with_ids False)
    lists terms in due-date order and leaves their row ids out."""
    terms = [{"kind": t.kind.value, "amount": str(Decimal(t.amount).quantize(FEN)),
              "due_date": t.due_date.isoformat(), **({"id": t.id} if with_ids else {})}
             for t in data.terms]
    if not with_ids:
        terms.sort(key=lambda t: (t["due_date"], t["kind"], Decimal(t["amount"])))
    lines = [{"product": ln.product, "spec": ln.spec, "unit": ln.unit,
              "quantity": str(Decimal(ln.quantity).quantize(THOUSANDTH)),
              "unit_price": str(Decimal(ln.unit_price).quantize(FEN)),
              "amount": str(ln.amount)} for ln in data.lines]
    return {**_plain_header(data), "lines": lines, "terms": terms,
            "total_amount": str(data.total)}


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def from_plain(values: dict) -> ContractData:
    """ContractData from its canonical form (a stored change proposal)."""
    header = {name: values.get(name) for name in HEADER_FIELDS}
    for name in DATE_FIELDS:
        header[name] = _date(header[name])
    header["kind"] = ContractKind(header["kind"])
    header["template_source"] = (TemplateSource(header["template_source"])
                                 if header["template_source"] else None)
    header["confidentiality"] = Level(int(header["confidentiality"]))
    lines = [LineData(ln["product"], ln.get("spec"), ln.get("unit"), Decimal(ln["quantity"]),
                      Decimal(ln["unit_price"])) for ln in values.get("lines", [])]
    terms = [TermData(TermKind(t["kind"]), Decimal(t["amount"]), date.fromisoformat(t["due_date"]),
                      t.get("id")) for t in values.get("terms", [])]
    return ContractData(**header, lines=lines, terms=terms)


def data_of(contract) -> ContractData:
    """A contract's current values."""
    header = {name: getattr(contract, name) for name in HEADER_FIELDS}
    lines = [LineData(ln.product, ln.spec, ln.unit, ln.quantity, ln.unit_price)
             for ln in contract.lines]
    terms = [TermData(t.kind, t.amount, t.due_date, t.id) for t in contract.terms]
    return ContractData(**header, lines=lines, terms=terms)


def _level_problems(data: ContractData, customer: Customer, actor: User) -> list[Problem]:
    level, field_name = data.confidentiality, "confidentiality"
    if level > actor.clearance:
        return [Problem(_("密级不能高于您本人的涉密级别。"), field_name)]
    if level < customer.confidentiality:
        return [Problem(_("合同密级不能低于客户的密级（%(level)s）。",
                          level=customer.confidentiality.label), field_name)]
    if customer.owner.clearance < level:
        return [Problem(_("客户负责人%(name)s的涉密级别低于所选密级，将无法查看该合同。",
                          name=customer.owner.full_name), field_name)]
    return []


def _line_problems(data: ContractData) -> list[Problem]:
    if not data.lines:
        return [Problem(_("请至少填写一行产品明细。"), group="lines")]
    found = []
    for row, line in enumerate(data.lines):
        if line.quantity <= 0:
            found.append(Problem(_("数量须大于零。"), "quantity", "lines", row))
        if line.unit_price < 0:
            found.append(Problem(_("单价不能为负数。"), "unit_price", "lines", row))
        elif line.amount > MAX_AMOUNT:
            found.append(Problem(_("金额（数量 × 单价）超过上限 %(max)s 元。",
                                   max=f"{MAX_AMOUNT:,}"), "quantity", "lines", row))
    if not found and data.total > MAX_AMOUNT:
        found.append(Problem(_("合同金额（各行金额之和）超过上限 %(max)s 元。",
                               max=f"{MAX_AMOUNT:,}"), group="lines"))
    return found


def _term_problems(data: ContractData) -> list[Problem]:
    found = [Problem(_("付款金额须大于零。"), "amount", "terms", row)
             for row, term in enumerate(data.terms) if term.amount <= 0]
    if found:
        return found
    if data.terms_total != data.total:
        gap = data.total - data.terms_total
        return [Problem(_("付款条款（预付款、验收款、质保金）合计 ¥%(terms)s，"
                          "与合同金额 ¥%(total)s 不符，相差 ¥%(gap)s。"
                          "各期付款金额之和须等于合同金额。",
                          terms=f"{data.terms_total:,.2f}", total=f"{data.total:,.2f}",
                          gap=f"{gap:,.2f}"), group="terms")]
    return []


def _header_problems(data: ContractData) -> list[Problem]:
    found = []
    if data.start_date and data.end_date and data.end_date < data.start_date:
        found.append(Problem(_("合同期限的结束日期不能早于开始日期。"), "end_date"))
    if data.has_penalty and not (data.penalty_clause or "").strip():
        found.append(Problem(_("罚款合同须填写罚款条款。"), "penalty_clause"))
    return found


def problems(data: ContractData, customer: Customer | None, actor: User) -> list[Problem]:
    """Why these values cannot be saved: no customer, a level below the customer's or above
    the user's clearance, no lines, a non-positive quantity, or terms that do not add up to
    the total."""
    if customer is None:
        return [Problem(_("请选择客户。"), "customer_id")]
    return (_header_problems(data) + _level_problems(data, customer, actor)
            + _line_problems(data) + _term_problems(data))
