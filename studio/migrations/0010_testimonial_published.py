"""Testimonials are shown only once staff publish them. Existing ones written by staff stay
shown; the demo's samples ("Sample client") are hidden."""

from django.db import migrations, models

SAMPLE_NAME = "Sample client"


def publish_real_testimonials(apps, schema_editor):
    Testimonial = apps.get_model("studio", "Testimonial")
    Testimonial.objects.exclude(first_name=SAMPLE_NAME).update(published=True)


class Migration(migrations.Migration):
    dependencies = [("studio", "0009_staff_two_factor")]

    operations = [
        migrations.AddField(
            model_name="testimonial",
            name="published",
            field=models.BooleanField(
                default=False,
                help_text="Check only for a real client's own words, given with their "
                "permission. Unchecked, it is kept here but shown nowhere.",
                verbose_name="show on the site",
            ),
        ),
        migrations.RunPython(publish_real_testimonials, migrations.RunPython.noop),
    ]
