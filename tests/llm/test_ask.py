"""Ask: retrieval from a compiled vault, the prompt, citations, filing answers, and `wiki ask`
end to end against a scripted OpenAI-compatible server on 127.0.0.1."""

from __future__ import annotations

import datetime as dt
import json
import re
import time

from fake_llm import FakeLLM, Reply, completion, dead_port
from support import run_wiki

from wiki.llm.answers import save_answer
from wiki.llm.ask import Answer, ask, budgets, build_messages, citations_in
from wiki.llm.client import LLMClient, estimate_tokens
from wiki.llm.config import LLMConfig
from wiki.llm.retrieval import keywords, retrieve
from wiki.vault.facade import Vault

KARPATHY_SOURCE = ("sources/Andrej Karpathy on Vibe Coding vs Agentic Engineering - Why He "
                   "Feels More Behind Than Ever in 2026.md")
QUESTION = "What does Karpathy say about vibe coding and agentic engineering?"


def citing_reply(path: str, body: dict) -> Reply:
    """An answer that cites the first page it was given, one page it was not, and one
    [[link]] by name, the way a model would."""
    if not path.endswith("/chat/completions"):
        return Reply(status=404, body={"error": "not found"})
    prompt = body["messages"][-1]["content"]
    first = re.search(r"^\[1\] (.+?) \(", prompt, re.MULTILINE)
    title = first.group(1) if first else "nothing"
    return Reply(stream=[f"From {title}: agentic engineering replaced vibe coding [1]. ",
                         "See also [[Andrej Karpathy]], [[Nowhere Page|nowhere]] and [42]."])


def env_for(url: str, **extra: str) -> dict:
    import os

    env = dict(os.environ, COMMONPLACE_LLM_URL=url, COMMONPLACE_LLM_MODEL="tiny")
    env.update(extra)
    return env


def test_keywords_drop_question_words():
    assert keywords("What did Karpathy say about vibe coding? What about Karpathy?") == \
        ["karpathy", "vibe", "coding"]


def test_retrieval_finds_the_source_and_its_linked_pages(seed_vault):
    with Vault.open(seed_vault) as vault:
        ctx = retrieve(vault, QUESTION, budget=3000)
    paths = [p.path for p in ctx.passages]
    assert KARPATHY_SOURCE in paths[:3] and "concepts/Vibe coding.md" in paths[:3]
    assert "people/Andrej Karpathy.md" in paths
    assert any(p.why == "link" for p in ctx.passages)  # pages the best hits link to
    assert [p.number for p in ctx.passages] == list(range(1, len(paths) + 1))
    assert ctx.catalogue and any("Karpathy" in line for line in ctx.catalogue)
    assert "index.md" not in paths and "log.md" not in paths
    assert ctx.tokens <= 3000
    assert all("[[" not in p.text for p in ctx.passages)  # the model cites by number


def test_retrieval_keeps_to_a_small_budget(seed_vault):
    with Vault.open(seed_vault) as vault:
        ctx = retrieve(vault, QUESTION, budget=400)
    assert 1 <= len(ctx.passages) <= 3  # short entity pages: a few fit
    text = "\n".join(p.text for p in ctx.passages) + "\n".join(ctx.catalogue)
    assert estimate_tokens(text) <= 400


def test_budgets_fit_the_context():
    pages, answer = budgets(2048, QUESTION)
    assert answer == 512 and 1000 < pages < 2048 - 512
    pages, answer = budgets(32768, QUESTION)
    assert answer == 700 and pages > 30000


def test_citations_count_only_pages_that_were_given(seed_vault):
    with Vault.open(seed_vault) as vault:
        ctx = retrieve(vault, QUESTION, budget=3000)
    karpathy = next(p for p in ctx.passages if p.path == "people/Andrej Karpathy.md")
    text = "It changed [2]. Not a page [99]. Also [[Andrej Karpathy]] and [1][2]."
    cited = citations_in(text, ctx)
    assert [c.path for c in cited] == [ctx.passages[1].path,
                                       *([karpathy.path] if karpathy.number != 2 else []),
                                       ctx.passages[0].path]
    messages = build_messages(ctx)
    assert messages[0]["role"] == "system" and "[1]" in messages[0]["content"]
    assert f"[1] {ctx.passages[0].title} ({ctx.passages[0].path})" in messages[1]["content"]
    assert messages[1]["content"].endswith(f"Question: {QUESTION}")


def test_ask_streams_and_cites(seed_vault):
    pieces: list[str] = []
    with FakeLLM(citing_reply) as srv, Vault.open(seed_vault) as vault:
        client = LLMClient(LLMConfig(url=srv.url, model="tiny", context=4096))
        answer = ask(vault, client, QUESTION, on_delta=pieces.append)
        sent = srv.chat_requests()[0]
    assert len(pieces) == 2 and "[[Nowhere Page" in pieces[1]
    assert answer.text == "".join(pieces).strip().replace("[[Nowhere Page|nowhere]]", "nowhere")
    assert not answer.truncated
    first = answer.context.passages[0].path
    assert [c.path for c in answer.citations] == [first, "people/Andrej Karpathy.md"]
    assert sent["stream"] is True and sent["max_tokens"] == 700
    assert estimate_tokens(json.dumps(sent["messages"])) < 4096  # the prompt fits


def test_saved_answer_page_and_log(seed_vault):
    with FakeLLM(citing_reply) as srv, Vault.open(seed_vault) as vault:
        client = LLMClient(LLMConfig(url=srv.url, model="tiny"))
        answer = ask(vault, client, QUESTION)
        written = save_answer(vault.root, answer, today=dt.date(2026, 12, 1))
        again = save_answer(vault.root, answer, today=dt.date(2026, 12, 1))
        vault.update_paths(written + again)
        assert written[0] == f"answers/{QUESTION.rstrip('?')}.md"
        assert again[0] == f"answers/{QUESTION.rstrip('?')} (2).md"  # never over another
        page = vault.read_page(written[0])
        assert page.type == "answer"
        assert page.frontmatter["question"] == QUESTION
        assert page.frontmatter["date"] == "2026-12-01"
        assert page.frontmatter["model"] == "fake"  # as the server named itself
        assert page.frontmatter["pages"] == answer.pages_used
        assert KARPATHY_SOURCE in page.frontmatter["pages"]
        linked = {r.path for r in vault.outgoing(written[0])}
        assert {answer.context.passages[0].path, "people/Andrej Karpathy.md"} <= linked
        assert all(r.path for r in vault.outgoing(written[0]))  # no phantom links
        log = (vault.root / "log.md").read_text()
        assert f"## [2026-12-01] query | {QUESTION}" in log
        assert vault.search("agentic engineering replaced vibe").hits[0].path in (
            written[0], again[0])
        # a later question never gets an answer as its evidence
        ctx = retrieve(vault, QUESTION, 4000)
        assert not any(p.path.startswith("answers/") for p in ctx.passages)


def test_truncated_answers_are_never_filed(seed_vault, tmp_path):
    answer = Answer("Q?", "half an ans", "m", "length")
    try:
        save_answer(seed_vault, answer)
    except Exception as exc:  # noqa: BLE001
        assert "cut off" in str(exc)
    else:
        raise AssertionError("a truncated answer was saved")
    assert not (seed_vault / "answers").exists()


def test_wiki_ask_json_and_save(seed_vault):
    with FakeLLM(citing_reply) as srv:
        result = run_wiki("ask", QUESTION, "--json", "--save", vault=seed_vault,
                          env=env_for(srv.url))
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) >= {"answer", "citations", "saved"}
    assert data["citations"][0]["path"] == data["pages_used"][0]
    assert data["citations"][1] == {"path": "people/Andrej Karpathy.md",
                                    "title": "Andrej Karpathy"}
    assert KARPATHY_SOURCE in data["pages_used"]
    assert data["saved"].startswith("answers/") and (seed_vault / data["saved"]).exists()
    found = run_wiki("search", "type:answer", "--json", vault=seed_vault)
    assert [h["path"] for h in json.loads(found.stdout)] == [data["saved"]]
    # later compiles never take answers as sources, even when handed one
    ingest = run_wiki("ingest", str(seed_vault / data["saved"]), vault=seed_vault)
    assert "answers are never compiled as sources" in ingest.stdout + ingest.stderr
    assert not any("query" in p.name for p in (seed_vault / "sources").iterdir())


def test_wiki_ask_streams_text_with_sources(seed_vault):
    with FakeLLM(citing_reply) as srv:
        result = run_wiki("ask", QUESTION, vault=seed_vault, env=env_for(srv.url))
    assert result.returncode == 0, result.stderr
    assert "agentic engineering replaced vibe coding [1]" in result.stdout
    sources = result.stdout.split("Sources:")[1]
    assert "[1] Vibe coding — concepts/Vibe coding.md" in sources
    assert "people/Andrej Karpathy.md" in sources


def test_wiki_ask_without_a_model_explains_the_setup(seed_vault, no_llm_env):
    result = run_wiki("ask", QUESTION, vault=seed_vault)
    assert result.returncode == 2
    assert "COMMONPLACE_LLM_URL" in result.stderr and "Ollama" in result.stderr
    assert "Traceback" not in result.stderr
    assert run_wiki("search", "Karpathy", vault=seed_vault).returncode == 0


def test_wiki_ask_dead_endpoint_is_one_line_exit_2(seed_vault):
    started = time.monotonic()
    result = run_wiki("ask", QUESTION, vault=seed_vault,
                      env=env_for(f"http://127.0.0.1:{dead_port()}/v1"))
    assert result.returncode == 2 and time.monotonic() - started < 20
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "connection refused" in lines[0]


def test_wiki_ask_slow_endpoint_gives_up(seed_vault):
    with FakeLLM(lambda p, b: Reply(body=completion("late"), delay=60)) as srv:
        started = time.monotonic()
        result = run_wiki("ask", QUESTION, vault=seed_vault,
                          env=env_for(srv.url, COMMONPLACE_LLM_TIMEOUT="1",
                                      COMMONPLACE_LLM_CONTEXT="4096"))
        took = time.monotonic() - started
    assert result.returncode == 2 and took < 20
    assert result.stderr.strip().splitlines() == [
        result.stderr.strip()] and "sent nothing for 1 s" in result.stderr


def test_wiki_ask_truncated_answer_says_so_and_saves_nothing(seed_vault):
    with FakeLLM(lambda p, b: Reply(stream=["It was cut"], finish_reason="length")) as srv:
        result = run_wiki("ask", QUESTION, "--save", vault=seed_vault, env=env_for(srv.url))
    assert result.returncode == 2
    assert "It was cut" in result.stdout
    assert "cut off" in result.stderr and "not saved" in result.stderr
    assert not (seed_vault / "answers").exists()
