"""A fifth skill level, "Leading": the API contract rates skills 1 to 5 (existing levels keep
their meaning; no data changes)."""

import django.core.validators
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0004_user_history'),
    ]

    operations = [
        migrations.AlterField(
            model_name='historicaluserskill',
            name='level',
            field=models.PositiveSmallIntegerField(choices=[(1, 'Aware'), (2, 'Practising'), (3, 'Experienced'), (4, 'Expert'), (5, 'Leading')], default=2, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(5)], verbose_name='level'),
        ),
        migrations.AlterField(
            model_name='userskill',
            name='level',
            field=models.PositiveSmallIntegerField(choices=[(1, 'Aware'), (2, 'Practising'), (3, 'Experienced'), (4, 'Expert'), (5, 'Leading')], default=2, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(5)], verbose_name='level'),
        ),
    ]
