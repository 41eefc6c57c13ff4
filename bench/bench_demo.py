"""The first `make run` (issue 14): `eage init-db` then `eage load-demo` on a fresh SQLite
instance, for today's date — the months of the year that have ended are closed by the real
month close (on 1 December: January to November), so this is what a newcomer waits for.

Runs the real commands in a temporary instance folder (EAGE_INSTANCE_PATH), prints their
progress lines as they come with the elapsed time, then the wall time, the CPU time of the
commands and their children (document rendering runs in a process pool), the mean close,
and what was produced. On a busy machine the wall time grows; the CPU time does not.

    .venv/bin/python bench/bench_demo.py [--year YYYY] [--no-time] [--keep] [--today YYYY-MM-DD]

`--today` runs the same command as if it were that day (a shorter year for a quick figure:
`--today 2026-03-10` closes January and February).
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLOSED = re.compile(r"^(\d{4}-\d{2}) closed: .*\((\d+(?:\.\d+)?) s\)$")


# `eage` with the demo's day replaced (the hook test_demo.py uses), then the real CLI.
AS_OF = (
    "import datetime, sys, eage.demo; from flask.cli import main; "
    "eage.demo._today = lambda: datetime.date.fromisoformat({day!r}); "
    "sys.argv = ['eage', '--app', 'eage', *sys.argv[1:]]; main()"
)


def eage_command(today: str | None = None) -> list[str]:
    if today:
        return [sys.executable, "-c", AS_OF.format(day=today)]
    script = Path(sys.executable).with_name("eage")
    return [str(script)] if script.exists() else [sys.executable, "-m", "flask", "--app", "eage"]


class TreeCpu(threading.Thread):
    """CPU seconds of a process and all its descendants, polled from /proc every 0.2 s:
    the rendering pool's workers are the fork server's children, which the command never
    waits for, so its rusage does not count them (Linux only; 0 elsewhere)."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.root, self.seen, self.done = pid, dict[int, float](), threading.Event()

    @staticmethod
    def _stat(pid: int) -> tuple[int, float] | None:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            return None
        ticks = os.sysconf("SC_CLK_TCK")
        return int(fields[1]), (int(fields[11]) + int(fields[12])) / ticks

    def poll(self) -> None:
        stats = {}
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit() and (st := self._stat(int(entry.name))) is not None:
                stats[int(entry.name)] = st
        tree, grew = {self.root}, True
        while grew:
            more = {pid for pid, (ppid, _cpu) in stats.items() if ppid in tree} - tree
            tree |= more
            grew = bool(more)
        for pid in tree & stats.keys():
            self.seen[pid] = max(self.seen.get(pid, 0.0), stats[pid][1])

    def run(self) -> None:
        while not self.done.wait(0.2):
            self.poll()

    def total(self) -> float:
        return sum(self.seen.values())


def cpu_of_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(
    args: list[str], env: dict[str, str], started: float, today: str | None = None
) -> tuple[list[str], float]:
    """Run one command, echo its stdout lines with the elapsed time; its CPU seconds (of it
    and its descendants)."""
    before = cpu_of_children()
    proc = subprocess.Popen(
        [*eage_command(today), *args],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    tree = TreeCpu(proc.pid)
    tree.start()
    lines: list[str] = []
    assert proc.stdout is not None
    for line in proc.stdout:
        line = line.rstrip("\n")
        lines.append(line)
        print(f"  {time.perf_counter() - started:7.1f} s  {line}", flush=True)
    tree.poll()
    code = proc.wait()
    tree.done.set()
    if code != 0:
        raise SystemExit(f"eage {' '.join(args)} failed (exit {code})")
    return lines, max(tree.total(), cpu_of_children() - before)


def produced(instance: Path) -> dict[str, int]:
    con = sqlite3.connect(instance / "eage.sqlite")
    try:
        return {
            table: con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in (
                "month_lock",
                "invoice",
                "payslip",
                "stored_document",
                "journal_entry",
                "payment",
                "timesheet_entry",
            )
        }
    finally:
        con.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--year", type=int, default=None)
    parser.add_argument("--no-time", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the instance folder")
    parser.add_argument("--today", default=None, help="load as if on this day (YYYY-MM-DD)")
    opts = parser.parse_args()

    instance = Path(tempfile.mkdtemp(prefix="bench-demo-"))
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["EAGE_INSTANCE_PATH"] = str(instance)
    env["PYTHONPATH"] = str(ROOT)
    load = ["load-demo"] + (["--year", str(opts.year)] if opts.year else [])
    load += ["--no-time"] if opts.no_time else []
    print(f"fresh instance {instance}, {os.cpu_count()} core(s), load average "
          f"{os.getloadavg()[0]:.1f}, as of {opts.today or 'today'}")  # fmt: skip
    started = time.perf_counter()
    _lines, init_cpu = run(["init-db"], env, started)
    init_wall = time.perf_counter() - started
    lines, load_cpu = run(load, env, started, opts.today)
    wall = time.perf_counter() - started
    closes = [float(m.group(2)) for m in map(CLOSED.match, lines) if m]
    print()
    print(f"init-db:   {init_wall:7.1f} s wall, {init_cpu:7.1f} s CPU")
    print(
        f"load-demo: {wall - init_wall:7.1f} s wall, {load_cpu:7.1f} s CPU (with its descendants)"
    )
    if closes:
        print(
            f"closes:    {len(closes)} month(s), {sum(closes):.1f} s, "
            f"{sum(closes) / len(closes):.1f} s per month (wall)"
        )
    print(f"total:     {wall:7.1f} s wall ({wall / 60:.1f} min)")
    print("produced:  " + ", ".join(f"{k} {v}" for k, v in produced(instance).items()))
    if opts.keep:
        print(f"kept: {instance}")
    else:
        shutil.rmtree(instance, ignore_errors=True)


if __name__ == "__main__":
    main()
