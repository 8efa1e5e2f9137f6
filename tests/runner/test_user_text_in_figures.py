"""A user's text in every figure that shows it: `$` drawn as text (issue 23.2: the payloads
crashed steps 2, 4, 5 and 6), a 400-character source that changes no figure's size (issue
19.7: the cluster-link PNG was 6473 x 1045 px). Slow: the study runs twice in a repository copy."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from helpers import run_cli
from PIL import Image

from analysis.runner import workspace

PAYLOADS = {  # file: (the example's label, its replacement)
    "production.csv": ("Лесоматериалы", r"Лес $\input{x}$ US$ 5 US$"),
    "shipments_out.csv": ("Лесоматериалы", r"Лес $\input{x}$ US$ 5 US$"),
    "freight.csv": ("Все грузы", "Грузы ($ млн; 50% $)"),
    "clusters.csv": ("Кластер ИТ (пример)", r"ИТ $\input{x}$"),
    "activity_bases.csv": ("Добыча полезных ископаемых", "Добыча ($ млн; 50% $)"),
}
LONG = ("Ministry of Economic Development, statistical yearbook US$ 2019, tables 4.1-4.17, " * 6)[:400]


def _run(copy: Path, source: str) -> dict[str, tuple[int, int]]:
    folder = copy / "build" / "payload"
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(copy / "data" / "user" / "example_region", folder)
    for name, (old, new) in PAYLOADS.items():
        p = folder / name
        p.write_text(p.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    yml = folder / "region.yml"
    yml.write_text(
        re.sub(r"^source: .*$", f'source: "{source}"', yml.read_text(encoding="utf-8"), flags=re.M),
        encoding="utf-8",
    )
    shutil.rmtree(copy / "figures" / "tomsk", ignore_errors=True)
    r = run_cli(
        copy, "run", "--region", "tomsk", "--steps", "2,4,5,6,7", "--param", "user_folder=build/payload"
    )
    assert r.returncode == 0 and "5 step(s), 0 failed" in r.stdout, r.stdout[-3000:] + r.stderr[-2000:]
    sizes = {}
    for png in sorted((copy / "figures" / "tomsk").glob("*.png")):
        with Image.open(png) as im:
            sizes[png.name] = im.size
    return sizes


@pytest.mark.slow
def test_user_text_is_drawn_as_text_and_a_long_source_changes_no_figures_size(tmp_path):
    copy = workspace.make_copy(tmp_path / "repo")
    short = _run(copy, "regional yearbook")
    long = _run(copy, LONG)
    assert len(short) >= 20  # every figure of steps 2, 4, 5, 6, 7 in both languages
    assert long == short
    assert {n: w / h for n, (w, h) in long.items() if w > 2.5 * h} == {}
    manifest = (copy / "figures" / "tomsk" / "manifest.csv").read_text(encoding="utf-8")
    assert LONG.strip() in manifest  # the full source, where the figure shows it shortened
