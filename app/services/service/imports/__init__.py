"""Excel imports of 客服部's ledgers through the import kit (services.imports)."""
