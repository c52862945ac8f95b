"""One module per entity; each exports ``bindables`` (QueryType/MutationType/ObjectType instances).

``api/graphql/app.py`` imports every module of this package and binds all their bindables to
``schema.graphql``. Several ``QueryType()``/``MutationType()`` instances may coexist.
"""
