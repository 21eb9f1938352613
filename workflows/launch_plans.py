"""Launch plans: a nightly diagnosis of the default data and typical configurations.

Registered with the workflows; the nightly plan's schedule is activated on the cluster
(`flytectl update launchplan --activate`). Failures notify the platform team by e-mail
(the address is configurable with ``DAIKIRI_ALERT_EMAIL`` at registration time).
"""

from __future__ import annotations

import os

from flytekit import CronSchedule, Email, LaunchPlan, WorkflowExecutionPhase

from daikiri.params import ClusterMethod
from workflows.diagnose import diagnose
from workflows.explore import explore

ALERT_EMAIL = os.environ.get("DAIKIRI_ALERT_EMAIL", "daikiri-platform@example.org")
ON_FAILURE = [Email(phases=[WorkflowExecutionPhase.FAILED, WorkflowExecutionPhase.TIMED_OUT],
                    recipients_email=[ALERT_EMAIL])]

#: Every night, everything recomputed (``overwrite_cache``). Its inputs are the same every
#: night, so without it every cached step after the first night is a cache hit. New data does
#: reach a run: ingestion is never cached and its table carries a content hash that keys every
#: cached step after it, so a table file the plant rewrites at the same URI recomputes what
#: depends on it. But the default inputs generate the same data each night, and a nightly run
#: is also the platform's health check (images, cluster, learner): it must run every task,
#: and it refreshes the cache for the day's ad-hoc runs.
nightly_diagnose = LaunchPlan.get_or_create(
    diagnose, name="daikiri.nightly_diagnose",
    schedule=CronSchedule(schedule="0 2 * * *"),
    default_inputs={"rows": 10_000, "seed": 42},
    notifications=ON_FAILURE,
    overwrite_cache=True)

quick_diagnose = LaunchPlan.get_or_create(
    diagnose, name="daikiri.quick_diagnose",
    default_inputs={"rows": 2_000, "explain_clusters": False, "explain_model": False,
                    "max_runtime": 3.0, "embedding_epochs": 3},
    notifications=ON_FAILURE)

large_diagnose = LaunchPlan.get_or_create(
    diagnose, name="daikiri.large_diagnose",
    default_inputs={"rows": 1_000_000, "max_runtime": 60.0, "cluster_method": ClusterMethod.KMEANS},
    notifications=ON_FAILURE)

explore_hdbscan = LaunchPlan.get_or_create(
    explore, name="daikiri.explore_hdbscan", default_inputs={"method": ClusterMethod.HDBSCAN},
    notifications=ON_FAILURE)
