"""The built-in layout parsers. They are registered through the ``govreport.parsers`` entry-point
group in govreport's own ``pyproject.toml``, exactly as a third-party plugin would be."""
