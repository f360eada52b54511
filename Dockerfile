# Benchtop web, worker and beat image (the same image runs each role; compose picks the command).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app

RUN apt-get update \
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/*

COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .
# Collected as production serves them (hashed names and the manifest); the key only lets settings load.
RUN DJANGO_ENV=production DEBUG=false SECRET_KEY=collectstatic-only-not-used-at-run-time-0123456789abcdef \
    python manage.py collectstatic --noinput \
    && useradd --create-home --uid 1000 benchtop && chown -R benchtop /app
USER benchtop

EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --retries=3 CMD curl -fsS http://127.0.0.1:8000/health || exit 1
CMD ["uvicorn", "config.asgi:application", "--host", "0.0.0.0", "--port", "8000", "--workers", "2", "--proxy-headers"]
