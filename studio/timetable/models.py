"""The weekly timetable: one row per class (a weekday and times, between optional first and
last dates) with the dates it is cancelled on. Imported by studio.models, so the tables live
under the ``studio`` label and every save moves the page cache's content version on."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable

from studio import hours

from .forms import TimetableClassForm

ALL_LEVELS, BEGINNER, INTERMEDIATE, ADVANCED = "all", "beginner", "intermediate", "advanced"
LEVELS = [
    (ALL_LEVELS, "All levels"),
    (BEGINNER, "Beginner"),
    (INTERMEDIATE, "Intermediate"),
    (ADVANCED, "Advanced"),
]
LEVEL_NAMES = dict(LEVELS)


class TimetableClassQuerySet(models.QuerySet):
    def for_schedule(self):
        """Classes of live services with what listings show: three queries, however many."""
        return (
            self.filter(service__live=True)
            .select_related("service", "trainer")
            .prefetch_related(
                models.Prefetch("cancellations", ClassCancellation.objects.order_by("date"))
            )
            .order_by("weekday", "start_time", "name", "pk")
        )


class TimetableClass(ClusterableModel):
    """A class that runs every week on one weekday, e.g. Mat Pilates, Tuesdays 6-7 pm."""

    name = models.CharField(max_length=100, help_text="As visitors see it, e.g. 'Mat Pilates'.")
    service = models.ForeignKey(
        "studio.ServicePage",
        null=True,
        on_delete=models.SET_NULL,
        related_name="timetable_classes",
        help_text="The service it belongs to: it is listed on that service's page and feed.",
    )
    trainer = models.ForeignKey(
        "studio.TeamMember",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="timetable_classes",
        help_text="Who leads it (from Team). Optional.",
    )
    weekday = models.PositiveSmallIntegerField(choices=hours.WEEKDAYS, help_text="It runs weekly.")
    start_time = models.TimeField("starts at", help_text="e.g. 18:00 (studio time).")
    end_time = models.TimeField("ends at", help_text="e.g. 19:00, after the start.")
    level = models.CharField(
        max_length=20,
        choices=LEVELS,
        default=ALL_LEVELS,
        help_text="Who the class suits; visitors can filter the schedule by it.",
    )
    place = models.CharField(
        max_length=100, blank=True, help_text="Where in the studio, e.g. 'Main studio floor'."
    )
    note = models.CharField(
        max_length=200, blank=True, help_text="A short note for visitors, e.g. 'Bring a mat'."
    )
    first_date = models.DateField(
        null=True, blank=True, help_text="The first class, for a new class. Empty: already runs."
    )
    last_date = models.DateField(
        null=True, blank=True, help_text="The last class, for a course that ends. Empty: ongoing."
    )
    is_example = models.BooleanField(
        "example",
        default=False,
        help_text="An example from the demo content: replace it with a real class, or delete it.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TimetableClassQuerySet.as_manager()

    base_form_class = TimetableClassForm
    panels = [
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("service"), FieldPanel("level")]),
        FieldPanel("trainer"),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [FieldPanel("weekday"), FieldPanel("start_time"), FieldPanel("end_time")]
                ),
                FieldRowPanel([FieldPanel("first_date"), FieldPanel("last_date")]),
            ],
            heading="When",
            help_text="Times are studio time (Enfield, CT). Closed special days in Settings > "
            "Studio details cancel the day's classes by themselves.",
        ),
        FieldPanel("place"),
        FieldPanel("note"),
        InlinePanel(
            "cancellations",
            heading="Cancelled on",
            label="Cancelled date",
            help_text="Dates this class does not run, with the reason visitors see.",
        ),
        FieldPanel("is_example"),
    ]

    class Meta:
        ordering = ["weekday", "start_time", "name"]
        verbose_name = "class"
        verbose_name_plural = "classes"

    def __str__(self):
        return f"{self.name}, {self.weekday_name} {self.time_text}"

    def clean(self):
        super().clean()
        errors = {}
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            errors["end_time"] = (
                f"The class must end after it starts ({hours.format_time(self.start_time)})."
            )
        if self.first_date and self.last_date and self.last_date < self.first_date:
            errors["last_date"] = "The last date must be on or after the first date."
        if errors:
            raise ValidationError(errors)

    @property
    def label(self):
        """'Mat Pilates (Tuesdays, 6:00 pm)': how staff and visitors name the class."""
        return f"{self.name} ({self.weekday_name}s, {hours.format_time(self.start_time)})"

    @property
    def weekday_name(self):
        return hours.WEEKDAY_NAMES[self.weekday]

    @property
    def level_name(self):
        return LEVEL_NAMES.get(self.level, "")

    @property
    def time_text(self):
        """'6:00 pm – 7:00 pm'."""
        return str(hours.Period(self.start_time, self.end_time))

    @property
    def duration(self):
        return datetime.datetime.combine(datetime.date.min, self.end_time) - (
            datetime.datetime.combine(datetime.date.min, self.start_time)
        )

    def runs_on(self, day):
        """Whether the weekly series includes ``day`` (cancellations aside)."""
        return (
            day.weekday() == self.weekday
            and (self.first_date is None or day >= self.first_date)
            and (self.last_date is None or day <= self.last_date)
        )

    def cancellation_on(self, day):
        """The cancellation row for ``day``, from the prefetched rows (no query)."""
        return next((row for row in self.cancellations.all() if row.date == day), None)


class ClassCancellation(Orderable):
    """A date a class does not run, e.g. the trainer's holiday."""

    timetable_class = ParentalKey(
        TimetableClass, on_delete=models.CASCADE, related_name="cancellations"
    )
    date = models.DateField(help_text="A date the class would run on.")
    reason = models.CharField(
        max_length=100, blank=True, help_text="What visitors see, e.g. 'Trainer away'."
    )

    panels = [FieldRowPanel([FieldPanel("date"), FieldPanel("reason")])]

    class Meta(Orderable.Meta):
        verbose_name = "cancelled date"

    def __str__(self):
        return f"{hours.format_date(self.date)}: {self.reason or 'cancelled'}"
