# One image for web, worker and beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
    fonts-dejavu-core gettext \
 && rm -rf /var/lib/apt/lists/*
RUN useradd --create-home --uid 1000 ktpku
WORKDIR /app
COPY pyproject.toml ./
RUN pip install --upgrade pip && pip install .
COPY . .
RUN DEBUG=true python manage.py collectstatic --no-input \
 && chown -R ktpku /app
USER ktpku
EXPOSE 8000
CMD ["gunicorn", "ktpku.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", \
     "--access-logfile", "-", "--forwarded-allow-ips", "*"]
