"""Pydantic v2 entities and request/response models, one module per resource."""
