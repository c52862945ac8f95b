"""Evaluation pages: datasets, dataset, experiments, experiment, comparison."""
