"""A WSGI application that answers with what gunicorn put in its environ: the deployment
tests run gunicorn with gunicorn.conf.py in front of it."""

import json


def application(environ, start_response):
    seen = {
        "scheme": environ["wsgi.url_scheme"],
        "script_name": environ.get("SCRIPT_NAME", ""),
        "path_info": environ.get("PATH_INFO", ""),
    }
    start_response("200 OK", [("Content-Type", "application/json")])
    return [json.dumps(seen).encode()]
