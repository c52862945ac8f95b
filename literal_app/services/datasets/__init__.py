"""Datasets (sidebar: Datasets, Experiments): datasets, their items (by hand, from logged steps or
generations) and experiments with their items and scores."""
