"""localstripe on the port given, empty at start and with its state file switched off, so
that several (one per test) run side by side. Used by the Rust tests and the browser journeys.

Two fixes for its stand-in Stripe.js in a browser:
- a CORS preflight (`OPTIONS`), which localstripe's authentication refuses, is answered;
- the script is served inside a function: at top level its `class Element` replaces the
  browser's own `Element` for every script of the page (the wasm's DOM checks included);
  real Stripe.js declares nothing but `Stripe`."""
import os
import sys

from aiohttp import web

import localstripe.resources as resources

resources.Store.dump_to_disk = lambda self: None

import localstripe.server as server  # noqa: E402  (after the patch above)


STRIPE_JS = os.path.join(os.path.dirname(server.__file__), "localstripe-v3.js")


@web.middleware
async def browser_fixes(request, handler):
    if request.method == "OPTIONS":
        response = web.Response(status=204)
        # Chromium asks before a page calls a server on this machine.
        response.headers["Access-Control-Allow-Private-Network"] = "true"
        return response
    if request.path == "/js.stripe.com/v3/":
        with open(STRIPE_JS) as script:
            wrapped = "(function () {\n" + script.read() + "\nwindow.Stripe = Stripe;\n})();\n"
        return web.Response(text=wrapped, content_type="application/javascript")
    return await handler(request)


server.app.middlewares.insert(0, browser_fixes)

sys.argv = ["localstripe", "--port", sys.argv[1], "--from-scratch"]
server.start()
