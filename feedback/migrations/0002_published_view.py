from django.db import migrations, models
from django.db.models import Q

OLD = [
    "feedback_release_one_per_programme",
    "feedback_release_one_per_mentor",
    "feedback_release_names_its_view",
]


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0001_anonymous_ratings"),
    ]

    operations = [
        migrations.RenameModel(old_name="FeedbackRelease", new_name="PublishedView"),
        *(migrations.RemoveConstraint(model_name="publishedview", name=name) for name in OLD),
        migrations.AddConstraint(
            model_name="publishedview",
            constraint=models.UniqueConstraint(
                fields=["programme"],
                condition=Q(kind="programme"),
                name="published_view_one_per_programme",
            ),
        ),
        migrations.AddConstraint(
            model_name="publishedview",
            constraint=models.UniqueConstraint(
                fields=["mentor"],
                condition=Q(kind="mentor"),
                name="published_view_one_per_mentor",
            ),
        ),
        migrations.AddConstraint(
            model_name="publishedview",
            constraint=models.CheckConstraint(
                condition=(Q(kind="programme", programme__isnull=False, mentor__isnull=True))
                | Q(kind="mentor", mentor__isnull=False, programme__isnull=True),
                name="published_view_names_its_view",
            ),
        ),
    ]
