"""The archive's one registration (create_app calls plug_in through its blueprint package):
the audit trail's names of its actions. Record kinds are filed through the registry of
services.core.record_kinds, which each department fills."""

from app.services.archive import audit_labels


def plug_in() -> None:
    audit_labels.register()
