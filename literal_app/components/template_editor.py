"""The prompt template editor, as stateless pieces over any state that mixes in
``literal_app.state.template_editor.TemplateEditorMixin`` (pass the state class as ``S``): message
list with roles, reordering and images; the variables detected in the messages with value fields;
the tools JSON editor; the output type picker. Used by the Playground and the prompt library.

Text fields are uncontrolled (``default_value`` + debounced ``on_change``): typing never waits for
the server, even while answers stream in; ``key`` remounts them when the template is replaced."""

from __future__ import annotations

import reflex as rx

ROLE_OPTIONS = [("system", "System"), ("user", "User"), ("assistant", "Assistant"), ("tool", "Tool")]
OUTPUT_OPTIONS = [("text", "Text"), ("json_object", "JSON object"), ("json_schema", "JSON schema"),
                  ("score_schema", "Score schema")]
TOOL_CHOICES = [("auto", "Auto"), ("required", "Required (any tool)"), ("none", "None")]
DEBOUNCE_MS = 250


def _icon_button(icon: str, label: str, on_click, **props) -> rx.Component:
    return rx.icon_button(rx.icon(icon, size=14), size="1", variant="ghost", color_scheme="gray",
                          aria_label=label, title=label, on_click=on_click, type="button", **props)


def _images(S, m) -> rx.Component:
    return rx.cond(m.images.length() > 0, rx.flex(
        rx.foreach(m.images, lambda url: rx.box(
            rx.image(src=url, height="56px", width="auto", border_radius="4px", alt="image input"),
            _icon_button("x", "Remove image", S.te_remove_image(m.id, url), position="absolute", top="0", right="0"),
            position="relative")),
        spacing="2", wrap="wrap"))


def _image_url_form(S, m) -> rx.Component:
    return rx.popover.root(
        rx.popover.trigger(rx.button(rx.icon("image-plus", size=14), "Image", size="1", variant="ghost",
                                     type="button", aria_label="Add an image URL")),
        rx.popover.content(rx.form(rx.hstack(
            rx.input(name="url", placeholder="https://... image URL", width="260px", aria_label="Image URL"),
            rx.popover.close(rx.button("Add", type="submit", size="1")), spacing="2"),
            on_submit=S.te_add_image_url(m.id), reset_on_submit=True)),
    )


def message_card(S, m, index, roles=ROLE_OPTIONS, images: bool = True) -> rx.Component:
    """One message: role, text (Mustache), images on user messages, tool call id on tool messages."""
    return rx.box(
        rx.hstack(
            rx.select.root(
                rx.select.trigger(aria_label="Role of message " + (index + 1).to_string(), variant="ghost"),
                rx.select.content(*[rx.select.item(label, value=v) for v, label in roles]),
                value=m.role, on_change=lambda v: S.te_set_role(m.id, v), size="1"),
            rx.cond(m.role == "user", _image_url_form(S, m)) if images else rx.fragment(),
            rx.cond(m.role == "tool", rx.input(
                default_value=m.tool_call_id, placeholder="tool call id", size="1", width="160px",
                key=m.id + "-tcid", aria_label="Tool call id",
                on_blur=lambda v: S.te_set_tool_call_id(m.id, v))),
            rx.spacer(),
            _icon_button("arrow-up", "Move up", S.te_move_message(m.id, -1)),
            _icon_button("arrow-down", "Move down", S.te_move_message(m.id, 1)),
            _icon_button("trash-2", "Remove message", S.te_remove_message(m.id)),
            width="100%", align="center", spacing="1",
        ),
        rx.text_area(
            default_value=m.content, key=m.id + S.te_version.to_string(), resize="vertical", min_height="64px",
            placeholder=rx.cond(m.role == "system", "Instructions... use {{variable}} for values",
                                "Message text, {{variables}} allowed"),
            aria_label="Message " + (index + 1).to_string() + " text", class_name="te-message",
            on_change=lambda v: S.te_set_content(m.id, v).debounce(DEBOUNCE_MS),
            on_blur=lambda v: S.te_set_content(m.id, v),  # a debounced change cut short by a switch
            width="100%", font_family="var(--code-font-family)", size="2",
        ),
        rx.cond(m.tool_calls != "", rx.code_block(m.tool_calls, language="json", font_size="12px", width="100%")),
        _images(S, m) if images else rx.fragment(),
        padding="8px", border="1px solid var(--gray-a5)", border_radius="6px", width="100%",
        class_name="te-message-card",
    )


def message_list(S, roles=ROLE_OPTIONS, images: bool = True) -> rx.Component:
    """The messages and "add" buttons; ``roles`` limits the roles offered and ``images`` the image
    inputs (a judge: text messages, no tool role)."""
    return rx.vstack(
        rx.foreach(S.te_messages, lambda m, i: message_card(S, m, i, roles, images)),
        rx.cond(S.te_messages.length() == 0, rx.text("No messages: add a system or user message below.",
                                                     size="2", color_scheme="gray")),
        rx.hstack(
            *[rx.button(rx.icon("plus", size=14), label, size="1", variant="soft", type="button",
                        on_click=S.te_add_message(role), aria_label=f"Add {label.lower()} message")
              for role, label in roles],
            spacing="2", wrap="wrap",
        ),
        spacing="2", width="100%",
    )


def image_upload(S) -> rx.Component:
    """Drop or pick image files: they go on the last user message as data URLs."""
    return rx.upload.root(
        rx.hstack(rx.icon("upload", size=14), rx.text("Upload an image to the last user message", size="1"),
                  spacing="2", align="center"),
        id="te-image-upload", accept={"image/*": [".png", ".jpg", ".jpeg", ".gif", ".webp"]}, max_files=4,
        on_drop=S.te_upload_image(rx.upload_files(upload_id="te-image-upload")),
        border="1px dashed var(--gray-a7)", padding="6px 10px", border_radius="6px", cursor="pointer",
    )


def _variable(S, name) -> rx.Component:
    return rx.vstack(
        rx.text(rx.code("{{" + name + "}}"), size="1", as_="label"),
        rx.text_area(default_value=S.te_values[name].to(str), key=name + S.te_version.to_string(), rows="2",
                     on_change=lambda v: S.te_set_value(name, v).debounce(DEBOUNCE_MS),
                     on_blur=lambda v: S.te_set_value(name, v), aria_label="Value of " + name,
                     width="100%", size="1", class_name="te-variable"),
        spacing="1", width="100%",
    )


def variables_panel(S) -> rx.Component:
    """A value field per Mustache variable the messages use (lists and objects as JSON loop in
    sections); the list follows the messages as they are typed."""
    return rx.vstack(
        rx.cond(S.te_variables.length() == 0,
                rx.text("No variables: write {{name}} in a message to add one.", size="1", color_scheme="gray"),
                rx.foreach(S.te_variables, lambda name: _variable(S, name))),
        spacing="2", width="100%",
    )


def tools_editor(S) -> rx.Component:
    return rx.vstack(
        rx.text_area(default_value=S.te_tools_text, key="tools" + S.te_version.to_string(), rows="6",
                     placeholder='[{"type": "function", "function": {"name": "search", "parameters": {...}}}]',
                     on_change=lambda v: S.te_set_tools(v).debounce(400), on_blur=S.te_set_tools,
                     aria_label="Tools JSON", width="100%", size="1", font_family="var(--code-font-family)"),
        rx.cond(S.te_tools_error != "", rx.text(S.te_tools_error, color_scheme="red", size="1", role="alert")),
        rx.cond(S.te_tools_text != "", rx.hstack(
            rx.text("Tool choice", size="1", color_scheme="gray"),
            rx.select.root(
                rx.select.trigger(aria_label="Tool choice", width="160px"),
                rx.select.content(*[rx.select.item(label, value=v) for v, label in TOOL_CHOICES]),
                value=S.te_tool_choice, on_change=S.te_set_tool_choice, size="1"),
            align="center", spacing="2")),
        spacing="1", width="100%",
    )


def output_editor(S, score_schemas) -> rx.Component:
    """Text, JSON object, JSON schema (validated as you type) or a project score schema.
    ``score_schemas``: a Var list of objects with ``id`` and ``name``."""
    return rx.vstack(
        rx.select.root(
            rx.select.trigger(aria_label="Output type", width="100%"),
            rx.select.content(*[rx.select.item(label, value=v) for v, label in OUTPUT_OPTIONS]),
            value=S.te_output_kind, on_change=S.te_set_output_kind, size="1"),
        rx.cond(S.te_output_kind == "json_schema", rx.vstack(
            rx.text_area(default_value=S.te_schema_text, key="schema" + S.te_version.to_string(), rows="6",
                         placeholder='{"type": "object", "properties": {...}, "required": [...]}',
                         on_change=lambda v: S.te_set_schema(v).debounce(400), on_blur=S.te_set_schema,
                         aria_label="JSON schema", width="100%", size="1", font_family="var(--code-font-family)"),
            rx.cond(S.te_schema_error != "", rx.text(S.te_schema_error, color_scheme="red", size="1", role="alert")),
            spacing="1", width="100%")),
        rx.cond(S.te_output_kind == "score_schema", rx.cond(
            score_schemas.length() == 0,
            rx.text("No score schemas yet: create one in Settings → Score schemas.", size="1", color_scheme="gray"),
            rx.select.root(
                rx.select.trigger(placeholder="Pick a score schema", aria_label="Score schema", width="100%"),
                rx.select.content(rx.foreach(score_schemas, lambda s: rx.select.item(s.name, value=s.id))),
                value=S.te_score_schema_id, on_change=S.te_set_score_schema, size="1"))),
        rx.cond(S.te_output_kind == "score_schema",
                rx.text('The model must answer {"reason": ..., "category": ...}.', size="1", color_scheme="gray")),
        spacing="2", width="100%",
    )


def _part(part) -> rx.Component:
    return rx.cond(part[0] == "var", rx.el.mark(part[1], class_name="te-var", style={
        "background": "var(--accent-a4)", "color": "var(--accent-11)", "border_radius": "3px", "padding": "0 2px"}),
        rx.el.span(part[1]))


def preview(messages) -> rx.Component:
    """The template as it reads, with each ``{{variable}}`` highlighted. ``messages``: a Var list of
    objects with ``role`` and ``parts`` ([kind, text], kind "text" or "var")."""
    return rx.vstack(rx.foreach(messages, lambda m: rx.box(
        rx.badge(m.role, variant="soft", color_scheme="gray", size="1"),
        rx.el.div(rx.foreach(m.parts, _part), style={"font_family": "var(--code-font-family)", "font_size": "12px",
                                                     "white_space": "pre-wrap", "margin_top": "4px"}),
        padding="6px 8px", border="1px solid var(--gray-a5)", border_radius="6px", width="100%",
        class_name="te-preview-message")), spacing="2", width="100%")
