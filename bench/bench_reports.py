"""Measure how long a report takes to make (DESIGN.md section 6: a network of 300 leaders).

    .venv/bin/python bench/bench_reports.py                 # 300 leaders, median of 3
    .venv/bin/python bench/bench_reports.py --leaders 1000 --repeat 5
    .venv/bin/python bench/bench_reports.py --save-html new/  # also write the two reports' HTML
    .venv/bin/python bench/bench_reports.py --pdf old/group.html new/group.html  # back to back

Runs with production settings (bench/benchenv.py) on DATABASE_URL, by default
postgres://postgres@127.0.0.1:5432/bro_bench_reports (created, migrated and filled with
manage.py seed_scale when the dataset has another size). Prints, for
one leader group's report and for the network report of the network's cohort (every group side
by side): the CPU time of this process to read the data and write the HTML and to make the PDF
with WeasyPrint (CPU, not wall time: the machine is shared), the number of pages, the size and
the process's peak memory; the times also as a ratio to the floor page measured first in the
same run. `--pdf` turns saved HTML files (say of two commits) into PDFs in turn, in one
process, and prints each one's CPU time.
"""

import argparse
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchenv import Floor, prepare_scale_dataset, use_production_settings

use_production_settings("bro_bench_reports")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--leaders", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--save-html", metavar="DIR", help="write group.html and network.html")
    parser.add_argument("--pdf", nargs="+", metavar="HTML",
                        help="only make PDFs of these HTML files, in turn")
    arguments = parser.parse_args()
    if arguments.pdf:
        return compare_pdfs(arguments.pdf, arguments.repeat)
    prepare_scale_dataset(arguments.leaders)
    from tenancy.scoping import platform_wide

    with platform_wide():  # one benchmark over every scale network
        measure(arguments.repeat, arguments.save_html)


def median_cpu_seconds(function, repeat):
    """(median CPU seconds of this process, last result) of `repeat` calls."""
    durations, result = [], None
    for _ in range(repeat):
        started = time.process_time()
        result = function()
        durations.append(time.process_time() - started)
    return statistics.median(durations), result


def peak_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def compare_pdfs(paths, repeat):
    """The same HTML files made into PDFs in turn (old, new, old, new, ...), in one process."""
    import django

    django.setup()
    from assessments.reports.pdf import html_to_pdf

    html_to_pdf("<p>warm up</p>")
    documents = [Path(path).read_text() for path in paths]
    seconds, sizes = {path: [] for path in paths}, {}
    for _ in range(repeat):
        for path, html in zip(paths, documents, strict=True):
            started = time.process_time()
            sizes[path] = len(html_to_pdf(html))
            seconds[path].append(time.process_time() - started)
    for path in paths:
        print(f"  {path:<40} PDF {statistics.median(seconds[path]):5.2f} s CPU "
              f"(median of {repeat}), {sizes[path] / 1024:.0f} KiB")


def measure(repeat, save_html=None):
    import io

    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from pypdf import PdfReader

    from assessments.models import Report, ReportKind, Response, Round
    from assessments.reports import document as reports
    from assessments.reports.pdf import html_to_pdf
    from cohorts.models import Cohort
    from tenancy.models import LeaderGroup, Network, Role, RoleKind

    network = Network.objects.get(slug="scale-01")
    cohort = Cohort.objects.for_network(network).get()
    group = (LeaderGroup.objects.for_network(network).filter(cohorts=cohort)
             .order_by("pk").first())
    rounds = Round.objects.for_network(network).filter(cohort=cohort).count()
    groups = LeaderGroup.objects.for_network(network).filter(cohorts=cohort).count()
    responses = Response.objects.for_network(network).filter(
        round__cohort=cohort, submitted_at__isnull=False).count()
    floor = Floor(Role.objects.for_network(network).get(kind=RoleKind.FACILITATOR).person,
                  network)
    print(f"\nBro reports benchmark: {network.name}, {groups} leader groups, {rounds} rounds, "
          f"{responses} submitted responses (median of {repeat}, production settings)\n")
    print(floor.line())
    html_to_pdf("<p>warm up</p>")  # WeasyPrint's first PDF loads its fonts

    for label, report in (
            (f"group report ({group.name})",
             Report(network=network, cohort=cohort, leader_group=group,
                    kind=ReportKind.GROUP, language="nb")),
            (f"network report ({groups} groups)",
             Report(network=network, cohort=cohort, kind=ReportKind.NETWORK, language="nb"))):
        with CaptureQueriesContext(connection) as captured:
            html_seconds, html = median_cpu_seconds(
                lambda report=report: reports.report_html(report), repeat)
        queries = len(captured.captured_queries) // repeat
        if save_html:
            Path(save_html).mkdir(parents=True, exist_ok=True)
            Path(save_html, f"{report.kind}.html").write_text(html)
        pdf_seconds, pdf = median_cpu_seconds(lambda html=html: html_to_pdf(html), repeat)
        pages = len(PdfReader(io.BytesIO(pdf)).pages)
        total = html_seconds + pdf_seconds
        print(f"  {label:<34} data + HTML {html_seconds * 1000:5.0f} ms ({queries} queries, "
              f"{floor.ratio(html_seconds).strip()})   PDF {pdf_seconds:5.2f} s   total "
              f"{total:5.2f} s CPU ({floor.ratio(total).strip()})   {pages} pages, "
              f"{len(pdf) / 1024:.0f} KiB, process peak {peak_mib():.0f} MiB")


if __name__ == "__main__":
    main()
