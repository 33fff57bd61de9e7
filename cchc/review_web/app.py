"""The Flask app behind `cchc review serve`: server-rendered pages, a small JSON API, page crops.

Only this computer is answered unless the steward started the server with
`--host` (the page writes to the dataset and shows unpublished reports): a
request from another address, or naming another host (DNS rebinding), gets
403 with what to do.  Writes accept JSON bodies only, which a page on another
site cannot send without the browser asking first.
"""

from __future__ import annotations

import ipaddress
import logging
from collections import OrderedDict
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
from flask import Flask, Response, abort, jsonify, render_template, request

from cchc.review import ReviewError, _values_index
from cchc.review_web.crops import CropError, render_crop
from cchc.review_web.session import ReviewSession

log = logging.getLogger("cchc")

LOCAL_NAMES = {"localhost", "127.0.0.1", "::1"}


def _hostname(host: str | None) -> str:
    """`127.0.0.1:8765` → `127.0.0.1`; `[::1]:8765` → `::1`."""
    host = host or ""
    if host.startswith("["):
        return host[1:host.find("]")]
    return host.split(":")[0].lower()


def is_loopback(addr: str | None) -> bool:
    try:
        return ipaddress.ip_address((addr or "").strip("[]")).is_loopback
    except ValueError:
        return False


def create_app(out: Path, allow_remote: bool = False) -> Flask:
    """The review app for one output folder; `allow_remote` lets other computers in (`--host`)."""
    session = ReviewSession(Path(out))
    app = Flask(__name__)
    app.config["JSON_AS_ASCII"] = False
    app.json.ensure_ascii = False  # type: ignore[attr-defined]

    @app.before_request
    def _only_this_computer() -> Any:
        if allow_remote:
            return None
        if not is_loopback(request.remote_addr) or _hostname(request.host) not in LOCAL_NAMES:
            log.warning("refused %s %s from %s (host %s)", request.method, request.path, request.remote_addr,
                        request.host)
            return Response(
                "cchc review serve answers only this computer (open http://127.0.0.1:PORT/ here). "
                "To let colleagues on the network in, restart it with --host 0.0.0.0.\n",
                status=403, mimetype="text/plain")
        return None

    @app.get("/")
    def index() -> str:
        figures = session.figures()
        docs: OrderedDict[str, dict[str, Any]] = OrderedDict()
        for f in figures:
            docs.setdefault(f["doc_id"], {"file_name": f["file_name"], "source_path": f["source_path"],
                                          "figures": []})["figures"].append(f)
        catalog = session.catalog()
        indicators = [(i.id, i.label) for i in sorted(catalog.indicators.values(), key=lambda i: i.id)]
        return render_template("review.html", out=session.out, docs=list(docs.values()), n_open=len(figures),
                               decided=session.decided(), indicators=indicators)

    @app.get("/crop")
    def crop() -> Response:
        key = request.args.get("key", "")
        rec = _values_index(session.out, [key]).get(key)
        if rec is None:
            abort(404, "this figure is no longer in the output")
        docs = pq.read_table(session.out / "documents.parquet", columns=["doc_id", "source_path"],
                             filters=[("doc_id", "=", rec["doc_id"])]).to_pylist()
        if not docs:
            abort(404, "its document is not in documents.parquet")
        try:
            png = render_crop(docs[0]["source_path"], rec["page"], rec["bbox"])
        except CropError as exc:
            abort(404, str(exc))
        return Response(png, mimetype="image/png", headers={"Cache-Control": "max-age=3600"})

    @app.get("/api/state")
    def state() -> Response:
        figures = session.figures()
        return jsonify({"open": [f["row_key"] for f in figures], "decided": session.decided()})

    def _batch(action: Any, expected: str) -> tuple[Response, int]:
        """One JSON batch of decisions or undos: 400 when malformed, 409 when refused, 422 when invalid."""
        body = _json_body()
        items = body.get("items")
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            return jsonify({"ok": False, "message": f"expected {expected}"}), 400
        try:
            outcome = action(items, str(body.get("reviewer") or ""))
        except ReviewError as exc:
            return jsonify({"ok": False, "message": str(exc), "problems": []}), 409
        return jsonify(outcome.to_json()), 200 if outcome.ok else 422

    @app.post("/api/decide")
    def decide() -> tuple[Response, int]:
        return _batch(session.decide, "{items: [{row_key, decision, …}], reviewer}")

    @app.post("/api/undo")
    def undo() -> tuple[Response, int]:
        return _batch(session.undo, "{items: [{row_key, decided_at, reviewer}]}")

    @app.get("/favicon.ico")
    def favicon() -> Response:
        return Response(status=204)

    @app.get("/report")
    def report() -> str:
        from cchc.report import build_report

        return build_report(session.out, served=True)

    @app.errorhandler(404)
    def _not_found(exc: Any) -> tuple[Response, int]:
        return Response(str(getattr(exc, "description", exc)), mimetype="text/plain"), 404

    return app


def _json_body() -> dict[str, Any]:
    if not request.is_json:
        abort(Response("send JSON (Content-Type: application/json)", status=415, mimetype="text/plain"))
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        abort(Response("the body is not a JSON object", status=400, mimetype="text/plain"))
    return body


def make_server(out: Path, host: str = "127.0.0.1", port: int = 8765, allow_remote: bool | None = None) -> Any:
    """A waitress server for the app (not yet running: call `.run()`; `.close()` stops it)."""
    from waitress.server import create_server

    if allow_remote is None:
        allow_remote = not is_loopback(host) and host != "localhost"
    return create_server(create_app(out, allow_remote=allow_remote), host=host, port=port, threads=4,
                         ident="cchc-review")
