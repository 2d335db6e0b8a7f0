"""Split stage: per-framework notebooks from parsed pages."""
