# The site token (the snapshot and furniture) and the media token (renditions) beside the
# content token; see enfuse/caching/version.py.

import enfuse.caching.models
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('caching', '0001_content_version_and_front_cache_purges'),
    ]

    operations = [
        migrations.AddField(
            model_name='contentversion',
            name='site_token',
            field=models.BigIntegerField(default=enfuse.caching.models.new_token),
        ),
        migrations.AddField(
            model_name='contentversion',
            name='media_token',
            field=models.BigIntegerField(default=enfuse.caching.models.new_token),
        ),
    ]
