"""Reads for a leader's own development: their submitted responses over time, in the cohort's
rounds and their personal ones. Every read starts from the person's own responses; nothing
here reads anyone else's answers or any aggregate."""

from dataclasses import dataclass, field

from assessments.models import Dimension, DimensionScore, Instrument, Response
from assessments.policies import rounds_person_can_take
from assessments.scoring import gap, overall_score


@dataclass
class Cell:
    today: float | None
    ambition: float | None

    @property
    def gap(self):
        return gap(self.today, self.ambition)


@dataclass
class Moment:
    """One submitted response: when, in which round, and its scores by dimension code."""

    response: Response
    cells: list  # one Cell per dimension of the track, in its order
    overall: Cell

    @property
    def round(self):
        return self.response.round


@dataclass
class Track:
    """One instrument (all its versions) over time: the dimensions of its newest version
    taken, and each moment's scores matched to them by code."""

    instrument: Instrument
    dimensions: list
    moments: list = field(default_factory=list)

    @property
    def latest(self):
        return self.moments[-1] if self.moments else None

    @property
    def rows(self):
        """(dimension, [Cell per moment]) for the table of the page."""
        return [
            (dimension, [moment.cells[index] for moment in self.moments])
            for index, dimension in enumerate(self.dimensions)
        ]


def development_of(network, person):
    """The person's tracks, one per instrument they have submitted, oldest moment first; in
    three queries whatever their number."""
    responses = list(
        Response.objects.for_network(network)
        .filter(person=person, submitted_at__isnull=False)
        .select_related("round__instrument")
        .order_by("submitted_at", "pk")
    )
    scores = {}
    for response_id, code, kind, score in (
        DimensionScore.objects.for_network(network)
        .filter(response__in=[response.pk for response in responses])
        .values_list("response_id", "dimension__code", "kind", "score")
    ):
        scores[response_id, code, kind] = score
    newest = {}
    for response in responses:
        instrument = response.round.instrument
        if instrument.slug not in newest or instrument.version > newest[instrument.slug].version:
            newest[instrument.slug] = instrument
    dimensions = {}
    for dimension in Dimension.objects.filter(instrument__in=list(newest.values())).order_by(
        "position"
    ):
        dimensions.setdefault(dimension.instrument_id, []).append(dimension)
    tracks = {
        slug: Track(instrument, dimensions.get(instrument.pk, []))
        for slug, instrument in sorted(newest.items())
    }
    for response in responses:
        track = tracks[response.round.instrument.slug]
        cells = [
            Cell(
                scores.get((response.pk, d.code, "today")),
                scores.get((response.pk, d.code, "ambition")),
            )
            for d in track.dimensions
        ]
        overall = Cell(
            overall_score(cell.today for cell in cells),
            overall_score(cell.ambition for cell in cells),
        )
        track.moments.append(Moment(response, cells, overall))
    return list(tracks.values())


def instruments_to_take_alone(network, roles, person):
    """The newest version of every instrument the person has met in their cohorts' rounds or
    taken on their own: the ones they may take again for themselves."""
    slugs = set(rounds_person_can_take(network, roles).values_list("instrument__slug", flat=True))
    slugs |= set(
        Response.objects.for_network(network)
        .filter(person=person)
        .values_list("round__instrument__slug", flat=True)
    )
    newest = {}
    for instrument in (
        Instrument.objects.filter(slug__in=slugs)
        .defer("definition", "source")
        .order_by("slug", "-version")
    ):
        newest.setdefault(instrument.slug, instrument)
    return list(newest.values())
