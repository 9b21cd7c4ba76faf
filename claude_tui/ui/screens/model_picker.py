"""Pick a model for a profile from its endpoint's ``/v1/models``, the cache or by typing it."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from claude_tui.conversation.endpoint_pool import live_profile
from claude_tui.profiles import Profile
from claude_tui.profiles.model_cache import ModelCache, merge_model_ids

if TYPE_CHECKING:
    from claude_tui.conversation.endpoint_pool import EndpointPool


class ModelPicker(ModalScreen[str | None]):
    """Dismisses with the chosen model id, or None (Esc).

    The list is the endpoint's models (fetched in a worker, cached for a day per profile)
    followed by the profile's manual ``models``. Relays that list nothing still work: type any
    id in the input and press Enter. Ctrl+R fetches the list again, ignoring the cache.
    ``pool`` lets the app reuse its connections; without one a client is made and closed.
    """

    CSS_PATH = "model_picker.tcss"
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="model_picker.cancel"),
        Binding("ctrl+r", "refresh", "Fetch again", id="model_picker.refresh"),
    ]

    def __init__(
        self,
        profile: Profile,
        *,
        current: str | None = None,
        cache: ModelCache | None = None,
        pool: EndpointPool | None = None,
    ) -> None:
        super().__init__()
        self.profile = profile
        self.current = current if current is not None else profile.model
        self.cache = cache if cache is not None else ModelCache()
        self.pool = pool
        self.fetched: tuple[str, ...] = ()

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(f"Model for {self.profile.name}", id="title")
            yield Label("", id="status", markup=False)
            yield OptionList(id="models")
            yield Input(placeholder="Or type any model id and press Enter", id="model-id")
            yield Label("Enter: choose · Tab: type an id · Ctrl+R: fetch again · Esc", id="hint")

    def on_mount(self) -> None:
        cached = self.cache.get(self.profile)
        if cached is None:
            self._show_models()
            self.action_refresh()
        else:
            self.fetched = cached.models
            self._show_models()
            self._set_status(
                f"{len(cached.models)} models listed by the endpoint {_age(cached.fetched_at)} "
                "(Ctrl+R fetches again)"
            )
        self.query_one("#models", OptionList).focus()

    # --- the list ----------------------------------------------------------------------------

    def _show_models(self) -> None:
        ids = merge_model_ids(self.fetched, self.profile.models, [self.current])
        options = [Option(self._prompt(model_id), id=model_id) for model_id in ids]
        option_list = self.query_one("#models", OptionList)
        option_list.set_options(options)
        if ids:
            option_list.highlighted = ids.index(self.current) if self.current in ids else 0

    def _prompt(self, model_id: str) -> Text:
        prompt = Text(model_id)
        if model_id == self.current:
            prompt.append("  current", style="italic")
        if model_id not in self.fetched:
            prompt.append("  from the profile", style="dim")
        return prompt

    def _set_status(self, text: str, *, error: bool = False) -> None:
        status = self.query_one("#status", Label)
        status.update(text)
        status.set_class(error, "-error")

    # --- fetching ----------------------------------------------------------------------------

    def action_refresh(self) -> None:
        """Fetch the endpoint's model list again, whatever the cache holds."""
        self.query_one("#models", OptionList).loading = True
        self._set_status(f"Asking {self.profile.name} for its models…")
        self.run_worker(self._fetch(), group="models", exclusive=True, exit_on_error=False)

    async def _fetch(self) -> None:
        option_list = self.query_one("#models", OptionList)
        try:
            ids = await self._list_models()
        except Exception as exc:  # any failure is shown; the manual entry still works
            option_list.loading = False
            self._set_status(
                f"Could not list models: {exc}. Pick one below or type an id.", error=True
            )
            if not option_list.option_count:
                self.query_one("#model-id", Input).focus()
            return
        self.fetched = tuple(ids)
        note = ""
        try:
            self.cache.put(self.profile, ids)
        except OSError as exc:
            note = f" (not cached: {exc.strerror or exc})"
        option_list.loading = False
        self._show_models()
        if ids:
            self._set_status(f"{len(ids)} models listed by the endpoint{note}")
        else:
            self._set_status("The endpoint lists no models: type the id below.")
            self.query_one("#model-id", Input).focus()

    async def _list_models(self) -> list[str]:
        if self.pool is not None:
            return [m["id"] for m in await self.pool.client(self.profile).list_models()]
        from claude_tui.wire import ChatClient  # httpx: only once a list is needed

        async with ChatClient(live_profile(self.profile)) as client:
            return [m["id"] for m in await client.list_models()]

    # --- choosing ----------------------------------------------------------------------------

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        model_id = event.value.strip()
        if not model_id:
            self.notify("Type a model id, or pick one from the list.", severity="warning")
            return
        self.dismiss(model_id)

    def action_cancel(self) -> None:
        self.dismiss(None)


def _age(fetched_at: float) -> str:
    minutes = max(0, int(time.time() - fetched_at) // 60)
    if minutes < 1:
        return "just now"
    if minutes < 60:
        return f"{minutes} min ago"
    return f"{minutes // 60} h ago"
