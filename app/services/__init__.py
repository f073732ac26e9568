"""Domain logic. Services take plain values and models, never the request."""
