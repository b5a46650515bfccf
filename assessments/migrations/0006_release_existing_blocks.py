"""Existing rounds get their stored released blocks, cut by the rule of
assessments/anonymity/blocks.py at migration time (its pure functions; historical models)."""

from django.db import migrations
from django.utils import timezone


def release_existing(apps, schema_editor):
    from assessments.anonymity.blocks import POOL, block_cells, unit_of, whole_blocks

    Round = apps.get_model("assessments", "Round")
    Response = apps.get_model("assessments", "Response")
    DimensionScore = apps.get_model("assessments", "DimensionScore")
    ReleasedBlock = apps.get_model("assessments", "ReleasedBlock")
    ReleasedScore = apps.get_model("assessments", "ReleasedScore")
    now = timezone.now()

    def write(round_, k_kind, unit, position, group_id, organisation_id, ids, offset):
        block = ReleasedBlock.objects.create(
            network_id=round_.network_id, round=round_, kind=k_kind, unit=unit,
            position=position, leader_group_id=group_id, organisation_id=organisation_id,
            respondents=len(ids))
        scores = DimensionScore.objects.filter(response_id__in=ids).values_list(
            "dimension_id", "kind", "score")
        ReleasedScore.objects.bulk_create(
            ReleasedScore(network_id=round_.network_id, block=block, round=round_,
                          dimension_id=dimension_id, kind=kind, bucket=bucket, count=count,
                          total=total, squares=squares)
            for (dimension_id, kind, bucket), (count, total, squares)
            in block_cells(scores, len(ids), offset).items())
        Response.objects.filter(pk__in=ids).update(released_block=block)

    for round_ in Round.objects.select_related("network", "instrument").order_by("pk"):
        k = round_.network.anonymity_threshold
        # scoring.distribution_offset: 0 for generations (the level reached), else 0.5
        level = round_.instrument.definition.get("scoring", {}).get("level")
        offset = 0 if level == "floor" else 0.5
        submitted = list(Response.objects.filter(
            round=round_, submitted_at__isnull=False, submitted_at__lte=round_.closes_at)
            .order_by("submitted_at", "pk")
            .values_list("pk", "leader_group_id", "organisation_id"))
        units = {}
        for pk, group_id, organisation_id in submitted:
            units.setdefault((group_id, organisation_id), []).append(pk)
        released = set()
        for (group_id, organisation_id), ids in units.items():
            for position, block in enumerate(whole_blocks(ids, k), start=1):
                write(round_, "unit", unit_of(group_id, organisation_id), position, group_id,
                      organisation_id, block, offset)
                released.update(block)
        if round_.closes_at <= now:
            waiting = [pk for pk, _group, _organisation in submitted if pk not in released]
            for position, block in enumerate(whole_blocks(waiting, k), start=1):
                write(round_, "pooled", POOL, position, None, None, block, offset)
            Round.objects.filter(pk=round_.pk).update(pooled_at=now)


class Migration(migrations.Migration):
    dependencies = [("assessments", "0005_released_blocks")]

    operations = [migrations.RunPython(release_existing, migrations.RunPython.noop)]
