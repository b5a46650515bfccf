"""Worker and beat have one documented command each: README, Procfile and compose agree."""

import re
from pathlib import Path

from config.celery_app import app

ROOT = Path(__file__).resolve().parents[2]


def commands(text, prefix=""):
    return {kind: re.search(rf"{prefix}(celery -A config {kind}[^\n#]*?)\s*(?:#|$)", text,
                            re.MULTILINE).group(1).strip() for kind in ("worker", "beat")}


def test_readme_procfile_and_compose_give_the_same_worker_and_beat_commands():
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Background work", 1)[1].split("\n## ", 1)[0]
    documented = commands(section, r"\.venv/bin/")
    assert commands((ROOT / "Procfile").read_text(), r"\.venv/bin/") == documented
    assert commands((ROOT / "docker-compose.yml").read_text(), r"command: ") == documented


def test_beat_runs_the_reminder_dispatcher_every_five_minutes():
    [entry] = [e for e in app.conf.beat_schedule.values()
               if e["task"] == "reminders.tasks.dispatch_reminders"]
    assert entry["schedule"] == 300
    from reminders.tasks import dispatch_reminders

    assert dispatch_reminders.name == entry["task"]
