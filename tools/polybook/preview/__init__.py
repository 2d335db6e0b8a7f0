"""Live preview: `polybook preview` serves a site, watches the book and
re-renders what a save changed (command.py)."""
