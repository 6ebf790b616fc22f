"""Drive one headless LibreOffice over UNO: convert files sent one per line on stdin.

Run by a Python that can ``import uno`` (Debian's python3 with python3-uno, or LibreOffice's
own ``program/python``), never by the test environment's Python, which cannot load pyuno.
Starting LibreOffice costs a second or more; kept running, each file costs only its load,
recalculation and export.  tests/support/libreoffice.py starts and talks to it.

Usage: python3 uno_bridge.py SOFFICE PROFILE_DIR PIPE_NAME
Each stdin line is JSON {"source": path, "target": path, "filter": export filter name};
each stdout line answers it: {"ok": true} or {"ok": false, "error": "one line"}.
Every file is recalculated in full before it is exported (LibreOffice would otherwise
trust the values cached in it, and openpyxl writes formulas without any).
"""

from __future__ import annotations

import json
import subprocess
import sys
import time

import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException

CONNECT_SECONDS = 120


def prop(name: str, value: object) -> PropertyValue:
    item = PropertyValue()
    item.Name, item.Value = name, value
    return item


class Office:
    def __init__(self, soffice: str, profile: str, pipe: str) -> None:
        self.command = [soffice, f"-env:UserInstallation={uno.systemPathToFileUrl(profile)}", "--headless",
                        "--norestore", "--nologo", "--nodefault", "--nolockcheck",
                        f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext"]
        self.profile, self.pipe = profile, pipe
        self.process: subprocess.Popen | None = None
        self.desktop = None

    def start(self) -> None:
        self.process = subprocess.Popen(self.command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL, env={"HOME": self.profile, "PATH": "/usr/bin:/bin"})
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        deadline = time.monotonic() + CONNECT_SECONDS
        while True:
            try:
                context = resolver.resolve(f"uno:pipe,name={self.pipe};urp;StarOffice.ComponentContext")
                break
            except NoConnectException:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("LibreOffice did not start") from None
                time.sleep(0.05)
        self.desktop = context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)

    def convert(self, source: str, target: str, export_filter: str) -> None:
        document = self.desktop.loadComponentFromURL(uno.systemPathToFileUrl(source), "_blank", 0,
                                                     (prop("Hidden", True), prop("ReadOnly", True)))
        if document is None:
            raise RuntimeError("LibreOffice could not open it")
        try:
            if hasattr(document, "calculateAll"):  # a spreadsheet (Writer documents have no formulas to redo)
                document.calculateAll()
            document.storeToURL(uno.systemPathToFileUrl(target), (prop("FilterName", export_filter),))
        finally:
            document.close(True)

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self) -> None:
        if self.alive():
            try:
                self.desktop.terminate()
                self.process.wait(timeout=30)
            except Exception:  # noqa: BLE001 - it is going away either way
                self.process.kill()


def main(soffice: str, profile: str, pipe: str) -> None:
    office = Office(soffice, profile, pipe)
    office.start()
    try:
        for line in sys.stdin:
            request = json.loads(line)
            try:
                if not office.alive():  # a file that crashed LibreOffice costs that file alone
                    office.start()
                office.convert(request["source"], request["target"], request["filter"])
                answer = {"ok": True}
            except Exception as error:  # noqa: BLE001 - reported for the file, the bridge goes on
                answer = {"ok": False, "error": " ".join(str(error).split()) or type(error).__name__}
            print(json.dumps(answer), flush=True)
    finally:
        office.stop()


if __name__ == "__main__":
    main(*sys.argv[1:4])
