"""A tiny SMTP server in a thread (Python 3.12 has no smtpd): keeps every message it accepts,
and can refuse (451) or hold the first message to chosen addresses, to stand for a mail server
that is having a bad moment."""

import socketserver
import threading
from email import message_from_bytes, policy


class SmtpSink:
    def __init__(self):
        self.messages = []
        self.refuse_once = set()
        self.hold_once = set()
        self.held = threading.Event()  # set when a message is being held
        self.release = threading.Event()
        self._lock = threading.Lock()
        sink = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self):
                sink._converse(self.rfile, self.wfile)

        class Server(socketserver.ThreadingTCPServer):
            daemon_threads = True
            allow_reuse_address = True

        self.server = Server(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()

    def recipients(self):
        with self._lock:
            return [message["To"] for message in self.messages]

    def _take(self, addresses, which):
        with self._lock:
            hit = which & set(addresses)
            which -= hit
            return bool(hit)

    def _converse(self, rfile, wfile):
        def reply(line):
            wfile.write(line.encode() + b"\r\n")
            wfile.flush()

        reply("220 sink ESMTP")
        recipients = []
        while True:
            line = rfile.readline()
            if not line:
                return
            command = line.decode(errors="replace").strip()
            verb = command.split(" ", 1)[0].upper()
            if verb in ("EHLO", "HELO"):
                reply("250 sink")
            elif verb == "MAIL":
                recipients = []
                reply("250 OK")
            elif verb == "RCPT":
                recipients.append(command.split(":", 1)[1].strip().strip("<>").lower())
                reply("250 OK")
            elif verb == "DATA":
                reply("354 go on")
                data = []
                while (chunk := rfile.readline()) not in (b".\r\n", b""):
                    data.append(chunk[1:] if chunk.startswith(b"..") else chunk)
                if self._take(recipients, self.hold_once):
                    self.held.set()
                    self.release.wait(60)
                    return  # the client is gone by now; nothing was accepted
                if self._take(recipients, self.refuse_once):
                    reply("451 try again later")
                    continue
                with self._lock:
                    self.messages.append(message_from_bytes(b"".join(data), policy=policy.SMTP))
                reply("250 queued")
            elif verb in ("RSET", "NOOP"):
                reply("250 OK")
            elif verb == "QUIT":
                reply("221 bye")
                return
            else:
                reply("502 not implemented")
