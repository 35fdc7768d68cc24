"""gunicorn's settings for the Docker image (`gunicorn --config gunicorn.conf.py`).

The web port is reached only through the reverse proxy (deploy/Caddyfile); gunicorn
believes what a peer says about HTTPS (X-Forwarded-Proto) only when the peer is that
proxy. See docs/deployment.md.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# WEB_CONCURRENCY sets the number of worker processes (gunicorn reads it itself).
timeout = 60
# No access log: request paths can hold e-mail confirmation and password reset keys.
# Errors are logged by Django as JSON with personal data scrubbed.
accesslog = None

# The addresses (or networks) of the reverse proxy, comma-separated: docker-compose.yml
# gives the proxy a fixed address and passes it here. Never "*": anyone who reached the
# port could then claim that a plain HTTP request came over HTTPS.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
if "*" in (address.strip() for address in forwarded_allow_ips.split(",")):
    raise RuntimeError(
        "FORWARDED_ALLOW_IPS must list the reverse proxy's addresses, not '*' "
        "(see docs/deployment.md)."
    )

# The proxy passes on the headers the client sent, adding its own: from the proxy,
# believe only X-Forwarded-Proto, which Caddy always overwrites. No header may set
# SCRIPT_NAME or PATH_INFO, and other names with underscores are dropped, so a client
# cannot move the site's URL prefix through the proxy.
secure_scheme_headers = {"X-FORWARDED-PROTO": "https"}
forwarder_headers = ""
header_map = "drop"
