"""Template helpers for GOV.UK Design System patterns shared by every form."""

from __future__ import annotations

from django import forms, template

register = template.Library()


@register.simple_tag
def error_summary_links(form: forms.BaseForm) -> list[tuple[str, str]]:
    """(anchor id, message) pairs for the error summary; each links to the first input the error concerns.

    Form-wide errors link to the first visible field; errors on a multi-value field (a GOV.UK date input) link to
    the part that was wrong, or to its first part (there is no element with the whole field's id).
    """
    links: list[tuple[str, str]] = []
    visible = form.visible_fields()
    first_anchor = _first_input_id(visible[0]) if visible else ""
    links.extend((first_anchor, str(message)) for message in form.non_field_errors())
    for bound in visible:
        for message in bound.errors:
            anchor = _first_input_id(bound)
            subfields = getattr(bound.field, "fields", None)
            if subfields:
                flagged = [i for i, sub in enumerate(subfields) if message in getattr(sub.widget, "errors", [])]
                if flagged:
                    anchor = f"{bound.auto_id}_{flagged[0]}"
            links.append((anchor, str(message)))
    return links


def _first_input_id(bound: forms.BoundField) -> str:
    if getattr(bound.field, "fields", None) or isinstance(bound.field.widget, forms.MultiWidget):
        return f"{bound.auto_id}_0"
    if isinstance(bound.field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return f"{bound.auto_id}_1"  # crispy-forms-gds numbers radios and checkboxes from 1
    return str(bound.auto_id)
