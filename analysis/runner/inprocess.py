"""A papermill engine that executes notebooks in the calling process: the runner's one engine.

papermill runs a notebook through an *engine*; its default one (nbclient) talks to a Jupyter
kernel in another process, and every cell costs messages both ways. ``python -m analysis run``
executes every notebook in its worker processes with this engine instead (``--engine kernel``
keeps papermill's own, a fresh kernel per notebook, for debugging); the costs measured are in
``benchmarks/README.md``.

The cells run in an IPython shell of this process, configured as ipykernel configures its own:
the same display formatter, the inline matplotlib backend (its hook shows a figure left open at
the end of a cell), ``get_ipython()``. Its outputs are built as nbclient builds them from the
kernel's messages (streams, display data, execute results, errors), so the executed notebook is
the same: ``tests/runner/test_inprocess.py`` runs the default region's notebooks through this
engine, also after another region in the same worker, and compares them with the committed ones,
byte for byte after :func:`pipeline.normalise`.

What a separate kernel gives and this does not: a notebook that kills its process (a crash in a
C extension) takes the worker with it, and the run reports the worker's death instead of a cell.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
from typing import Any

import matplotlib.pyplot as plt
from IPython.core.displayhook import DisplayHook
from IPython.core.displaypub import DisplayPublisher
from IPython.core.interactiveshell import InteractiveShell
from nbformat import NotebookNode
from nbformat.v4 import output_from_msg
from papermill.engines import Engine, papermill_engines
from traitlets.config import Config

NAME = "analysis-inprocess"


class _Outputs:
    """The outputs of the cell being executed, as nbformat nodes, in the order they came."""

    def __init__(self) -> None:
        self.items: list[NotebookNode] = []
        self.clear_on_next = False

    def add(self, msg_type: str, content: dict[str, Any]) -> None:
        if self.clear_on_next:
            self.clear()
        self.items.append(output_from_msg({"header": {"msg_type": msg_type}, "content": content}))

    def clear(self, wait: bool = False) -> None:
        """``clear_output``: now, or (``wait``) when the next output arrives, as nbclient does."""
        self.clear_on_next = wait
        if not wait:
            self.items.clear()

    def stream(self, name: str, text: str) -> None:
        last = self.items[-1] if self.items and not self.clear_on_next else None
        if last is not None and last.output_type == "stream" and last.name == name:
            last.text += text  # as nbclient appends to the last stream of the same name
        else:
            self.add("stream", {"name": name, "text": text})


class _Stream:
    """``sys.stdout`` or ``sys.stderr`` while a cell runs: text becomes a stream output."""

    encoding = "utf-8"
    errors = "strict"

    def __init__(self, name: str, shell: _Shell) -> None:
        self.name = name
        self.shell = shell

    def write(self, text: str) -> int:
        if text:
            self.shell.outputs.stream(self.name, text)
        return len(text)

    def writelines(self, lines: list[str]) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False


class _Publisher(DisplayPublisher):
    """``display()``: display data, as ipykernel publishes it (``transient`` is not saved)."""

    def publish(
        self,
        data: dict[str, Any],
        metadata: dict[str, Any] | None = None,
        source: str | None = None,
        *,
        transient: dict[str, Any] | None = None,
        update: bool = False,
        **kwargs: Any,
    ) -> None:
        if update:  # update_display(): nbclient rewrites an earlier output; the study never does
            raise NotImplementedError("update_display is not supported by the in-process engine")
        self.shell.outputs.add("display_data", {"data": data, "metadata": metadata or {}})

    def clear_output(self, wait: bool = False) -> None:
        self.shell.outputs.clear(wait)


class _DisplayHook(DisplayHook):
    """The value of a cell's last expression: an execute result, as ipykernel's display hook."""

    def start_displayhook(self) -> None:
        self._data: dict[str, Any] = {}
        self._metadata: dict[str, Any] = {}

    def write_output_prompt(self) -> None:
        pass

    def write_format_data(self, format_dict: dict[str, Any], md_dict: dict[str, Any] | None = None) -> None:
        self._data, self._metadata = format_dict, md_dict or {}

    def finish_displayhook(self) -> None:
        if self._data:
            self.shell.outputs.add(
                "execute_result",
                {"data": self._data, "metadata": self._metadata, "execution_count": self.prompt_count},
            )


class _Shell(InteractiveShell):
    """IPython's shell with ipykernel's way of turning results into outputs, collected per cell."""

    display_pub_class = _Publisher
    displayhook_class = _DisplayHook

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.outputs = _Outputs()

    def enable_gui(self, gui: str | None = None) -> None:
        pass  # no event loop: the inline backend draws into the notebook, as in ipykernel

    # IPython's hook for how a traceback is shown; ipykernel's shell overrides it the same way.
    def _showtraceback(self, etype: type[BaseException], evalue: BaseException, stb: list[str]) -> None:
        self.outputs.add("error", {"ename": etype.__name__, "evalue": str(evalue), "traceback": stb})

    def run(self, source: str) -> tuple[list[NotebookNode], int | None, bool]:
        """Execute one cell: its outputs, its execution count and whether it succeeded."""
        self.outputs = _Outputs()
        with (
            contextlib.redirect_stdout(_Stream("stdout", self)),
            contextlib.redirect_stderr(_Stream("stderr", self)),
        ):
            result = self.run_cell(source, store_history=True)
        return self.outputs.items, result.execution_count, result.success

    def fresh(self) -> None:
        """A namespace as a new kernel's: nothing from the last notebook, counting from 1."""
        plt.close("all")
        self.reset(new_session=False)
        self.execution_count = 1


_SHELL: list[_Shell] = []


def shell(preload: tuple[str, ...] = ()) -> _Shell:
    """This process's shell, made once: the inline backend as in a kernel, the modules of
    ``preload`` imported, then everything alive frozen out of the garbage collector. Each
    notebook starts with IPython's reset, which runs a full collection; frozen, the modules
    (pandas, matplotlib, the package: objects that live as long as the process) are not walked
    again, only what the notebooks made. An import that fails here fails again in the notebook."""
    if not _SHELL:
        config = Config()
        config.HistoryManager.enabled = False  # no SQLite file: the notebook is the record
        sh = _Shell.instance(config=config)
        sh.enable_matplotlib("inline")
        for module in preload:
            with contextlib.suppress(Exception):  # the notebook's own import reports it
                importlib.import_module(module)
        gc.collect()
        gc.freeze()
        _SHELL.append(sh)
    return _SHELL[0]


class InProcessEngine(Engine):
    """papermill's engine protocol (``execute_managed_notebook``), cells run by :func:`shell`:
    each cell is started, executed and completed through papermill's execution manager, and the
    first failing cell stops the notebook, as with papermill's nbclient engine."""

    @classmethod
    def execute_managed_notebook(
        cls, nb_man: Any, kernel_name: str, preload: tuple[str, ...] = (), **kwargs: Any
    ) -> NotebookNode:
        sh = shell(tuple(preload))
        sh.fresh()
        # papermill has moved into the notebook's working directory (its cwd argument)
        for index, cell in enumerate(nb_man.nb.cells):
            nb_man.cell_start(cell, index)
            try:
                if cell.cell_type != "code" or not cell.source.strip():
                    continue  # nbclient skips them too, execution count left empty
                cell.outputs, cell.execution_count, ok = sh.run(cell.source)
                if not ok:
                    nb_man.cell_exception(cell, cell_index=index)
                    break
            finally:
                nb_man.cell_complete(cell, cell_index=index)
        nb_man.nb.metadata["language_info"] = {"name": "python"}
        return nb_man.nb


papermill_engines.register(NAME, InProcessEngine)
