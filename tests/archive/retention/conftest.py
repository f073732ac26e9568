"""The retention schedule's tests: recompute runs in Huey's immediate mode (inside the request
that saves a change), and helpers to read the schedule and edit it as the administrator."""

import re

import pytest
from sqlalchemy import select

from app import jobs
from app.extensions import db
from app.models.archive import RetentionRule


@pytest.fixture(autouse=True)
def immediate_jobs():
    jobs.huey.immediate = True
    yield
    jobs.huey.immediate = False


def rule_of(app, record_type: str) -> RetentionRule:
    """The stored rule of a record type, detached (its values loaded)."""
    with app.app_context():
        rule = db.session.scalar(select(RetentionRule).where(
            RetentionRule.record_type == record_type))
        db.session.expunge(rule)
        return rule


def edit_form(client, rule_id: int, **values):
    """Posts the edit form of the rule as its page shows it now, with `values` changed."""
    page = client.get(f"/archive/retention/{rule_id}/edit").get_data(as_text=True)
    stamp = re.search(r'name="stamp" type="hidden" value="([^"]*)"', page).group(1)
    data = {"years": "", "trigger": "completion", "reason": "依据新规定调整", "stamp": stamp,
            **values}
    return client.post_form(f"/archive/retention/{rule_id}/edit", data)
