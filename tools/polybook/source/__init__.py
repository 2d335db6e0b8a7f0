"""Source stage: page discovery and the dialect parser (text -> Page)."""
