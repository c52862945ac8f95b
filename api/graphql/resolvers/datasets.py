"""Datasets, dataset items, experiments and experiment items."""

from __future__ import annotations

from ariadne import MutationType, QueryType

from api.graphql.context import ctx
from literal_app.services.datasets import dataset_items, datasets, experiments

query = QueryType()
mutation = MutationType()


@query.field("datasets")
def resolve_datasets(_, info, first=None, after=None):
    session, actor = ctx(info)
    page = datasets.list_datasets(session, actor, first=first, after=after)
    return {"page_info": {"start_cursor": page.start_cursor, "end_cursor": page.end_cursor,
                         "has_next_page": page.has_next_page, "has_previous_page": page.has_previous_page},
            "total_count": page.total_count, "edges": [{"cursor": d.id, "node": d} for d in page.items]}


@query.field("datasetItem")
def resolve_dataset_item(_, info, id):
    session, actor = ctx(info)
    return dataset_items.get_item(session, actor, id)


@mutation.field("createDataset")
def resolve_create_dataset(_, info, name, description=None, metadata=None, type=None):
    session, actor = ctx(info)
    return datasets.create_dataset(session, actor, name=name, description=description, metadata=metadata,
                                   type=type)


@mutation.field("updateDataset")
def resolve_update_dataset(_, info, id, name=None, description=None, metadata=None):
    session, actor = ctx(info)
    return datasets.update_dataset(session, actor, id, name=name, description=description, metadata=metadata)


@mutation.field("deleteDataset")
def resolve_delete_dataset(_, info, id):
    session, actor = ctx(info)
    return datasets.delete_dataset(session, actor, id)


@mutation.field("createDatasetItem")
def resolve_create_dataset_item(_, info, dataset_id, input, expected_output=None, metadata=None,
                                generation_id=None):
    session, actor = ctx(info)
    if generation_id:  # declared by the Python client, never sent by it: an item from that generation
        return dataset_items.add_generation_to_dataset(session, actor, dataset_id=dataset_id,
                                                       generation_id=generation_id, metadata=metadata)
    return dataset_items.create_item(session, actor, dataset_id=dataset_id, input=input,
                                     expected_output=expected_output, metadata=metadata)


@mutation.field("deleteDatasetItem")
def resolve_delete_dataset_item(_, info, id):
    session, actor = ctx(info)
    return dataset_items.delete_item(session, actor, id)


@mutation.field("addStepToDataset")
def resolve_add_step_to_dataset(_, info, dataset_id, step_id, metadata=None):
    session, actor = ctx(info)
    return dataset_items.add_step_to_dataset(session, actor, dataset_id=dataset_id, step_id=step_id,
                                             metadata=metadata)


@mutation.field("addGenerationToDataset")
def resolve_add_generation_to_dataset(_, info, dataset_id, generation_id, metadata=None):
    session, actor = ctx(info)
    return dataset_items.add_generation_to_dataset(session, actor, dataset_id=dataset_id,
                                                   generation_id=generation_id, metadata=metadata)


@mutation.field("createDatasetExperiment")
def resolve_create_experiment(_, info, name, dataset_id=None, prompt_experiment_id=None, params=None):
    session, actor = ctx(info)
    return experiments.create_experiment(session, actor, name=name, dataset_id=dataset_id,
                                         prompt_variant_id=prompt_experiment_id, params=params)


@mutation.field("createDatasetExperimentItem")
def resolve_create_experiment_item(_, info, dataset_experiment_id, dataset_item_id=None, experiment_run_id=None,
                                   input=None, output=None):
    session, actor = ctx(info)
    return experiments.create_item(session, actor, experiment_id=dataset_experiment_id,
                                   dataset_item_id=dataset_item_id, experiment_run_id=experiment_run_id,
                                   input=input, output=output)


bindables = [query, mutation]
