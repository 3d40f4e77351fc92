"""National scale on Apache Spark: the detection core run per partition on a cluster.

Optional: `pip install siaga[cluster]` brings PySpark and PyArrow. The modules here import the
same detection core as the single node (siaga.detect, siaga.services.detect's pure parts) and
add only what a cluster needs: reading files per partition, joining near-duplicate clusters
across partitions, aggregates for the alert rules, Parquet output and a bulk load. See
docs/scale.md.
"""
