"""Keyboard shortcuts of the list pages where people repeat an action (datasets, a dataset's items,
experiments, an experiment's items, a comparison).

One document listener, installed once per tab, works on whatever page is shown inside a
``shortcut_scope``:

- ``j`` / ``k`` (or ``↓`` / ``↑``) move a highlight between the rows marked ``data-kb-row``;
- a key clicks the element of the highlighted row whose ``data-row-shortcut`` is that key
  (``Enter`` is ``o``: open), else the first visible element whose ``data-shortcut`` is that key, so
  every shortcut runs exactly what its button or link runs; a text field is focused instead;
- keys are ignored while typing in a field or with a dialog open (``Escape`` leaves a field).

The keys of each page are listed by its Shortcuts button (``?``) and hinted on the buttons.
"""

from __future__ import annotations

import reflex as rx

KEYS_JS = """
if (!window.__literalListKeys) {
  window.__literalListKeys = true;
  window.__literalRow = -1;
  const rows = () => Array.from(document.querySelectorAll('[data-kb-scope] [data-kb-row]'))
    .filter((r) => r.offsetParent !== null);
  const mark = (list, i) => {
    list.forEach((r, n) => r.setAttribute('data-kb-focus', n === i ? 'true' : 'false'));
    if (list[i]) list[i].scrollIntoView({block: 'nearest'});
  };
  const act = (el, e) => {
    if (!el || el.disabled || el.getAttribute('aria-disabled') === 'true') return false;
    e.preventDefault();
    const tag = el.tagName.toUpperCase();
    if (tag === 'INPUT' || tag === 'TEXTAREA') { el.focus(); el.select && el.select(); } else { el.click(); }
    return true;
  };
  document.addEventListener('keydown', function (e) {
    const scope = document.querySelector('[data-kb-scope]');
    if (!scope) return;
    const t = e.target || {};
    const tag = (t.tagName || '').toUpperCase();
    const typing = tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || t.isContentEditable;
    if (typing && e.key === 'Escape') { t.blur(); return; }
    const dialog = Array.from(document.querySelectorAll('[role=dialog], [role=alertdialog]'))
      .some((d) => d.getAttribute('data-state') !== 'closed' && d.offsetParent !== null);
    if (typing || dialog || e.ctrlKey || e.metaKey || e.altKey) return;
    const list = rows();
    let i = Math.min(window.__literalRow, list.length - 1);
    if (list[i] && list[i].getAttribute('data-kb-focus') !== 'true') i = -1;
    if (e.key === 'j' || e.key === 'ArrowDown' || e.key === 'k' || e.key === 'ArrowUp') {
      if (!list.length) return;
      const down = e.key === 'j' || e.key === 'ArrowDown';
      i = i < 0 ? (down ? 0 : list.length - 1) : Math.max(0, Math.min(list.length - 1, i + (down ? 1 : -1)));
      window.__literalRow = i;
      mark(list, i);
      e.preventDefault();
      return;
    }
    const key = e.key === 'Enter' ? 'o' : e.key;
    const inRow = (k) => list[i] && list[i].querySelector('[data-row-shortcut="' + CSS.escape(k) + '"]');
    if (act(inRow(key), e) || (key === 'o' && act(inRow('e'), e))) return;  // Enter edits a row it cannot open
    const shown = Array.from(document.querySelectorAll('[data-shortcut="' + CSS.escape(key) + '"]'))
      .filter((el) => el.offsetParent !== null);
    act(shown[0], e);
  });
}
"""

CSS = """
[data-kb-focus="true"] > td { background: var(--accent-a3); }
[data-kb-focus="true"] > td:first-child { box-shadow: inset 3px 0 0 var(--accent-9); }
.key-hint { font-family: var(--code-font-family); font-size: 10px; opacity: 0.7; margin-left: 2px;
            padding: 0 4px; border: 1px solid currentColor; border-radius: 3px; line-height: 14px; }
"""

ROW_KEYS = [("j / k", "next / previous row (↓ / ↑ too)")]


def key_hint(key: str) -> rx.Component:
    """The key of a button's shortcut, shown on the button."""
    return rx.el.kbd(key, class_name="key-hint", aria_hidden="true")


def shortcuts_help(keys: list[tuple[str, str]]) -> rx.Component:
    """The Shortcuts button (``?``): a popover listing ``keys`` as (keys, what they do)."""
    return rx.popover.root(
        rx.popover.trigger(rx.button(rx.icon("keyboard", size=14), "Shortcuts", key_hint("?"), size="1",
                                     variant="ghost", data_shortcut="?", aria_label="Keyboard shortcuts")),
        rx.popover.content(rx.vstack(
            rx.text("Keyboard shortcuts", weight="bold", size="2"),
            *[rx.hstack(rx.code(k, size="1", min_width="64px"), rx.text(what, size="1"), spacing="2", align="center")
              for k, what in keys],
            rx.text("Not while typing in a field (Esc leaves it) or with a dialog open.", size="1",
                    color_scheme="gray"),
            spacing="1"), class_name="shortcuts-help"))


def shortcut_scope(*children: rx.Component) -> rx.Component:
    """Wrap a page's content: its shortcuts work while it is shown (the page passes
    ``shortcuts_help(keys)`` to the layout's header actions)."""
    return rx.box(rx.el.style(CSS), rx.script(KEYS_JS), rx.vstack(*children, spacing="4", width="100%"),
                  data_kb_scope="1", width="100%")
