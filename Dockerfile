# Flipside web, worker and beat image: the same install steps as the README (pip install .[...]).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    FLIPSIDE_ENV=production

WORKDIR /app
RUN useradd --create-home --uid 1000 flipside

COPY pyproject.toml README.md ./
RUN python -m pip install --no-cache-dir --upgrade pip \
 && python -m pip install --no-cache-dir -e .

COPY . .
# collectstatic needs settings but no secrets of its own.
RUN DJANGO_SECRET_KEY=build-only-not-secret FEEDBACK_SECRET=build-only-not-secret \
    FLIPSIDE_SITE_URL=http://build.invalid \
    python manage.py collectstatic --noinput \
 && mkdir -p /app/media && chown -R flipside /app/media

USER flipside
EXPOSE 8000
CMD ["gunicorn", "--config", "gunicorn.conf.py", "config.wsgi:application"]
