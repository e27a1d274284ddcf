"""Operations metrics: a Prometheus `/metrics` endpoint of each hub process (prometheus-client).

- `http`: an ASGI middleware counting and timing requests by route template;
- `collectors`: what a scrape reads from the running parts (ingest, pool, brokers, database, jobs);
- `access`: who may read it (CCES_METRICS_TRUSTED addresses, or the CCES_METRICS_TOKEN bearer token);
- `endpoint`: the route and `install_metrics`, called once by `cces hub`.
"""
