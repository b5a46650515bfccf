import pytest

from tenancy.models import LeaderGroup, Organisation
from tenancy.scoping import UnscopedQueryError


def test_a_tenant_query_without_a_network_fails_loudly(world):
    with pytest.raises(UnscopedQueryError, match="Organisation queried without a network"):
        list(Organisation.objects.all())
    with pytest.raises(UnscopedQueryError):
        Organisation.objects.filter(name="x").exists()
    with pytest.raises(UnscopedQueryError):
        Organisation.objects.count()
    with pytest.raises(UnscopedQueryError):
        Organisation.objects.get(pk=world.organisation.pk)


def test_a_scoped_query_sees_only_its_network(world, other_world):
    names = list(Organisation.objects.for_network(world.network).values_list("name", flat=True))
    assert names == [world.organisation.name]


def test_related_rows_of_a_scoped_object_need_no_second_scope(world):
    organisation = Organisation.objects.for_network(world.network).get()
    assert list(organisation.leader_groups.all()) == [world.group]


def test_following_a_foreign_key_works(world):
    group = LeaderGroup.objects.for_network(world.network).get()
    assert group.organisation == world.organisation
