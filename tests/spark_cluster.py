"""A throwaway Spark standalone cluster (a master and workers) from the pip package's own
`spark-class`, loopback only, for the test suite."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

MASTER_CLASS = "org.apache.spark.deploy.master.Master"
WORKER_CLASS = "org.apache.spark.deploy.worker.Worker"


class SparkUnavailable(RuntimeError):
    """No PySpark or no Java on this machine, or the cluster would not start."""


def _die_with_parent() -> None:
    """Ask Linux to stop the daemon when the test process dies, even if killed outright."""
    import contextlib
    import ctypes
    import signal

    with contextlib.suppress(OSError):  # not Linux: stop() still stops them on a normal exit
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def spark_class() -> Path:
    """Return the pip package's bin/spark-class, or raise SparkUnavailable."""
    try:
        import pyspark
    except ImportError as exc:
        raise SparkUnavailable("PySpark is not installed (pip install 'siaga[cluster]')") from exc
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        raise SparkUnavailable("no Java runtime (make test-deps installs openjdk-17-jre-headless)")
    found = Path(pyspark.__file__).parent / "bin" / "spark-class"
    if not found.is_file():
        raise SparkUnavailable(f"{found} is missing")
    return found


@dataclass
class SparkCluster:
    """A running standalone master and its workers; `master` is the spark:// URL."""

    root: Path
    workers: int = 2
    worker_memory: str = "1g"
    port: int = field(default_factory=_free_port)
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)

    @property
    def master(self) -> str:
        """Return the master's URL."""
        return f"spark://127.0.0.1:{self.port}"

    def env(self) -> dict[str, str]:
        """Return the environment of the daemons (and of drivers using them)."""
        import pyspark

        return {**os.environ, "SPARK_LOCAL_IP": "127.0.0.1",
                "SPARK_HOME": str(Path(pyspark.__file__).parent),
                "SPARK_LOG_DIR": str(self.root / "logs"),
                "SPARK_WORKER_DIR": str(self.root / "work"),
                "PYSPARK_PYTHON": sys.executable, "PYSPARK_DRIVER_PYTHON": sys.executable}

    def _start(self, name: str, *args: str) -> subprocess.Popen[bytes]:
        log = (self.root / f"{name}.log").open("wb")
        process = subprocess.Popen([str(spark_class()), *args], env=self.env(), stdout=log,
                                   stderr=subprocess.STDOUT, start_new_session=True,
                                   preexec_fn=_die_with_parent)
        self.processes.append(process)
        return process

    def start(self) -> None:
        """Start the master and the workers, waiting until every worker has registered."""
        (self.root / "logs").mkdir(parents=True, exist_ok=True)
        self._start("master", MASTER_CLASS, "--host", "127.0.0.1", "--port", str(self.port),
                    "--webui-port", str(_free_port()))
        self._wait_for("master", "Starting Spark master")
        for i in range(self.workers):
            self._start(f"worker{i}", WORKER_CLASS, self.master, "--host", "127.0.0.1",
                        "--cores", "1", "--memory", self.worker_memory,
                        "--webui-port", str(_free_port()),
                        "--work-dir", str(self.root / f"work{i}"))
        for i in range(self.workers):
            self._wait_for(f"worker{i}", "Successfully registered with master")

    def _wait_for(self, name: str, text: str, seconds: float = 90) -> None:
        log = self.root / f"{name}.log"
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if text in log.read_text("utf-8", errors="replace"):
                return
            if any(p.poll() is not None for p in self.processes):
                break
            time.sleep(0.3)
        self.stop()
        raise SparkUnavailable(f"Spark {name} did not start: {log.read_text()[-2000:]}")

    def stop(self) -> None:
        """Stop the workers, then the master."""
        for process in reversed(self.processes):
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(20)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
        self.processes.clear()


def start_cluster(root: Path, workers: int = 2) -> SparkCluster:
    """Start a cluster of `workers` one-core workers under `root`; raise SparkUnavailable."""
    spark_class()
    cluster = SparkCluster(root, workers)
    cluster.start()
    return cluster


def executor_pids(app_id: str) -> list[int]:
    """Return the process ids of the running executors of one application."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"org.apache.spark.executor.CoarseGrainedExecutorBackend" in command and \
                app_id.encode() in command:
            found.append(int(entry.name))
    return sorted(found)
