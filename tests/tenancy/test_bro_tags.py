"""tenancy.templatetags.bro's filters that pages lean on for speed write what Django's own
would."""

from datetime import UTC, date, datetime

import pytest
from django.template import Context, Template
from django.utils import translation


@pytest.mark.parametrize("language", ["nb", "nn", "da", "en"])
def test_a_day_reads_as_the_date_filter_writes_it_where_the_page_is_read(language):
    late_evening = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)  # 1 January in Oslo
    ours = Template("{% load bro %}{{ moment|day }}|{{ plain|day }}|{{ nothing|day }}")
    django = Template('{{ moment|date:"DATE_FORMAT" }}|{{ plain|date:"DATE_FORMAT" }}|')
    context = {"moment": late_evening, "plain": date(2027, 3, 2), "nothing": None}
    with translation.override(language):
        written = ours.render(Context(context))
        assert written == django.render(Context(context))
    assert "2027" in written.split("|")[0]
