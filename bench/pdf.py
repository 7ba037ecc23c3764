"""Benchmark of the PDF helper: a 300-row table over several pages.

Run with ``python -m bench.pdf``. Renders a document of 300 rows and seven columns
(municipality, material and five figures; Swedish text, running header, "Sida n av m",
the table header repeated on every page) through :func:`app.documents.pdf.render_pdf`,
once as a final document and once as a landscape draft, and prints the median wall-clock
and CPU time of seven renders after a warm-up, the number of pages and the size of the PDF
(CPU time shows the cost when other work shares the machine).
"""
from __future__ import annotations

import io
import statistics
import time

from jinja2 import ChoiceLoader, DictLoader
from pypdf import PdfReader

from app import create_app
from app.documents.pdf import render_pdf

ROWS = 300
REPEATS = 7
TEMPLATE = """{% extends "documents/base.html" %}
{% block content %}
<table>
  <thead><tr><th>Kommun</th><th>Material</th><th class="num">Lager</th>
    <th class="num">Förbrukning</th><th class="num">Inkommande</th>
    <th class="num">Dagar</th><th class="num">Behov</th></tr></thead>
  <tbody>
  {% for row in rows %}
    <tr><td>{{ row[0] }}</td><td>{{ row[1] }}</td>
    {% for value in row[2:] %}<td class="num">{{ value|num }}</td>{% endfor %}</tr>
  {% endfor %}
  </tbody>
</table>
{% endblock %}
"""
MUNICIPALITIES = ("Härnösand", "Kramfors", "Sollefteå", "Sundsvall", "Timrå", "Ånge",
                  "Örnsköldsvik")
MATERIALS = ("Munskydd IIR", "Andningsskydd FFP2", "Visir", "Handskar, nitril",
             "Förkläde, plast", "Skyddsrock, långärmad")


def _rows() -> list[tuple[object, ...]]:
    return [(MUNICIPALITIES[i % 7], MATERIALS[i % 6], 1000 + 37 * i, 70 + i % 50,
             (i * 13) % 400, round((1000 + 37 * i) / (10 + i % 50), 1), (i * 29) % 900)
            for i in range(ROWS)]


def _render(**options: object) -> bytes:
    return render_pdf("bench.html", title="Lägesbild Västernorrlands län v. 48 2026",
                      number="LB-2026-0048", rows=_rows(), **options)


def _measure(**options: object) -> tuple[float, float, bytes]:
    """Median wall-clock and CPU seconds of the renders, and the PDF."""
    pdf = _render(**options)  # warm-up: templates, fonts
    wall, cpu = [], []
    for _ in range(REPEATS):
        started, started_cpu = time.perf_counter(), time.process_time()
        _render(**options)
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return statistics.median(wall), statistics.median(cpu), pdf


def main() -> None:
    app = create_app({"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    app.jinja_env.loader = ChoiceLoader([DictLoader({"bench.html": TEMPLATE}),
                                         app.jinja_env.loader])
    print(f"{'document':<18} {'rows':>5} {'pages':>6} {'kB':>5} {'median ms':>10} {'cpu ms':>7}")
    with app.test_request_context():
        for name, options in (("final, portrait", {}),
                              ("draft, landscape", {"draft": True, "landscape": True})):
            wall, cpu, pdf = _measure(**options)
            pages = len(PdfReader(io.BytesIO(pdf)).pages)
            print(f"{name:<18} {ROWS:>5} {pages:>6} {len(pdf) / 1024:>5.0f} "
                  f"{wall * 1000:>10.0f} {cpu * 1000:>7.0f}")


if __name__ == "__main__":
    main()
