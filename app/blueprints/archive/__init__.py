"""档案室 (/archive/): the archive's pages. The filing core (services.archive) is built; its
catalogue, handovers, loans, holds, disposals and checks pages come next (issue 13), and until
then the navigation shows the archive's placeholder."""

from flask import Blueprint

from app.services.archive import registration

bp = Blueprint("archive", __name__, url_prefix="/archive")


def plug_in(app) -> None:
    """The archive's one registration: its audit labels (services.archive.registration), then
    its pages."""
    registration.plug_in()
    app.register_blueprint(bp)
