"""Near-duplicate clusters across partitions: band keys grouped, components joined in Spark."""

from __future__ import annotations

from typing import Any

from siaga.cluster.executor import cluster_component

MAX_ROUNDS = 64  # label propagation halves long chains each round with the pointer jump
# Intermediate results are checkpointed to the job's checkpoint directory (reliable storage),
# not to executor memory: a lost executor's share is read back, not lost with it.


def band_edges(detections: Any) -> Any:
    """Return (src, dst) edges: every text to the first text sharing one of its band keys."""
    from pyspark.sql import functions as F

    keyed = detections.select("ord", F.posexplode("keys").alias("band", "key"))
    groups = (keyed.groupBy("band", "key")
              .agg(F.min("ord").alias("root"), F.count("*").alias("n"))
              .where(F.col("n") > 1))
    return (keyed.join(groups, ["band", "key"]).where(F.col("ord") != F.col("root"))
            .select(F.col("ord").alias("src"), F.col("root").alias("dst")).distinct())


def connected_components(edges: Any) -> Any:
    """Return (vertex, component) for every vertex of the edges; a component is named by its
    smallest vertex. Min-label propagation with a pointer jump, until no label changes."""
    from pyspark.sql import functions as F

    both = edges.union(edges.select(F.col("dst").alias("src"), F.col("src").alias("dst")))
    both = both.checkpoint()
    labels = (both.groupBy("src").agg(F.min("dst").alias("low"))
              .select(F.col("src").alias("vertex"),
                      F.least(F.col("src"), F.col("low")).alias("label"))
              .checkpoint())
    for _ in range(MAX_ROUNDS):
        # Each vertex takes the smallest label among itself and its neighbours ...
        spread = (both.join(labels, both.dst == labels.vertex)
                  .groupBy("src").agg(F.min("label").alias("seen")))
        step = (labels.join(spread, labels.vertex == spread.src)
                .select("vertex", F.least("label", "seen").alias("label")))
        # ... then jumps to its label's label, which shortens chains geometrically.
        target = step.select(F.col("vertex").alias("t"), F.col("label").alias("t_label"))
        jumped = (step.join(target, step.label == target.t, "left")
                  .select("vertex", F.least("label", F.coalesce("t_label", "label"))
                          .alias("label"))).checkpoint()
        changed = (jumped.join(labels.withColumnRenamed("label", "old"), "vertex")
                   .where(F.col("label") != F.col("old")).limit(1).count())
        labels = jumped
        if not changed:
            return labels.withColumnRenamed("label", "component")
    raise RuntimeError(f"connected components did not settle in {MAX_ROUNDS} rounds")


def cluster_ids(detections: Any) -> Any:
    """Return (ord, cluster_id): the single node's clusters, ids given in the order their first
    text comes in the stream (so on a fresh store the ids are the single node's too)."""
    from pyspark.sql import functions as F

    spark = detections.sparkSession
    components = connected_components(band_edges(detections))
    # Whole components go to one of a few buckets, each judged in one call: a component's band
    # keys are its own, so one clusterer over several components judges each as alone, and a
    # call per bucket costs far less than a call per (mostly tiny) component.
    buckets = int(spark.conf.get("spark.sql.shuffle.partitions"))
    members = (detections.select("ord", "normalised", "moment", "source")
               .join(components.withColumnRenamed("vertex", "ord"), "ord")
               .withColumn("bucket", F.pmod(F.xxhash64("component"), F.lit(buckets))))
    judged = members.groupBy("bucket").applyInPandas(
        cluster_component, "ord long, opener long")
    # Checkpointed: both the ranks and the result read it, and it must be judged only once.
    every = (detections.select("ord").join(judged, "ord", "left")
             .select("ord", F.coalesce("opener", "ord").alias("opener")).checkpoint())
    openers = every.select("opener").distinct()
    ranked = (openers.rdd.map(lambda row: row[0]).sortBy(lambda value: value).zipWithIndex()
              .map(lambda pair: (pair[0], pair[1] + 1)))
    ranks = openers.sparkSession.createDataFrame(ranked, "opener long, cluster_id long")
    return every.join(ranks, "opener").select("ord", "opener", "cluster_id")
