"""Shared by the web review and run report tests: a real output with many flagged figures, and a live server.

The output is a real extraction of the Chromium-printed department sample
(narrative figures the matcher is unsure of, a figure on a heading row) and of
a commune appendix drawn here whose labels are worded unlike any template, so
that the matcher flags most of its rows (weak evidence, unreadable label, no
indicator at all, a misread "l2O").
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

from click.testing import CliRunner

from cchc.cli import main
from tests.pdfmaker import grid_pdf
from tests.sample_support import SAMPLES

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
DEPARTMENT = SAMPLES / "text" / "department_bdt_h1_2023_chromium.pdf"

ODD_ROWS = [
    ("1", "Công tác chỉ đạo, điều hành CCHC", "", ""),
    ("1.1", "Tỷ lệ hoàn thành kế hoạch CCHC năm", "%", "80"),
    ("1.1.1", "Nhiệm vụ được giao trong kế hoạch của xã", "Nhiệm vụ", "12"),
    ("1.1.2", "Nhiệm vụ đã xong trong kỳ", "Nhiệm vụ", "9"),
    ("1.2", "Công tác kiểm tra về cải cách hành chính", "", ""),
    ("1.2.1", "Số thôn được kiểm tra trong kỳ", "Thôn", "4"),
    ("2", "Cải cách thể chế", "", ""),
    ("2.1", "Văn bản quy phạm do xã ban hành trong kỳ", "Văn bản", "3"),
    ("3", "Cải cách thủ tục hành chính", "", ""),
    ("3.1", "Thống kê TTHC", "", ""),
    ("3.1.1", "Thủ tục mới được công bố, sửa đổi trong kỳ báo cáo", "Thủ tục", "3"),
    ("3.1.2", "Số TTHC được bãi bỏ hoặc thay thế trong quý", "Thủ tục", "1"),
    ("3.1.3", "Thủ tục đang thực hiện tại xã (tổng)", "Thủ tục", "l2O"),
    ("3.2", "Hồ sơ tiếp nhận tại bộ phận một cửa của xã", "Hồ sơ", "351"),
    ("3.2.1", "Hồ sơ giải quyết xong trước và đúng hạn", "Hồ sơ", "340"),
    ("3.2.2", "Hồ sơ trả kết quả muộn", "Hồ sơ", "2"),
    ("3.3", "Phản ánh kiến nghị của người dân về TTHC", "Phản ánh", "0"),
    ("4", "Cải cách tổ chức bộ máy", "", ""),
    ("4.1", "Số cán bộ công chức xã hiện có", "Người", "21"),
    ("4.2", "Số lượt cán bộ đi học bồi dưỡng", "Lượt", "7"),
    ("3.1.9", "Số sáng kiến cải tiến quy trình nội bộ được ghi nhận", "Sáng kiến", "4"),
]


def odd_grid_pdf(path: Path) -> Path:
    """A one-page commune appendix (real text layer, ruled grid) whose labels no template prints."""
    return grid_pdf(path, ODD_ROWS)


def build_inputs(root: Path, extra: tuple[Path, ...] = ()) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    odd_grid_pdf(root / "xa_binh_an_q1_2024.pdf")
    shutil.copy(DEPARTMENT, root / DEPARTMENT.name)
    for path in extra:
        shutil.copy(path, root / path.name)
    return root


def extract(inputs: Path, out: Path) -> Path:
    result = CliRunner().invoke(main, ["-q", "extract", str(inputs), "--out", str(out), "--executor", "inline"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return out


@contextlib.contextmanager
def running_server(out: Path, host: str = "127.0.0.1", allow_remote: bool | None = None) -> Iterator[str]:
    """`cchc review serve`'s waitress server on a free port, in a thread; yields its base URL."""
    from waitress import wasyncore

    from cchc.review_web.app import make_server

    server = make_server(out, host=host, port=0, allow_remote=allow_remote)
    stop = threading.Event()

    def loop() -> None:  # server.run(), in short turns, so that it closes its own sockets when told to stop
        try:
            while not stop.is_set():
                server.asyncore.loop(timeout=0.05, map=server._map, count=1)
        finally:
            server.task_dispatcher.shutdown()
            wasyncore.close_all(server._map)

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    try:
        yield f"http://{'127.0.0.1' if host in ('0.0.0.0', '127.0.0.1') else host}:{server.effective_port}"
    finally:
        stop.set()
        thread.join(timeout=5)


def non_loopback_address() -> str | None:
    """An address of this machine other than 127.x (to be a client that is not localhost), if it has one."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("192.0.2.1", 9))  # no packet is sent: this only picks the outgoing interface
            addr = s.getsockname()[0]
            if not addr.startswith("127."):
                return addr
    except OSError:
        pass
    try:
        words = subprocess.run(["hostname", "-I"], capture_output=True, text=True, timeout=5).stdout.split()
    except (OSError, subprocess.SubprocessError):
        return None
    return next((w for w in words if "." in w and not w.startswith("127.")), None)
