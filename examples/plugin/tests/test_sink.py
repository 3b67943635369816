import asyncio
import io
import json

from fapilog_stdout_json import PLUGIN_METADATA, StdoutJsonSink


def test_writes_one_json_object_per_line() -> None:
    out = io.StringIO()
    sink = StdoutJsonSink(stream=out, sort_keys=True)

    async def scenario() -> None:
        await sink.start()
        await sink.write({"message": "hello", "level": "INFO"})
        await sink.write({"message": "bye", "level": "INFO"})
        await sink.stop()

    asyncio.run(scenario())
    lines = out.getvalue().splitlines()
    assert [json.loads(line)["message"] for line in lines] == ["hello", "bye"]
    assert lines[0] == '{"level":"INFO","message":"hello"}'


def test_metadata_names_a_sink() -> None:
    assert PLUGIN_METADATA["plugin_type"] == "sink"
