"""localstripe on the port given, empty at start and with its state file switched off, so
that several (one per test) run side by side. Used by the Rust tests and the browser journeys."""
import sys

import localstripe.resources as resources

resources.Store.dump_to_disk = lambda self: None

from localstripe.server import start  # noqa: E402  (after the patch above)

sys.argv = ["localstripe", "--port", sys.argv[1], "--from-scratch"]
start()
