"""Keyboard shortcuts of the review page. One document listener (installed once per tab) turns
a key into a click on the element that carries the matching ``data-shortcut`` (or, for number
keys, on the focused schema's category with that ``data-key``), so every shortcut runs exactly
what its button runs. Keys are ignored while typing in a field or with a dialog open."""

SHORTCUTS = [  # [keys, what], as the help popover lists them
    ["j / ↓", "next score schema"],
    ["k / ↑", "previous score schema"],
    ["1 – 9", "pick a category of the focused schema"],
    ["r or Ctrl+Enter", "mark reviewed and go to the next item"],
    ["n / →", "next item"],
    ["p / ←", "previous item"],
    ["s", "skip this item"],
    ["t", "add a tag"],
    ["d", "add to a dataset"],
    ["?", "show these shortcuts"],
]

KEYS_JS = """
if (!window.__literalReviewKeys) {
  window.__literalReviewKeys = true;
  const map = {j: 'focus-next', ArrowDown: 'focus-next', k: 'focus-prev', ArrowUp: 'focus-prev',
               r: 'review', n: 'next', ArrowRight: 'next', p: 'prev', ArrowLeft: 'prev', s: 'skip',
               d: 'dataset', '?': 'help'};
  const dialogOpen = () => Array.from(document.querySelectorAll('[role=dialog], [role=alertdialog]'))
    .some((d) => d.getAttribute('data-state') !== 'closed' && d.offsetParent !== null);
  // Ctrl/Cmd+Enter is taken on window in the capture phase and stopped there, so a focused control
  // never also acts on it: a Radix Select trigger opens on Enter even with Ctrl held.
  window.addEventListener('keydown', function (e) {
    if (!(e.ctrlKey || e.metaKey) || e.key !== 'Enter' || !document.querySelector('.review-page')) return;
    const el = document.querySelector('[data-shortcut="review"]');
    if (dialogOpen() || !el || el.disabled) return;
    e.preventDefault();
    e.stopPropagation();
    el.click();
  }, true);
  document.addEventListener('keydown', function (e) {
    if (!document.querySelector('.review-page')) return;
    const t = e.target || {};
    const tag = (t.tagName || '').toUpperCase();
    const typing = tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || t.isContentEditable;
    const dialog = dialogOpen();
    const click = (el) => { if (el && !el.disabled) { el.click(); e.preventDefault(); } };
    if (typing || dialog || e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key === 't') {
      const input = document.querySelector('[data-shortcut="tag"]');
      if (input) { input.focus(); e.preventDefault(); }
      return;
    }
    if (/^[1-9]$/.test(e.key)) {
      return click(document.querySelector('.schema-control[data-focused="true"] [data-key="' + e.key + '"]'));
    }
    if (map[e.key]) click(document.querySelector('[data-shortcut="' + map[e.key] + '"]'));
  });
}
"""
