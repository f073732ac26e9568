"""Departments add their notice kinds with notifications.register_messages (from their
plug_in): the kinds are worded in the reader's language like the platform's; registering the
same texts again (an application made twice) is harmless; a kind already worded otherwise is
refused and keeps its wording, so no department rewords another's notices."""

import json

import pytest
from flask_babel import lazy_gettext as _l

from app.models.notifications import Notification
from app.services.core import notifications
from app.services.service.faults import operations as fault_reports
from app.services.service.records import notices as record_notices


@pytest.fixture
def catalogue():
    """The catalogue as the application has it; restored after the test."""
    kept = dict(notifications.MESSAGES)
    yield notifications.MESSAGES
    notifications.MESSAGES.clear()
    notifications.MESSAGES.update(kept)


def _worded(kind: str, **params) -> str:
    return notifications.message(Notification(kind=kind, params=json.dumps(params)))


def test_the_service_departments_notices_are_registered(app):
    """客服部's plug_in registers its record and fault notices, worded from their parameters."""
    assert {*record_notices.MESSAGES, *fault_reports.MESSAGES} <= set(notifications.MESSAGES)
    with app.test_request_context():
        text = _worded("service_assigned", number="2026-TECH-001-001", customer="华信")
    assert text == "客户服务记录「2026-TECH-001-001」（华信）已交由您负责。"


def test_a_new_kind_is_worded_and_the_same_text_may_be_registered_again(app, catalogue):
    """A registered kind is worded like any other; registering it again changes nothing."""
    texts = {"test_notice": _l("测试通知「%(title)s」。")}
    notifications.register_messages(texts)
    notifications.register_messages(dict(texts))
    with app.test_request_context():
        assert _worded("test_notice", title="甲") == "测试通知「甲」。"


def test_a_kind_worded_otherwise_is_refused(app, catalogue):
    """Another text for a kind already registered (the platform's or a department's) is
    refused, and neither that kind nor the others of the call are added or changed."""
    with pytest.raises(ValueError, match="reassigned"):
        notifications.register_messages({"test_other": _l("别的通知"),
                                         "reassigned": _l("改写的通知")})
    assert "test_other" not in catalogue
    with app.test_request_context():
        assert _worded("reassigned", who="甲", c=1, k=2, v=3).startswith("您已接手 甲 的客户 1 个")
