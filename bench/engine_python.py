"""The Python side of bench/engine.ts: parse the same files with packaging + tomllib, in one process.

Reads {"files": [{"path", "kind"}], "passes": N, "rewrites": [{"path", "kind", "package", "current", "target"}]}
on stdin, reads every file once (untimed), then times N passes over all of them, and N passes of
naive rewrites (find the package, replace the version text after it, re-parse the file to verify).
Prints one JSON object. What it parses: PEP 508 strings with packaging.requirements.Requirement
(requirements files, PEP 621 / PEP 735 / PDM / uv lists, setup.cfg), TOML with tomllib, JSON
lockfiles with json, every lockfile version with packaging.version.Version. It keeps no positions
or spans, so it does less than the TypeScript engine; the ratio is an upper bound on our cost.
"""

import configparser
import json
import sys
import time
import tomllib

from packaging.requirements import Requirement
from packaging.version import Version


def requirement_lines(text):
    joined = text.replace("\\\n", " ")
    for line in joined.splitlines():
        line = line.split(" #", 1)[0].strip()
        if not line or line.startswith("#") or line.startswith("-"):
            continue
        yield line.split(" --", 1)[0].strip()


def parse_requirements(text):
    return [Requirement(line) for line in requirement_lines(text)]


def pep508_list(values):
    out = []
    for v in values or []:
        if isinstance(v, str) and " @ " not in v:
            out.append(Requirement(v))
    return out


def parse_pyproject(text):
    data = tomllib.loads(text)
    deps = []
    project = data.get("project", {})
    deps += pep508_list(project.get("dependencies"))
    for values in project.get("optional-dependencies", {}).values():
        deps += pep508_list(values)
    for values in data.get("dependency-groups", {}).values():
        deps += pep508_list(values)
    tool = data.get("tool", {})
    for values in tool.get("pdm", {}).get("dev-dependencies", {}).values():
        deps += pep508_list(values)
    deps += pep508_list(tool.get("uv", {}).get("dev-dependencies"))
    poetry = tool.get("poetry", {})
    # Poetry constraints are not PEP 508; count the entries as read.
    deps += [name for name in poetry.get("dependencies", {}) if name != "python"]
    return deps


def parse_setup_cfg(text):
    cp = configparser.ConfigParser(interpolation=None, inline_comment_prefixes=("#", ";"))
    cp.read_string(text)
    deps = []
    if cp.has_option("options", "install_requires"):
        deps += [Requirement(x) for x in requirement_lines(cp.get("options", "install_requires"))]
    if cp.has_section("options.extras_require"):
        for _, value in cp.items("options.extras_require"):
            deps += [Requirement(x) for x in requirement_lines(value)]
    return deps


def parse_pipfile(text):
    data = tomllib.loads(text)
    return list(data.get("packages", {})) + list(data.get("dev-packages", {}))


def parse_lock(path, text):
    if path.endswith("Pipfile.lock"):
        data = json.loads(text)
        return [Version(v["version"].lstrip("=")) for section in ("default", "develop") for v in data.get(section, {}).values() if "version" in v]
    data = tomllib.loads(text)
    return [Version(p["version"]) for p in data.get("package", []) if "version" in p]


PARSERS = {
    "requirements": lambda path, text: parse_requirements(text),
    "pyproject": lambda path, text: parse_pyproject(text),
    "setup.cfg": lambda path, text: parse_setup_cfg(text),
    "pipfile": lambda path, text: parse_pipfile(text),
    "lockfile": parse_lock,
}


def main():
    job = json.load(sys.stdin)
    files = [(f["path"], f["kind"], open(f["path"], encoding="utf-8").read()) for f in job["files"]]
    passes = job["passes"]
    times = []
    deps = 0
    for _ in range(passes):
        t0 = time.perf_counter()
        deps = 0
        for path, kind, text in files:
            deps += len(PARSERS[kind](path, text))
        times.append(time.perf_counter() - t0)
    texts = {path: text for path, _, text in files}
    rewrite_times = []
    changed = 0
    for _ in range(passes):
        t0 = time.perf_counter()
        changed = 0
        for r in job["rewrites"]:
            text = texts[r["path"]]
            i = text.find(r["package"])
            j = text.find(r["current"], i)
            if i < 0 or j < 0:
                continue
            after = text[:j] + r["target"] + text[j + len(r["current"]):]
            PARSERS[r["kind"]](r["path"], after)
            changed += after != text
        rewrite_times.append(time.perf_counter() - t0)
    print(json.dumps({"files": len(files), "deps": deps, "passSeconds": times, "rewrites": changed, "rewritePassSeconds": rewrite_times}))


main()
