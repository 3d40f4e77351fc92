"""The Spark session of a cluster job: where the master is and how small the executors are."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from typing import Any

DEFAULTS = {
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.executor.cores": "1",
    "spark.executor.memory": "512m",
    "spark.driver.memory": "512m",
    "spark.sql.shuffle.partitions": "8",
    "spark.sql.execution.arrow.maxRecordsPerBatch": "1000",
    "spark.sql.session.timeZone": "UTC",
    "spark.python.worker.reuse": "true",
    # Partition values stay text: province "07" is not the number 7, a day not a date type.
    "spark.sql.sources.partitionColumnTypeInference.enabled": "false",
}


def spark_session(master: str | None, app: str = "siaga",
                  conf: Mapping[str, str] | None = None) -> Any:
    """Return a SparkSession on `master` (spark://…, yarn, k8s://…, local[n]; None: local[*]).

    The executors run the same Python as the driver unless PYSPARK_PYTHON says otherwise.
    Any setting in `conf` overrides the small defaults above.
    """
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName(app).master(master or "local[*]")
    # PySpark reads the executors' Python from the environment, not only from the settings.
    python = os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    settings = {**DEFAULTS, "spark.pyspark.python": python,
                "spark.pyspark.driver.python": sys.executable, **(conf or {})}
    for key, value in settings.items():
        builder = builder.config(key, value)
    return builder.getOrCreate()
