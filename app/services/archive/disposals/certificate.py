"""The destruction certificate (档案销毁证明) of a finished list, printed from what the archive
keeps for good: every entry with its outcome (destroyed, kept with the reviewer's reason, not
destroyed with the guard's), the items' hashes, the approval's signatures and the archivist's
countersignature; watermarked from 秘密 up, and audited."""

from flask_babel import gettext as _

from app.models import User
from app.services.archive.disposals.lists import DisposalPage
from app.services.core.audit_labels import object_type_label as kind_label
from app.services.core.pdf import Printed, render, watermark
from app.timeutil import local_today


def certificate(page: DisposalPage, viewer: User) -> Printed:
    """The certificate's print, audited as a print of the list."""
    disposal = page.disposal
    level = disposal.confidentiality
    data = render("archive/disposals/certificate.html", page=page, disposal=disposal,
                  level=level, watermark=watermark(level, viewer), print_date=local_today(),
                  kind_label=kind_label)
    return Printed.named(data, _("档案销毁证明"), "disposal-certificate",
                         disposal.number).audited(disposal, viewer)
