"""A mail catcher answering the part of Mailpit's API the tests read."""
import email
import email.policy
import json
import threading
import uuid
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from aiosmtpd.controller import Controller

messages = []
lock = threading.Lock()


class Catcher:
    async def handle_DATA(self, server, session, envelope):
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with lock:
            messages.insert(0, {
                "ID": uuid.uuid4().hex,
                "Subject": str(parsed.get("Subject", "")),
                "To": [{"Address": address} for address in envelope.rcpt_tos],
                "Created": datetime.now(timezone.utc).isoformat(),
                "raw": envelope.content,
            })
        return "250 Message accepted"


class Api(BaseHTTPRequestHandler):
    def do_GET(self):
        with lock:
            listing = [{k: v for k, v in m.items() if k != "raw"} for m in messages]
            raw = {m["ID"]: m["raw"] for m in messages}
        if self.path in ("/livez", "/readyz"):
            return self.answer(200, "text/plain", b"ok")
        if self.path.startswith("/api/v1/messages"):
            body = json.dumps({"total": len(listing), "messages_count": len(listing), "messages": listing})
            return self.answer(200, "application/json", body.encode())
        parts = self.path.strip("/").split("/")
        if len(parts) == 5 and parts[:3] == ["api", "v1", "message"] and parts[4] == "raw" and parts[3] in raw:
            return self.answer(200, "message/rfc822", raw[parts[3]])
        return self.answer(404, "text/plain", b"not found")

    def answer(self, status, content_type, body):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


Controller(Catcher(), hostname="0.0.0.0", port=1025).start()
ThreadingHTTPServer(("0.0.0.0", 8025), Api).serve_forever()
