"""A thread's conversation as chat bubbles. Plain elements styled by one stylesheet on the
container (``CHAT_STYLE``): a page shows up to 100 messages, and a styled component per bubble and
line made rendering them a noticeable part of the thread page's load."""

from __future__ import annotations

import reflex as rx

from literal_app.components.rich_text import markdown_text

CHAT_STYLE = {
    "& .chat-line": {"display": "flex", "width": "100%", "justify_content": "flex-start"},
    "& .chat-line[data-role=user]": {"justify_content": "flex-end"},
    "& .chat-message": {"background": rx.color("gray", 3), "padding": "8px 10px", "border_radius": "10px",
                        "max_width": "85%"},
    "& .chat-line[data-role=user] .chat-message": {"background": rx.color("accent", 3)},
    "& .chat-role": {"font_size": "var(--font-size-1)", "font_weight": "bold", "color": rx.color("gray", 11)},
    "& .chat-text": {"font_size": "var(--font-size-2)", "line_height": "var(--line-height-2)"},
    "& .chat-at": {"font_size": "var(--font-size-1)", "color": rx.color("gray", 11)},
}


def chat_message(m) -> rx.Component:
    """``m`` is a MessageView (role, text, at): one bubble, the user's on the right."""
    label = rx.cond(m.role == "user", "User", rx.cond(m.role == "system", "System", "Assistant"))
    return rx.el.div(
        rx.el.div(rx.el.div(label, class_name="chat-role"), markdown_text(m.text, "chat-text"),
                  rx.el.div(m.at, class_name="chat-at"), class_name="chat-message"),
        class_name="chat-line", data_role=m.role,
    )
