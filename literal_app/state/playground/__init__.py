"""The Playground's states: ``PlaygroundState`` (the template, the tabs' provider/model/settings,
sources, the draft, saving and code snippets) and its substate ``PlaygroundRunState`` (the
streamed answers), kept apart so streaming tokens never re-render the editor."""
