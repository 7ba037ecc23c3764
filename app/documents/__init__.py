"""Documents that every domain produces and receives: charts, spreadsheets, PDFs, uploads.

Shared by the situation reports today and by redistribution and procurement later, so no
module here imports a domain package (an import-linter contract in ``pyproject.toml``
checks); what a document belongs to is a ``source_type``/``source_id`` pair of strings,
and who may see it is decided by the owning domain's view.

- :mod:`~app.documents.svg`: the county map (with optional shipment arrows) and the trend
  chart as inline SVG; pure, like :mod:`~app.documents.spreadsheets`: ``.xlsx``/``.csv``
  writing and reading.
- :mod:`~app.documents.pdf`: :func:`~app.documents.pdf.render_pdf`, the one way to turn a
  template extending ``documents/base.html`` into a PDF; it fetches nothing but our own
  static files.
- :mod:`~app.documents.archive`: issued PDFs stored with their SHA-256 and sent back
  byte for byte (:class:`~app.documents.models.StoredDocument`).
- :mod:`~app.documents.uploads` and :mod:`~app.documents.forms`: users' files, checked
  by content and kept outside the web root (:class:`~app.documents.models.Upload`).
- :mod:`~app.documents.downloads`: readable file names and the spreadsheet download.
"""
