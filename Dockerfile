FROM python:3.12-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
RUN apt-get update && apt-get install -y --no-install-recommends \
      gettext libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml ./
RUN python -m venv /app/.venv && /app/.venv/bin/pip install --no-cache-dir . 
COPY . .
RUN /app/.venv/bin/pip install --no-cache-dir --no-deps -e . \
    && SECRET_KEY=build DATABASE_URL=sqlite:///tmp/build.db EMAIL_URL=console:// \
       DJANGO_SETTINGS_MODULE=config.settings.production \
       /app/.venv/bin/python manage.py collectstatic --noinput
ENV PATH="/app/.venv/bin:$PATH" DJANGO_SETTINGS_MODULE=config.settings.production
EXPOSE 8000
CMD ["gunicorn", "config.wsgi", "-c", "config/gunicorn.py"]
