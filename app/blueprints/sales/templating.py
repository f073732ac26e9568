"""The sales pages' own template filter. The helpers every list shares (id_url_parts,
labels_of, filter_select) are app/web.py's."""

from app.blueprints.sales import bp


@bp.app_template_filter()
def signed_money(value) -> str:
    """Amounts that may be negative (credits, losses): −¥1,234.56 rather than ¥-1,234.56, and
    — for no amount."""
    if value is None:
        return "—"
    return f"−¥{-value:,.2f}" if value < 0 else f"¥{value:,.2f}"
