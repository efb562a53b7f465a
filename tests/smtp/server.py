"""A real SMTP server for the tests, on loopback.

Each message it receives is saved, exactly as received, as an .eml file in
the folder given, so the Rust tests read what a mail server got. It prints
"ready" once it listens, and stops on SIGTERM or when its standard input
closes (the test that started it has gone).

    python3 tests/smtp/server.py --port 2525 --dir /tmp/mails

Needs aiosmtpd (pinned in requirements.txt next to this file).
"""

import argparse
import itertools
import os
import signal
import sys
import threading

from aiosmtpd.controller import Controller


class SaveToFolder:
    def __init__(self, folder):
        self.folder = folder
        self.numbers = itertools.count(1)

    async def handle_DATA(self, server, session, envelope):
        name = "%d-%04d.eml" % (os.getpid(), next(self.numbers))
        # Written whole, then renamed: a test never reads half a mail.
        partial = os.path.join(self.folder, "." + name + ".part")
        with open(partial, "wb") as f:
            f.write(envelope.original_content)
        os.replace(partial, os.path.join(self.folder, name))
        return "250 Message accepted for delivery"


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--dir", required=True)
    args = parser.parse_args()
    os.makedirs(args.dir, exist_ok=True)

    controller = Controller(SaveToFolder(args.dir), hostname="127.0.0.1", port=args.port)
    controller.start()
    print("ready", flush=True)

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())

    def stop_when_stdin_closes():
        sys.stdin.read()
        stop.set()

    threading.Thread(target=stop_when_stdin_closes, daemon=True).start()
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
