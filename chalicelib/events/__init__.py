"""The platform-events queue's one dispatch table: (source, detail-type) -> a service method."""
