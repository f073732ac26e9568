"""The navigation's URLs are built once per application root (app/navigation.py)."""

from app.navigation import NavItem


def test_navigation_urls_follow_the_application_root(app):
    """Rule: a URL kept for one root is never served under another (behind a proxy prefix)."""
    item = NavItem("客户档案", "customers.customer_list")
    with app.test_request_context("/"):
        assert item.url == "/customers/"
    with app.test_request_context("/", base_url="http://localhost/taizhang"):
        assert item.url == "/taizhang/customers/"
    with app.test_request_context("/"):
        assert item.url == "/customers/"
