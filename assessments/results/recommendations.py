"""Resources for the largest gaps: what a leader (from their own scores, which only they see)
and a leader group (from its released anonymous numbers) may watch, read or try next.

A resource names the dimensions or capabilities it helps with as "instrument slug:dimension
code" (resources.Resource.dimension_tags); dimension codes are stable across versions. The
gaps passed in are the ones the page already shows: own gaps, or aggregation's released group
gaps (a Suppressed gap counts as none), so nothing here reads anyone's answers.
"""

from dataclasses import dataclass

from django.db.models import Q

from resources.models import Resource

LARGEST_GAPS = 3


@dataclass
class Recommendation:
    dimension: object
    gap: float
    resources: list


def dimension_tag(instrument, dimension):
    return f"{instrument.slug}:{dimension.code}"


def largest_gaps(gaps, limit=LARGEST_GAPS):
    """[(dimension, gap)] of the largest positive gaps that may be shown, largest first."""
    shown = [(dimension, gap) for dimension, gap in gaps
             if gap is not None and getattr(gap, "shown", True) and gap > 0]
    return sorted(shown, key=lambda pair: (-pair[1], pair[0].position))[:limit]


def recommendations_for_gaps(network, instrument, *gap_lists):
    """[Recommendation] per list of (dimension, gap) for its largest gaps that have tagged
    resources; one query for all the lists. With one list, its recommendations alone."""
    largest = [largest_gaps(gaps) for gaps in gap_lists]
    tags = {dimension_tag(instrument, dimension) for pairs in largest for dimension, _gap in pairs}
    by_tag = {tag: [] for tag in tags}
    if tags:
        matches = Q()
        for tag in sorted(tags):
            matches |= Q(dimension_tags__icontains=f'"{tag}"')
        for resource in Resource.objects.shared_or_of_network(network).filter(matches).order_by(
                "network_id", "slug"):
            for tag in resource.dimension_tags:
                if tag in by_tag:
                    by_tag[tag].append(resource)
    found = [[Recommendation(dimension, gap, by_tag[dimension_tag(instrument, dimension)])
              for dimension, gap in pairs if by_tag[dimension_tag(instrument, dimension)]]
             for pairs in largest]
    return found[0] if len(found) == 1 else found
