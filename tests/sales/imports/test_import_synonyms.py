"""Imports read what people write (issue 10, requirement 8): every choice by its label, code
or a common synonym (A/A类/A类客户/重点/A类(重点), B类/B/普通 for B类(普通)), full-width
letters and brackets and any case alike; dates as 2026/1/15, 2026.1.15, 2026年1月15日,
2026-01-15 or an Excel date cell."""

from datetime import date, datetime

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Customer, CustomerKind, Grade, Level, Source
from tests.factories.imports import imported, row
from tests.factories.people import make_people

pytestmark = pytest.mark.usefixtures("immediate_jobs")

GRADES = {"A": Grade.A, "A类": Grade.A, "A类客户": Grade.A, "重点": Grade.A,
          "A类(重点)": Grade.A, "ａ类（重点）": Grade.A, "B类": Grade.B, "b": Grade.B,
          "普通": Grade.B, "普通客户": Grade.B, "C级": Grade.C, "潜力": Grade.C}
DATES = ["2025/1/15", "2025.1.15", "2025年1月15日", "2025-01-15", datetime(2025, 1, 15),
         45672]  # 45672: Excel's day number of 2025-01-15


def _customers(app) -> dict[str, Customer]:
    with app.app_context():
        return {c.name: c for c in db.session.scalars(select(Customer))}


def test_grades_are_read_from_labels_codes_and_synonyms(client, app):
    make_people(app, "sales1")
    client.login("sales1")
    rows = [row(n, 客户等级=written) for n, written in enumerate(GRADES, start=1)]
    imported(client, rows)
    found = _customers(app)
    assert {written: found[f"导入测试{n}有限公司"].grade
            for n, written in enumerate(GRADES, start=1)} == GRADES


def test_other_choices_take_synonyms_too(client, app):
    make_people(app, "sales1")
    client.login("sales1")
    imported(client, [row(1, 客户来源="老客户介绍", 客户性质="公司", 密级="内部级",
                          客户类型="成交")])
    customer = _customers(app)["导入测试1有限公司"]
    assert (customer.source, customer.kind, customer.confidentiality) == (
        Source.REFERRAL, CustomerKind.UNIT, Level.INTERNAL)


def test_dates_are_read_in_every_common_form(client, app):
    make_people(app, "sales1")
    client.login("sales1")
    imported(client, [row(n, 首次接触时间=written) for n, written in enumerate(DATES, start=1)])
    found = _customers(app)
    assert {found[f"导入测试{n}有限公司"].first_contact_date
            for n in range(1, len(DATES) + 1)} == {date(2025, 1, 15)}
