"""Datasets (sidebar: Evaluation → Datasets, Experiments): datasets and their items (by hand, from
logged steps or generations, imported from CSV/JSONL, exported as JSONL or OpenAI fine-tuning
lines), experiments logged by the SDKs or run by the server (one RQ job per item, see
``experiment_work``), their results and the paired comparison of two experiments (the CI gate).

Modules: ``datasets``, ``dataset_items`` (the SDK's and the annotation queues' calls: keep their
signatures), ``item_admin`` (the dataset page), ``imports``, ``exports``, ``experiments`` (SDK
logging), ``experiment_runs`` (start / cancel / re-run / progress), ``experiment_work`` and
``experiment_execute`` (an item's job), ``experiment_scorers``, ``experiment_views``,
``comparison``, ``stats``."""
