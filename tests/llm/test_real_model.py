"""The pipeline against a REAL OpenAI-compatible server (llama.cpp's) with a real small model
(SmolLM2-135M) on 127.0.0.1. Its answers are poor; these tests prove the plumbing: retrieval in
the prompt and within the context, streaming, truncation at max_tokens, JSON-schema output,
citations parsed, cancel, and the cache. Skipped without the llm-test extra, failed in CI."""

from __future__ import annotations

import json
import threading
import time

import pytest
from support import run_wiki

from wiki.compile.build import build_from
from wiki.llm.ask import ask
from wiki.llm.client import Cancelled, CancelToken, LLMClient
from wiki.llm.compile import LLMCache, LLMCompiler
from wiki.llm.config import LLMConfig
from wiki.vault.facade import Vault
from wiki.vault.lint import lint

pytestmark = pytest.mark.llm_real

QUESTION = "What does Karpathy say about vibe coding and agentic engineering?"
ESSAY = [{"role": "user", "content": "Write a long essay about the history of Europe."}]


ASK_CONTEXT = 1024  # of the server's 2048: a shorter answer keeps these tests quick


def client_of(server, context: int | None = None) -> LLMClient:
    return LLMClient(LLMConfig(url=server.url, model=server.model,
                               context=context or server.context, timeout=120))


def test_streaming_pieces_and_truncation_at_max_tokens(real_llm):
    pieces: list[str] = []
    result = client_of(real_llm).chat(ESSAY, max_tokens=12, on_delta=pieces.append)
    assert len(pieces) >= 2 and "".join(pieces) == result.text
    assert result.finish_reason == "length" and not result.complete
    whole = client_of(real_llm).chat(ESSAY, max_tokens=5)
    assert whole.finish_reason == "length" and whole.text


def test_json_schema_constrained_output(real_llm):
    schema = {"type": "object", "additionalProperties": False, "required": ["city"],
              "properties": {"city": {"type": "string", "maxLength": 30}}}
    client = client_of(real_llm)
    result = client.chat([{"role": "user", "content": "Which city is the capital of France? "
                                                      "Reply in JSON."}],
                         max_tokens=60, schema=schema)
    assert result.finish_reason == "stop", result
    data = json.loads(result.text)
    assert set(data) == {"city"} and isinstance(data["city"], str)
    assert client._format_style == "json_object"  # llama.cpp's way, found by falling back


def test_cancel_a_streaming_answer(real_llm):
    token = CancelToken()
    got: list[str] = []

    def on_delta(piece: str) -> None:
        got.append(piece)
        if len(got) == 3:
            threading.Thread(target=token.cancel).start()

    started = time.monotonic()
    with pytest.raises(Cancelled):
        client_of(real_llm).chat(ESSAY, max_tokens=400, on_delta=on_delta, cancel=token)
    assert time.monotonic() - started < 60 and 3 <= len(got) < 400
    # the server is fine afterwards
    assert client_of(real_llm).chat(ESSAY, max_tokens=3).text


def test_ask_retrieves_streams_and_fits_the_context(real_llm, seed_vault):
    pieces: list[str] = []
    with Vault.open(seed_vault) as vault:
        answer = ask(vault, client_of(real_llm, ASK_CONTEXT), QUESTION,
                     on_delta=pieces.append)
    # the server took the prompt (llama.cpp refuses one longer than its context)
    assert answer.context is not None and len(answer.context.passages) >= 2
    assert any("Karpathy" in p.path for p in answer.context.passages)
    assert answer.text and len(pieces) >= 2
    assert answer.finish_reason in ("stop", "length")
    given = {p.path for p in answer.context.passages}
    assert {c.path for c in answer.citations} <= given


def test_wiki_ask_json_against_the_real_server(real_llm, seed_vault):
    result = run_wiki("ask", QUESTION, "--json", "--save", vault=seed_vault,
                      env=real_llm.env(COMMONPLACE_LLM_CONTEXT=str(ASK_CONTEXT)), timeout=300)
    data = json.loads(result.stdout)
    assert data["answer"] and data["model"] == real_llm.model
    for cited in data["citations"]:
        assert (seed_vault / cited["path"]).is_file()
    if data["truncated"]:  # the small model rambled to max_tokens: shown, never filed
        assert result.returncode == 2 and "cut off" in result.stderr
        assert data["saved"] is None and not (seed_vault / "answers").exists()
    else:
        assert result.returncode == 0, result.stderr
        page = (seed_vault / data["saved"]).read_text()
        assert "type: answer" in page and f"model: {real_llm.model}" in page


def test_llm_compile_with_the_real_model(real_llm, tmp_path):
    src = tmp_path / "articles"
    src.mkdir()
    (src / "lanterns.md").write_text(
        "# Solar Lanterns for the Porto Fleet\n\nMarta Quillfeather founded the Lantern "
        "Cooperative in Porto in 2021. The cooperative builds solar lanterns for small fishing "
        "boats, and Quillfeather says they cut fuel costs by half.\n", encoding="utf-8")
    root = tmp_path / "vault"
    compiler = LLMCompiler(client_of(real_llm, ASK_CONTEXT), LLMCache(root))
    report = build_from(root, src, compiler=compiler)
    assert report.ok, report.errors
    pages = [r for r in report.created if r.split("/")[0] in
             ("sources", "people", "organizations", "products", "concepts")]
    assert len(pages) >= 2 and compiler.stats.calls == len(pages), compiler.stats
    assert not compiler.stats.stopped
    assert compiler.stats.written + len(compiler.stats.kept) == len(pages)
    with Vault.open(root) as vault:
        vault.refresh()
        assert lint(vault).broken_links == []  # whatever the model wrote, no phantom links
    again = LLMCompiler(client_of(real_llm, ASK_CONTEXT), LLMCache(root))
    build_from(root, src, compiler=again)
    assert again.stats.calls == 0


def test_contradictions_with_the_real_model(real_llm, seed_vault):
    from wiki.llm.contradictions import find_contradictions

    with Vault.open(seed_vault) as vault:
        report = find_contradictions(vault, [p.path for p in vault.pages()],
                                     client_of(real_llm, ASK_CONTEXT), limit=2)
    assert not report.stopped
    assert report.checked + len(report.not_checked) == 2
    for found in report.found:  # whatever the small model claims, only given sources count
        assert found.first != found.second
        assert (seed_vault / "sources" / f"{found.first}.md").is_file()
