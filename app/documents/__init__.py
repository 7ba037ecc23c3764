"""Documents that every domain produces and receives: charts, spreadsheets, PDFs, uploads.

Shared by reports today and by redistribution and procurement later, so no module here
imports a domain package (an import-linter contract in ``pyproject.toml`` checks):

- :mod:`app.documents.svg`: the county map and trend chart as inline SVG (pure).
- :mod:`app.documents.spreadsheets`: ``.xlsx``/``.csv`` writing and reading (pure).
- :mod:`app.documents.pdf`: :func:`~app.documents.pdf.render_pdf`, the one way to turn a
  template into a PDF; it fetches nothing but our own static files.
"""
