"""The catalogue (归档目录, /archive/items/): its search index, list and export, the 表5-25
register, an item's page, the watermarked frozen copy, batch printing, and the customer
page's 档案 section. The rules are app/policy/archive/items.py's."""
