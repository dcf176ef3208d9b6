"""WSGI entry point: `gunicorn wsgi:app`."""

import gc

# The imports and the app are objects that live as long as the worker: the collector's passes
# over them while they are made found some 650 unreachable objects (under 0.1 MB) and cost about
# 0.1 s of every start. So no pass runs until the app is made; then they are kept out of the
# collector's full passes, which would otherwise walk them each time a request (a national
# ranking of 20 000 units, a burst of submissions) allocates enough objects.
gc.disable()

from survey import arenas, create_app  # noqa: E402  (after the collector is paused)

# Before any thread starts: the worker's threads then share one malloc arena (survey/arenas.py).
arenas.use_one_arena()
app = create_app()
gc.freeze()
gc.enable()
