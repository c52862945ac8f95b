"""States of the Evaluation pages: datasets (list, dataset page, import, run an experiment) and
experiments (list, experiment page, comparison)."""
