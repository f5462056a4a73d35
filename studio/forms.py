"""The admin form for the studio details: checks that need all the weekly rows at once."""

from collections import defaultdict

from wagtail.admin.forms import WagtailAdminModelForm

from . import hours


def live_rows(formset):
    """The weekly rows' forms that are valid, filled in and not marked for deletion."""
    if formset is None:
        return []
    rows = []
    for form in formset.forms:
        if not form.is_valid() or not form.cleaned_data or form.cleaned_data.get("DELETE"):
            continue
        if form.cleaned_data.get("weekday") is None:
            continue
        rows.append(form)
    return rows


class StudioSettingsForm(WagtailAdminModelForm):
    def clean(self):
        cleaned_data = super().clean()
        self.check_weekly_rows()
        return cleaned_data

    def check_weekly_rows(self):
        """Refuse two rows of one day that overlap, or a day both closed and open."""
        by_day = defaultdict(list)
        for form in live_rows(self.formsets.get("opening_hours")):
            by_day[form.cleaned_data["weekday"]].append(form)
        for weekday, rows in by_day.items():
            day = hours.WEEKDAY_NAMES[weekday]
            open_forms = [form for form in rows if not form.cleaned_data.get("closed")]
            if open_forms and len(open_forms) < len(rows):
                for form in rows:
                    if form.cleaned_data.get("closed"):
                        form.add_error(
                            "closed",
                            f"{day} also has opening times in another row: delete this "
                            "'closed' row or the other one.",
                        )
            open_forms.sort(key=lambda form: form.cleaned_data["opens"])
            for earlier, later in zip(open_forms, open_forms[1:], strict=False):
                if later.cleaned_data["opens"] < earlier.cleaned_data["closes"]:
                    period = hours.Period(
                        earlier.cleaned_data["opens"], earlier.cleaned_data["closes"]
                    )
                    later.add_error("opens", f"These hours overlap {day}'s other row ({period}).")
