"""The Reflex app: UI pages plus the FastAPI API mounted in the same process.

Pages register themselves with ``@rx.page``; importing their module here is all it takes (one line
per module, keep the list sorted to ease merges). See docs/ui.md.
"""

import reflex as rx

from api.app import build_api
from literal_app.startup import freeze_startup_objects, prepare
from literal_app.web_cache import immutable_assets
from literal_app.web_security import security_headers

prepare()

from literal_app.pages import auth, home, not_found  # noqa: E402,F401
from literal_app.pages.annotation import items, queues, review  # noqa: E402,F401
from literal_app.pages.dashboard import page as dashboard_page  # noqa: E402,F401
from literal_app.pages.datasets import catalog, compare, dataset, experiment, experiment_list  # noqa: E402,F401
from literal_app.pages.evaluation import online_evals, scorers  # noqa: E402,F401
from literal_app.pages.settings import api_keys, costs, general, llm_providers, tags, team  # noqa: E402,F401
from literal_app.pages.logs import tables, thread  # noqa: E402,F401
from literal_app.pages.playground import page as playground_page  # noqa: E402,F401
from literal_app.pages.prompts import detail, editor, library  # noqa: E402,F401
from literal_app.pages.settings import score_schemas  # noqa: E402,F401

from literal_app.jobs.online_evals import embedded_sweeper  # noqa: E402

app = rx.App(api_transformer=[build_api(), immutable_assets, security_headers])
app.register_lifespan_task(embedded_sweeper)  # embedded mode: online-eval sweeps while idle
freeze_startup_objects()  # last: everything above lives as long as the process
