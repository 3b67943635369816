"""A fapilog sink that writes one JSON object per line to standard output."""

from __future__ import annotations

import json
import sys
from importlib.metadata import PackageNotFoundError, version
from typing import Any, TextIO

try:
    __version__ = version("fapilog-stdout-json")
except PackageNotFoundError:  # running from a source checkout
    __version__ = "0.0.0"

PLUGIN_METADATA: dict[str, Any] = {
    "name": "stdout_json",
    "version": __version__,
    "description": "Writes one JSON object per line to standard output.",
    "author": "Example Author",
    "plugin_type": "sink",
    "entry_point": "fapilog_stdout_json:StdoutJsonSink",
    "compatibility": {
        "min_fapilog_version": "0.14.0",
        "max_fapilog_version": "0.19.99",
        "python_version": ">=3.10",
    },
    "api_version": "1.0",
    "license": "MIT",
    "homepage": "https://github.com/fapilog-examples/fapilog-stdout-json",
    "repository": "https://github.com/fapilog-examples/fapilog-stdout-json",
    "dependencies": [],
    "tags": ["json", "stdout", "containers"],
    "config_schema": {
        "type": "object",
        "properties": {
            "sort_keys": {"type": "boolean"},
            "ensure_ascii": {"type": "boolean"},
        },
    },
    "default_config": {"sort_keys": False, "ensure_ascii": False},
}


class StdoutJsonSink:
    """Serialises each event to a single line of JSON."""

    name = "stdout_json"

    def __init__(
        self,
        *,
        sort_keys: bool = False,
        ensure_ascii: bool = False,
        stream: TextIO | None = None,
    ) -> None:
        self._sort_keys = sort_keys
        self._ensure_ascii = ensure_ascii
        self._stream = stream
        self._started = False

    async def start(self) -> None:
        self._started = True

    async def stop(self) -> None:
        if self._started:
            (self._stream or sys.stdout).flush()
        self._started = False

    async def write(self, entry: dict[str, Any]) -> None:
        line = json.dumps(
            entry,
            sort_keys=self._sort_keys,
            ensure_ascii=self._ensure_ascii,
            separators=(",", ":"),
            default=str,
        )
        stream = self._stream or sys.stdout
        stream.write(line + "\n")

    async def health_check(self) -> bool:
        return True


__all__ = ["PLUGIN_METADATA", "StdoutJsonSink", "__version__"]
