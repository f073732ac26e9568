"""The two ways a service says no to a form, whatever the department: a rule refuses the action
(Refused), or the record was saved by someone else after the form was opened (EditConflict).
The views show both the same way (app/blueprints/_kit.py)."""


class Refused(Exception):
    """A rule refuses the action; `message` is for the user, `field` names the form field it is
    about (None: the form as a whole).

    Each department raises its own subclass, so that a view catching one department's refusals
    never swallows another's (the hand-over tells a refused colleague from a wrong password)."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message, self.field = message, field


class EditConflict(Exception):
    """Someone saved the record after the form that edits it was opened (optimistic lock, see
    services/core/edits.py): nothing was saved, and the user decides again on the current
    record."""
