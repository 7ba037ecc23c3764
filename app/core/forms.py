"""The base of every form, and fields that show and store exactly what the user chose.

- :class:`AppForm` renders no ``maxlength``: a browser silently cuts pasted text at that
  length, so the server's ``Length`` validator refuses over-long text with a message instead.
- :class:`EnumSelectField` keeps an enum member as its data and marks the stored member as
  selected when an edit form is opened (a plain ``SelectField`` compares the member with the
  choices' strings, selects nothing, and the browser then submits the first option). With
  ``empty_label`` it offers "none" first, whose data is None.
- :class:`MultiCheckboxField` is a list of checkboxes, each with its own label.
"""
from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Any

from flask_wtf import FlaskForm
from wtforms import Field, SelectField, SelectMultipleField, widgets
from wtforms.fields.choices import SelectChoice
from wtforms.meta import DefaultMeta


class AppForm(FlaskForm):
    """A Flask-WTF form (CSRF included) without browser-side cutting of long text."""

    class Meta(DefaultMeta):
        def render_field(self, field: Field, render_kw: dict[str, Any]) -> Any:
            render_kw = {"maxlength": False, "minlength": False, **render_kw}
            return super().render_field(field, render_kw)


def form_errors(form: AppForm) -> list[tuple[str, str, str]]:
    """Every error of a form as (field id, label, message), nested lists of fields included
    (for the summary at the top of a form)."""
    found = []
    for field in form:
        if hasattr(field, "entries"):  # a FieldList of FormFields
            for entry in field.entries:
                subfields = entry.form if hasattr(entry, "form") else [entry]
                found += [(sub.id, str(sub.label.text), str(error))
                          for sub in subfields for error in sub.errors]
        else:
            found += [(field.id, str(field.label.text), str(error)) for error in field.errors]
    return found


def optional_id(value: object) -> int:
    """Coerce a select's value to an id; 0 for "none chosen" (empty or missing)."""
    if value in (None, ""):
        return 0
    return int(value)


class EnumSelectField(SelectField):
    """A select of enum members; ``data`` is the member, option values are its ``value``."""

    def __init__(self, label: object = None, validators: list | None = None, *,
                 enum_class: type[enum.Enum], labels: Mapping[enum.Enum, object],
                 empty_label: object | None = None, **kwargs: Any) -> None:
        empty = [SelectChoice("", empty_label)] if empty_label is not None else []
        super().__init__(
            label, validators, coerce=_coerce_to(enum_class, optional=bool(empty)),
            choices=empty + [SelectChoice(member.value, text) for member, text in labels.items()],
            **kwargs)


def _coerce_to(enum_class: type[enum.Enum], optional: bool = False):  # noqa: ANN202
    def coerce(value: object) -> enum.Enum | None:
        if isinstance(value, enum_class):
            return value
        if optional and value in ("", None):
            return None
        return enum_class(value)

    return coerce


class MultiCheckboxField(SelectMultipleField):
    """A list of checkboxes, each with its own label."""

    widget = widgets.ListWidget(prefix_label=False, html_tag="ul")
    option_widget = widgets.CheckboxInput()
