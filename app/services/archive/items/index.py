"""The title search index of filed items (ArchiveItemSearch), written in the transaction that
inserts the item: an item is never catalogued without its index row, nor indexed without
being filed. The filing core (services/archive/filing.py) knows nothing of the catalogue, so
the row follows the insert through the mapper's after_insert event, which runs once per
process (module import), whichever path adds the item."""

from sqlalchemy import event, insert

from app.models.archive import ArchiveItem, ArchiveItemSearch
from app.services.core.search import index_tokens


def search_row(item_id: int, title: str) -> dict:
    """The index row of an item (bulk loads, such as the benchmark's, write it themselves)."""
    return {"id": item_id, "title": title, "search_text": index_tokens(title)}


@event.listens_for(ArchiveItem, "after_insert")
def _index_item(_mapper, connection, item: ArchiveItem) -> None:
    connection.execute(insert(ArchiveItemSearch), [search_row(item.id, item.title)])
