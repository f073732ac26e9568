"""归档目录 (/archive/items/): the catalogue, its export and the 表5-25 register (routes.py), an
item's page, its 作废档号 and its frozen copy (detail_routes.py), and the archivist's batch
printing (print_routes.py). Thin views: the rules are app/policy/archive/items.py's, the work
app/services/archive/items' ."""
