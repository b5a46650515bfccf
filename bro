#!/usr/bin/env bash
# Bro's one entry point on a developer machine.
#   ./bro demo   set everything up and run Bro with demo data (SQLite, tasks in-process, mail to console)
#   ./bro test   run the whole test suite against the machine's PostgreSQL and Redis
#   ./bro setup  only create .venv and install the pinned dependencies
#   ./bro messages  update every app's nb, nn and da .po files from the code, then compile them
set -euo pipefail
cd "$(dirname "$0")"

find_python() {
  for candidate in python3.13 python3.12 "$HOME/.pyenv/versions/3.12.1/bin/python" \
                   "$HOME/.pyenv/versions/3.13.0/bin/python" python3; do
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then
      echo "$candidate"; return
    fi
  done
  echo "Bro needs Python 3.12 or newer." >&2; exit 1
}

setup() {
  if [ ! -x .venv/bin/python ]; then
    "$(find_python)" -m venv .venv
  fi
  stamp=.venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)
  if [ ! -f "$stamp" ]; then
    .venv/bin/python -m pip install --quiet --upgrade pip
    .venv/bin/python -m pip install --quiet -e ".[dev]"
    touch "$stamp"
  fi
}

case "${1:-}" in
  setup)
    setup ;;
  demo)
    setup
    .venv/bin/python manage.py migrate --noinput
    .venv/bin/python manage.py seed_demo
    exec .venv/bin/python manage.py runserver 127.0.0.1:8000 ;;
  messages)
    setup
    # The root locale/ holds config/, tenancy/ and the shared templates/; every other app
    # keeps its own locale/ next to its code and templates.
    apps="programmes modules resources cohorts assessments reminders gdpr"
    ignores=""
    for app in $apps; do ignores="$ignores --ignore=$app/*"; done
    .venv/bin/python manage.py makemessages -l nb -l nn -l da --no-obsolete --ignore=.venv/* \
      --ignore=tests/* --ignore=bench/* $ignores
    for app in $apps; do
      mkdir -p "$app/locale"
      (cd "$app" && DJANGO_SETTINGS_MODULE=config.settings.local PYTHONPATH=.. \
        ../.venv/bin/django-admin makemessages -l nb -l nn -l da --no-obsolete)
    done
    .venv/bin/python manage.py compilemessages --ignore=.venv -v0 ;;
  test)
    setup
    shift
    # Two pytest-xdist workers (the machine has two cores), each module on one worker; a
    # later -n (e.g. -n 0 to debug with pdb) or BRO_TEST_WORKERS wins.
    exec .venv/bin/python -m pytest -n "${BRO_TEST_WORKERS:-2}" --dist loadscope "$@" ;;
  *)
    sed -n '2,6p' "$0"; exit 2 ;;
esac
