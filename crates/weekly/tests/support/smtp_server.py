"""A real SMTP server for the campaign tests (aiosmtpd), with answers a test can script.

Every accepted message is recorded before the server answers 250: one line per recipient in
LOG ("recipient<TAB>bytes"), and with --save DIR the message itself as DIR/N.eml. Scripted
refusals: 421 to every MAIL FROM for the first --down SECONDS, 451 to the first --defer RCPT
commands, 550 to any recipient containing one of the --reject texts. With --idle SECONDS, a
connection that sends no command for that long is closed (as servers do with idle clients).
With --user U --password P, a client must log in (AUTH PLAIN or LOGIN) with exactly these
before MAIL FROM; every login attempt is logged as "auth<TAB>ok|refused".

    python3 smtp_server.py PORT LOG [--save DIR] [--down S] [--defer N] [--reject TEXT]...
        [--idle S] [--user U --password P]
"""

import argparse
import asyncio
import os
import time

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Handler:
    def __init__(self, args):
        self.args = args
        self.started = time.monotonic()
        self.deferred = 0
        self.saved = 0
        self.log = open(args.log, "a", buffering=1)

    async def handle_MAIL(self, server, session, envelope, address, options):
        if time.monotonic() - self.started < self.args.down:
            return "421 4.3.2 Service not available, try again later"
        envelope.mail_from = address
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, options):
        if any(text in address for text in self.args.reject):
            return "550 5.1.1 No such user here"
        if self.deferred < self.args.defer:
            self.deferred += 1
            return "451 4.7.1 Greylisted, come back later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        data = envelope.original_content or b""
        if self.args.save:
            for _ in envelope.rcpt_tos:
                self.saved += 1
                path = os.path.join(self.args.save, f"{self.saved:06}.eml")
                with open(path, "wb") as f:
                    f.write(data)
        for rcpt in envelope.rcpt_tos:
            self.log.write(f"{rcpt}\t{len(data)}\n")
        self.log.flush()
        return "250 Message accepted"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("port", type=int)
    parser.add_argument("log")
    parser.add_argument("--save")
    parser.add_argument("--down", type=float, default=0)
    parser.add_argument("--defer", type=int, default=0)
    parser.add_argument("--reject", action="append", default=[])
    parser.add_argument("--idle", type=float, default=300)
    parser.add_argument("--user")
    parser.add_argument("--password")
    args = parser.parse_args()
    if args.save:
        os.makedirs(args.save, exist_ok=True)
    handler = Handler(args)
    auth = {}
    if args.user is not None:

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = (
                isinstance(auth_data, LoginPassword)
                and auth_data.login == args.user.encode()
                and auth_data.password == (args.password or "").encode()
            )
            handler.log.write(f"auth\t{'ok' if ok else 'refused'}\n")
            return AuthResult(success=ok)

        auth = {"authenticator": authenticator, "auth_required": True, "auth_require_tls": False}
    controller = Controller(
        handler,
        hostname="127.0.0.1",
        port=args.port,
        data_size_limit=10_000_000,
        timeout=args.idle,
        **auth,
    )
    controller.start()
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        controller.stop()


if __name__ == "__main__":
    asyncio.set_event_loop(asyncio.new_event_loop())
    main()
