"""Builds a static PEP 503 index of real wheels (Debian's hatchling) from a catalog JSON.

Usage: python3 build_index.py CATALOG OUT [--no-metadata]
OUT/files/ holds the wheels and (unless --no-metadata) their PEP 658 `.metadata` files;
OUT/simple/ the HTML pages `python3 -m http.server` serves as index.html of each directory.
One process builds every wheel: the hatchling API, no isolated build environment per wheel.
"""
import hashlib
import html
import json
import os
import re
import sys
import tempfile
import zipfile

from hatchling.builders.wheel import WheelBuilder


def normalize(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def build(out_files, name, version, requires, requires_python, summary):
    module = normalize(name).replace("-", "_")
    with tempfile.TemporaryDirectory() as root:
        os.makedirs(os.path.join(root, module))
        with open(os.path.join(root, module, "__init__.py"), "w") as f:
            f.write(f'__version__ = "{version}"\n')
        deps = ",\n".join(json.dumps(r) for r in requires)
        lines = [
            "[build-system]",
            'requires = ["hatchling"]',
            'build-backend = "hatchling.build"',
            "[project]",
            f'name = "{name}"',
            f'version = "{version}"',
            f"description = {json.dumps(summary)}",
            f"dependencies = [{deps}]",
        ]
        if requires_python:
            lines.append(f"requires-python = {json.dumps(requires_python)}")
        if name != "fapilog":
            lines += [f'[project.entry-points."fapilog.sinks"]', f'{module} = "{module}:__version__"']
        lines += ["[tool.hatch.build.targets.wheel]", f'packages = ["{module}"]']
        with open(os.path.join(root, "pyproject.toml"), "w") as f:
            f.write("\n".join(lines) + "\n")
        builder = WheelBuilder(root)
        return [os.path.basename(p) for p in builder.build(directory=out_files, versions=["standard"])][0]


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def main():
    catalog_path, out = sys.argv[1], sys.argv[2]
    with_metadata = "--no-metadata" not in sys.argv
    catalog = json.load(open(catalog_path))
    files = os.path.join(out, "files")
    simple = os.path.join(out, "simple")
    os.makedirs(files, exist_ok=True)
    projects = {}
    for v in catalog["fapilog_versions"]:
        projects.setdefault("fapilog", []).append((build(files, "fapilog", v, [], None, "fapilog"), None))
    for plugin in catalog["plugins"]:
        name = "fapilog-" + plugin["name"]
        for r in plugin["releases"]:
            requires = ["fapilog" + r["fapilog_compatibility"]] + r.get("dependencies", [])
            wheel = build(files, name, r["version"], requires, r.get("requires_python"), plugin.get("description", ""))
            yanked = r.get("yanked_reason") if r.get("yanked_reason") is not None or r.get("yanked") else None
            projects.setdefault(name, []).append((wheel, yanked))
    os.makedirs(simple, exist_ok=True)
    with open(os.path.join(simple, "index.html"), "w") as f:
        f.write("<!DOCTYPE html><html><body>\n")
        for name in sorted(projects):
            f.write(f'<a href="{name}/">{name}</a>\n')
        f.write("</body></html>\n")
    for name, wheels in projects.items():
        os.makedirs(os.path.join(simple, name), exist_ok=True)
        links = []
        for wheel, yanked in wheels:
            path = os.path.join(files, wheel)
            attrs = [f'href="../../files/{wheel}#sha256={sha256(path)}"']
            if with_metadata:
                with zipfile.ZipFile(path) as z:
                    member = next(n for n in z.namelist() if n.endswith(".dist-info/METADATA"))
                    data = z.read(member)
                with open(path + ".metadata", "wb") as m:
                    m.write(data)
                digest = hashlib.sha256(data).hexdigest()
                attrs.append(f'data-core-metadata="sha256={digest}"')
                attrs.append(f'data-dist-info-metadata="sha256={digest}"')
            if yanked is not None:
                attrs.append(f'data-yanked="{html.escape(yanked)}"')
            links.append(f"<a {' '.join(attrs)}>{html.escape(wheel)}</a><br/>")
        with open(os.path.join(simple, name, "index.html"), "w") as f:
            f.write("<!DOCTYPE html><html><head><meta name=\"pypi:repository-version\" content=\"1.0\"></head><body>\n" + "\n".join(links) + "\n</body></html>\n")
    print(json.dumps({name: [w for w, _ in wheels] for name, wheels in projects.items()}))


main()
