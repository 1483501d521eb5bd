"""HTTP edge: one Blueprint per resource, the route pipeline and the one error-to-HTTP table."""
