"""The Reflex app: UI pages plus the FastAPI API mounted in the same process."""

import reflex as rx

from api.app import build_api
from literal_app.startup import prepare

prepare()


def index() -> rx.Component:
    return rx.center(rx.heading("literal_app"))


app = rx.App(api_transformer=build_api())
app.add_page(index, route="/", title="literal_app")
