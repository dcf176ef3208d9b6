"""WSGI entry point: `gunicorn wsgi:app`."""

import gc

from survey import arenas, create_app

# Before any thread starts: the worker's threads then share one malloc arena (survey/arenas.py).
arenas.use_one_arena()
app = create_app()
# What the imports and the app made lives as long as the worker: keep it out of the collector's
# full passes, which otherwise walk it each time a request (a national ranking of 20 000 units,
# a burst of submissions) allocates enough objects.
gc.freeze()
