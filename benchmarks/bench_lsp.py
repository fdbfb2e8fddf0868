"""Language server latency and memory: an LSP client drives `journeyql lsp` over stdio.

    python benchmarks/bench_lsp.py                 # 100 KB workspace, 200 timed edits, 10,000 edits for memory
    python benchmarks/bench_lsp.py --quick         # 30 KB, 20 timed edits, 200 edits (a smoke test)

The workspace comes from ``benchmarks/generate.py`` in a temporary folder (one file). The client
opens one file and then types: each edit changes one character of a label (whole-document sync,
as VS Code sends small files), and the time from sending the edit to the server's diagnostics for
that file is the latency (wall clock, so it includes the server's debounce of DEBOUNCE seconds).
Side by side, the baseline: the CPU time of ``check``'s analysis of the same workspace in this
process (what the server must at least do per edit), and the server's own CPU time per edit
(from /proc), so the ratio says what the server adds. Memory: the server's resident set after
the timed edits and again after ``--memory-edits`` more (every tenth waits for its diagnostics,
the others are debounced away as fast typing would be). Target (issue 15): latency <= 100 ms on
a 100 KB workspace; memory bounded. It exits 0: it prints figures, it does not judge the machine.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402
from lsprotocol import types as t  # noqa: E402
from pygls.lsp.client import LanguageClient  # noqa: E402


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    import os

    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _baseline(folder: Path, repeat: int = 20) -> float:
    from journeyql.workspace import analyse, discover

    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        analyse(discover([folder])[0], validate=None, keep_names=True)
        best = min(best, time.process_time() - start)
    return best


async def run(size: int, edits: int, memory_edits: int) -> None:
    folder = Path(tempfile.mkdtemp(prefix="jql-lsp-bench-"))
    text = generate.workspace(size)
    (folder / "journeyql.toml").write_text('[workspace]\nname = "bench"\n', encoding="utf-8")
    (folder / "main.jql").write_text(text, encoding="utf-8")
    target = folder / "main.jql"
    uri = target.as_uri()
    published: dict[str, float] = {}
    arrived = asyncio.Event()

    client = LanguageClient("bench", "1")

    @client.feature(t.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def diagnostics(params: t.PublishDiagnosticsParams):
        if params.uri == uri:
            published[uri] = time.perf_counter()
            arrived.set()

    journeyql = str(Path(sys.executable).parent / "journeyql")
    await client.start_io(journeyql, "lsp")
    pid = client._server.pid
    await client.initialize_async(t.InitializeParams(capabilities=t.ClientCapabilities(), root_uri=folder.as_uri()))
    client.initialized(t.InitializedParams())
    arrived.clear()
    client.text_document_did_open(t.DidOpenTextDocumentParams(text_document=t.TextDocumentItem(
        uri=uri, language_id="journeyql", version=1, text=text)))
    await arrived.wait()
    label_at = text.index('"', text.index("journey ")) + 1
    version = 1

    async def edit(wait: bool) -> float:
        nonlocal version, text
        version += 1
        letter = "X" if text[label_at] != "X" else "Y"
        text = text[:label_at] + letter + text[label_at + 1:]
        arrived.clear()
        start = time.perf_counter()
        client.text_document_did_change(t.DidChangeTextDocumentParams(
            text_document=t.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[t.TextDocumentContentChangeWholeDocument(text=text)]))
        if wait:
            await arrived.wait()
            return published[uri] - start
        await asyncio.sleep(0)
        return 0.0

    for _ in range(3):  # warm up
        await edit(True)
    cpu_before = _cpu_seconds(pid)
    latencies = [await edit(True) for _ in range(edits)]
    cpu_per_edit = (_cpu_seconds(pid) - cpu_before) / edits
    rss_after_timed = _rss_mb(pid)
    for number in range(memory_edits):
        await edit(number % 10 == 9)
    await edit(True)
    rss_after_all = _rss_mb(pid)
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    baseline = _baseline(folder)
    latencies.sort()
    p95 = latencies[int(len(latencies) * 0.95) - 1]
    from journeyql.lsp.server import DEBOUNCE

    print(f"workspace: {len(text.encode()) / 1000:.0f} KB, one file open; {edits} timed one-character edits; "
          f"debounce {DEBOUNCE * 1000:.0f} ms")
    print(f"{'':32} {'ms':>8}")
    print(f"{'latency median (wall)':32} {statistics.median(latencies) * 1000:8.1f}")
    print(f"{'latency p95 (wall)':32} {p95 * 1000:8.1f}")
    print(f"{'server CPU per edit':32} {cpu_per_edit * 1000:8.1f}")
    print(f"{'baseline: check analysis CPU':32} {baseline * 1000:8.1f}")
    print(f"ratio server CPU / baseline: {cpu_per_edit / baseline:.2f}x")
    print(f"server RSS: {rss_after_timed:.1f} MB after {edits + 3} edits, {rss_after_all:.1f} MB after "
          f"{edits + 4 + memory_edits} edits (growth {rss_after_all - rss_after_timed:+.1f} MB)")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--size", type=int, default=100_000, help="workspace size in bytes (default 100 KB)")
    parser.add_argument("--edits", type=int, default=200)
    parser.add_argument("--memory-edits", type=int, default=10_000)
    args = parser.parse_args(argv)
    if args.quick:
        args.size, args.edits, args.memory_edits = 30_000, 20, 200
    asyncio.run(run(args.size, args.edits, args.memory_edits))
    return 0


if __name__ == "__main__":
    sys.exit(main())
