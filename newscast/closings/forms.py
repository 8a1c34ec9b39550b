"""Forms of the closings desk: the organizations' own form and the editors' quick entry."""

from __future__ import annotations

from django import forms

from newscast.closings.clock import board_days
from newscast.closings.models import Organization, StatusKind

CLEAR = "clear"


def _day_choices():
    today, tomorrow = board_days()
    return [
        (today.isoformat(), f"Today, {today:%A %b} {today.day}"),
        (tomorrow.isoformat(), f"Tomorrow, {tomorrow:%A %b} {tomorrow.day}"),
    ]


class DayField(forms.TypedChoiceField):
    """Today or tomorrow in station time, chosen when the form is built."""

    def __init__(self, **kwargs):
        from datetime import date

        super().__init__(choices=_day_choices, coerce=date.fromisoformat, **kwargs)


class StatusFields(forms.Form):
    day = DayField(label="Day")
    kind = forms.ChoiceField(label="Status", choices=StatusKind.choices)
    delay_minutes = forms.IntegerField(
        label="Delay (minutes)", required=False, min_value=1, max_value=360,
        help_text="Only for a delay, e.g. 120 for two hours.",
    )  # fmt: skip
    note = forms.CharField(
        label="Note (optional)", required=False, max_length=200,
        help_text="Short and plain, e.g. “No buses on gravel roads.”",
    )  # fmt: skip

    def clean(self):
        data = super().clean()
        if data.get("kind") == StatusKind.DELAYED and not data.get("delay_minutes"):
            self.add_error("delay_minutes", "Give the delay in minutes, e.g. 120.")
        return data


class SelfServiceForm(StatusFields):
    """An organization reports its own status with its number and PIN."""

    code = forms.CharField(label="Organization number", max_length=20)
    pin = forms.CharField(label="PIN", max_length=8, widget=forms.PasswordInput)

    field_order = ["code", "pin", "day", "kind", "delay_minutes", "note"]


class QuickEntryRow(forms.Form):
    """One line of the editors' phoning-in screen: blank lines are skipped.

    The organization is typed (its number, or picked from the list that completes it), so
    a line is filled from the keyboard alone, and the page stays small with 2,000 names.
    """

    organization = forms.CharField(label="Organization", required=False, max_length=200)
    day = DayField(label="Day")
    kind = forms.ChoiceField(
        label="Status", choices=[*StatusKind.choices, (CLEAR, "Remove from the board")]
    )
    delay_minutes = forms.IntegerField(
        label="Delay (min)", required=False, min_value=1, max_value=360
    )
    note = forms.CharField(label="Note", required=False, max_length=200)

    def clean_organization(self):
        typed = self.cleaned_data["organization"].strip()
        if not typed:
            return None
        code = typed.split(" ", 1)[0].upper()
        organization = Organization.objects.filter(code=code).first()
        if organization is None:
            raise forms.ValidationError(f"No organization has the number {code}.")
        return organization

    def clean(self):
        data = super().clean()
        if data.get("organization") and data.get("kind") == StatusKind.DELAYED:
            if not data.get("delay_minutes"):
                self.add_error("delay_minutes", "Minutes needed for a delay.")
        return data


def organization_choice_label(organization: Organization) -> str:
    """What the quick entry's list offers: the number first, so typing it is enough."""
    return f"{organization.code} {organization.name} ({organization.county.name})"


QuickEntryFormSet = forms.formset_factory(QuickEntryRow, extra=10, max_num=50)


class ImportForm(forms.Form):
    what = forms.ChoiceField(
        label="The file holds",
        choices=[("statuses", "Statuses"), ("organizations", "Organizations")],
    )
    file = forms.FileField(label="CSV file (UTF-8)")
