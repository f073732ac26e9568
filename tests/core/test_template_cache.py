"""Compiled templates are kept in instance/jinja/ between processes outside debug and tests
(app/web.py); an edited template is compiled afresh."""

import os

from jinja2 import FileSystemBytecodeCache, FileSystemLoader

from app import create_app
from app.config import TestConfig


def test_outside_tests_compiled_templates_are_kept_and_edits_show(tmp_path):
    """Rule: kept code is used only while the template's source is unchanged."""
    app = create_app(TestConfig, TESTING=False, SQLALCHEMY_DATABASE_URI="sqlite://",
                     SECRET_KEY="test-secret")
    kept = app.jinja_env.bytecode_cache
    assert isinstance(kept, FileSystemBytecodeCache)
    assert kept.directory == os.path.join(app.instance_path, "jinja")
    page = tmp_path / "page.html"
    page.write_text("first", encoding="utf-8")
    assert app.jinja_env.overlay(loader=FileSystemLoader(tmp_path)).get_template(
        "page.html").render() == "first"
    page.write_text("second", encoding="utf-8")
    assert app.jinja_env.overlay(loader=FileSystemLoader(tmp_path)).get_template(
        "page.html").render() == "second"


def test_tests_compile_templates_afresh(app):
    assert app.jinja_env.bytecode_cache is None
