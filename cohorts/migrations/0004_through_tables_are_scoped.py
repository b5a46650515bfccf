"""The many-to-many tables of cohorts and cohort modules become explicit tenant models
(cohorts.models.Link). Their tables and rows stay: the models take over the existing tables
(state only), then each row gets its owner's network; 0005 fills rows again (old code may
have added some in between, in a rolling deploy) and makes it required.

The historical models here and in 0005 have a plain Manager (`unscoped`): none of
LinkQuerySet's filling and checking, and no scope check; `fill_networks` sets the network
itself."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# model, table, owner field, owner model, other field, its target
LINKS = [
    ("CohortOrganisation", "cohorts_cohort_organisations", "cohort", "cohorts.cohort",
     "organisation", "tenancy.organisation"),
    ("CohortGroup", "cohorts_cohort_leader_groups", "cohort", "cohorts.cohort",
     "leadergroup", "tenancy.leadergroup"),
    ("CohortFacilitator", "cohorts_cohort_facilitators", "cohort", "cohorts.cohort",
     "person", settings.AUTH_USER_MODEL),
    ("CohortModuleResource", "cohorts_cohortmodule_resources", "cohortmodule",
     "cohorts.cohortmodule", "resource", "resources.resource"),
]
# field on its owner, M2M keyword arguments
M2M_FIELDS = [
    ("cohort", "organisations", "CohortOrganisation", dict(
        related_name="cohorts", to="tenancy.organisation", verbose_name="organisations")),
    ("cohort", "leader_groups", "CohortGroup", dict(
        related_name="cohorts", to="tenancy.leadergroup", verbose_name="leader groups")),
    ("cohort", "facilitators", "CohortFacilitator", dict(
        related_name="facilitated_cohorts", to=settings.AUTH_USER_MODEL,
        verbose_name="facilitators")),
    ("cohortmodule", "resources", "CohortModuleResource", dict(
        related_name="+", to="resources.resource",
        verbose_name="the network's own resources")),
]


def network_field(null):
    return models.ForeignKey(null=null, on_delete=django.db.models.deletion.CASCADE,
                             related_name="+", to="tenancy.network")


def take_over_tables():
    operations = []
    for name, table, owner, owner_model, other, target in LINKS:
        operations.append(migrations.CreateModel(
            name=name,
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True,
                                           serialize=False, verbose_name="ID")),
                (owner, models.ForeignKey(on_delete=django.db.models.deletion.CASCADE,
                                          to=owner_model)),
                (other, models.ForeignKey(on_delete=django.db.models.deletion.CASCADE,
                                          to=target)),
            ],
            options={"db_table": table, "abstract": False,
                     "base_manager_name": "unscoped", "default_manager_name": "unscoped",
                     "unique_together": {(owner, other)}},
            managers=[("unscoped", models.Manager())],
        ))
    for model_name, field, through, kwargs in M2M_FIELDS:
        operations.append(migrations.AlterField(
            model_name=model_name, name=field,
            field=models.ManyToManyField(blank=True, through=f"cohorts.{through}", **kwargs)))
    return operations


def fill_networks(apps, schema_editor):
    """Each link without a network gets its owner's."""
    for name, _table, owner, owner_model, _other, _target in LINKS:
        link = apps.get_model("cohorts", name)
        owners = apps.get_model(owner_model)._base_manager.filter(
            pk=models.OuterRef(f"{owner}_id")).values("network_id")
        link._base_manager.filter(network__isnull=True).update(
            network_id=models.Subquery(owners))


class Migration(migrations.Migration):

    dependencies = [
        ("cohorts", "0003_initial"),
        ("resources", "0002_private_upload_paths"),
        ("tenancy", "0002_job_title_label"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=take_over_tables()),
        *[migrations.AddField(model_name=name.lower(), name="network", field=network_field(True))
          for name, *_rest in LINKS],
        migrations.RunPython(fill_networks, migrations.RunPython.noop),
    ]
