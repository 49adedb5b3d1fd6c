"""The product's settings with bench_urls: the benchmarks' gunicorn runs these."""

from innohub.settings import *  # noqa: F403

ROOT_URLCONF = "bench_urls"
