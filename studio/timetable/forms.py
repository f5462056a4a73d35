"""The admin form for a class: a cancelled date must be a date the class runs on, or staff
would believe a class cancelled that was never on (and visitors would see no change)."""

from wagtail.admin.forms import WagtailAdminModelForm

from studio import hours


class TimetableClassForm(WagtailAdminModelForm):
    def clean(self):
        data = super().clean()
        weekday = data.get("weekday")
        formset = self.formsets.get("cancellations")
        # The inline rows are checked after this form: check them now to read their dates.
        if weekday is None or formset is None or not formset.is_valid():
            return data
        for form in formset.forms:
            date = form.cleaned_data.get("date")
            if date is None or form.cleaned_data.get("DELETE"):
                continue
            if date.weekday() != int(weekday):
                form.add_error(
                    "date",
                    f"{hours.format_date(date)}, {date.year} is not a "
                    f"{hours.WEEKDAY_NAMES[int(weekday)]}: the class does not run that day.",
                )
        return data
