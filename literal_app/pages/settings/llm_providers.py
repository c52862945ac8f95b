"""Settings → LLM providers: add, edit, delete and test the provider credentials the Playground,
experiments and evaluators call. Keys are write-only: the table shows their last four characters."""

from __future__ import annotations

import reflex as rx

from literal_app.components.layout import layout
from literal_app.components.ui import TRUNCATE, confirm, empty_row, form_error, notice, section_card
from literal_app.state.session import can, guarded
from literal_app.state.settings.llm_providers import PROVIDER_CHOICES, CredentialRow, LlmProvidersState as S


def _field(label: str, name: str, placeholder: str = "", type_: str = "text", width: str = "260px",
           hint: str | rx.Var = "") -> rx.Component:
    return rx.vstack(
        rx.text(label, size="1", color_scheme="gray", as_="label", html_for=f"cred-{name}"),
        rx.input(name=name, id=f"cred-{name}", default_value=S.form[name].to(str), placeholder=placeholder,
                 type=type_, width=width, key=S.editing_id + S.form_provider + name, auto_complete="off",
                 aria_label=label),
        *([rx.text(hint, size="1", color_scheme="gray")] if not isinstance(hint, str) or hint else []),
        spacing="1",
    )


def _provider_fields() -> rx.Component:
    p = S.form_provider
    key_placeholder = rx.cond(S.key_hint != "", "Leave blank to keep …" + S.key_hint, "Paste the key")
    return rx.flex(
        rx.cond(p == "azure_openai", rx.fragment(
            _field("Endpoint", "endpoint", "https://my-resource.openai.azure.com/...", width="380px",
                   hint="Paste the resource URL or the deployment's full URL"),
            _field("Deployment", "deployment", "from the URL if empty", width="180px"),
            _field("API version", "api_version", "2024-10-21", width="140px"))),
        rx.cond(p == "bedrock", rx.fragment(
            _field("Region", "region", "us-east-1", width="140px"),
            _field("Access key id", "access_key_id", "AKIA...", width="220px"))),
        rx.cond(p == "custom", _field("Base URL", "base_url", "http://localhost:8000/v1", width="320px")),
        rx.cond((p != "custom") & (p != "azure_openai") & (p != "bedrock"),
                _field("Base URL (optional)", "base_url", "default endpoint", width="300px")),
        rx.cond(p == "bedrock",
                _field("Secret access key", "api_key", "", type_="password", width="260px", hint=key_placeholder),
                _field(rx.cond(p == "custom", "API key (optional)", "API key"), "api_key", "", type_="password",
                       hint=key_placeholder)),
        wrap="wrap", spacing="3", align="start",
    )


def _form() -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.flex(
                rx.vstack(
                    rx.text("Provider", size="1", color_scheme="gray"),
                    rx.select.root(
                        rx.select.trigger(aria_label="Provider", width="220px"),
                        rx.select.content(*[rx.select.item(label, value=pid) for pid, label in PROVIDER_CHOICES]),
                        value=S.form_provider, on_change=S.set_form_provider, disabled=S.editing_id != "",
                    ),
                    spacing="1",
                ),
                _field("Name", "name", "e.g. OpenAI production", width="240px"),
                wrap="wrap", spacing="3",
            ),
            _provider_fields(),
            _field("Custom model names", "models", "my-fine-tune, another-model", width="520px",
                   hint=rx.cond(S.form_provider == "custom", "The models this server serves (comma separated)",
                                "Added to the provider's current models (fine-tuned or new ones)")),
            form_error(S.error),
            rx.hstack(
                rx.button(rx.cond(S.editing_id != "", "Save credential", "Add credential"), type="submit"),
                rx.cond(S.editing_id != "", rx.button("Cancel", type="button", variant="soft", color_scheme="gray",
                                                      on_click=S.cancel_edit)),
                spacing="2",
            ),
            spacing="3", width="100%",
        ),
        on_submit=S.save, reset_on_submit=False,
    )


def _row(r: CredentialRow) -> rx.Component:
    actions = rx.hstack(
        rx.button(rx.cond(S.testing_id == r.id, rx.spinner(size="1"), rx.icon("plug-zap", size=14)), "Test",
                  size="1", variant="soft", on_click=S.test(r.id), disabled=S.testing_id != "",
                  aria_label="Test " + r.name),
        rx.cond(can("secrets:write"), rx.fragment(
            rx.button("Edit", size="1", variant="soft", on_click=S.edit(r.id), aria_label="Edit " + r.name),
            confirm(rx.button("Delete", size="1", variant="soft", color_scheme="red", aria_label="Delete " + r.name),
                    "Delete this credential?", "The Playground and evaluators using " + r.name
                    + " will stop working until you pick another credential.", "Delete", S.delete(r.id)))),
        spacing="2",
    )
    return rx.table.row(
        rx.table.cell(rx.text(r.name, weight="medium")), rx.table.cell(r.provider_label),
        rx.table.cell(rx.code(r.key)), rx.table.cell(rx.text(r.connection, size="1", as_="div", max_width="260px",
                                                       title=r.connection, style=TRUNCATE)),
        rx.table.cell(rx.text(r.model_count.to_string() + " models · " + r.models, size="1", as_="div",
                              max_width="220px", title=r.models, style=TRUNCATE)),
        rx.table.cell(r.updated), rx.table.cell(actions),
        class_name="credential-row",
    )


@rx.page(route="/settings/llm-providers", title="LLM providers · literal_app", on_load=guarded(S.load))
def llm_providers_page() -> rx.Component:
    heads = ["Name", "Provider", "Key", "Endpoint", "Models", "Updated", ""]
    return layout(
        section_card(
            rx.cond(S.editing_id != "", "Edit credential", "Add a credential"),
            rx.cond(can("secrets:write"), _form(), notice("Only Admins and AI Engineers can change credentials.")),
            description="Keys are encrypted at rest and never shown again: only their last four characters.",
        ),
        rx.table.root(
            rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in heads])),
            rx.table.body(rx.cond(S.rows.length() == 0,
                                  empty_row("No credentials yet: add one above to use the Playground.", 7),
                                  rx.foreach(S.rows, _row))),
            width="100%", variant="surface",
        ),
        title="LLM providers",
        scope="secrets:read",
    )
