"""`--llm` compiling against a scripted OpenAI-compatible server on 127.0.0.1: what is written,
what is refused (cut off, malformed, phantom links), the cache, context sizing, a dead server,
and user edits."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fake_llm import FakeLLM, Reply, completion, dead_port
from support import run_wiki

from wiki.compile.build import build_from, ingest_files
from wiki.llm.client import LLMClient, estimate_tokens
from wiki.llm.compile import ENTITY_SYSTEM, SOURCE_SYSTEM, LLMCache, LLMCompiler
from wiki.llm.config import LLMConfig

ARTICLE = """# Solar Lanterns for the Porto Fleet

Marta Quillfeather founded the Lantern Cooperative in Porto in 2021. The cooperative builds
solar lanterns for small fishing boats.

Quillfeather says the lanterns cut fuel costs by half for the crews that tried them. The Lantern
Cooperative now sells to fleets in Vigo and Lisbon.
"""
SOURCE = "sources/Solar Lanterns for the Porto Fleet.md"
PERSON = "people/Marta Quillfeather.md"
MODEL_SUMMARY = ("The article profiles [[Marta Quillfeather]] and her cooperative, which makes "
                 "solar lanterns for boats, and a [[Nowhere Page|made-up page]].")


def good_replies(path: str, body: dict) -> Reply:
    if not path.endswith("/chat/completions"):
        return Reply(status=404, body={"error": "no"})
    system = body["messages"][0]["content"]
    if system == SOURCE_SYSTEM:
        data = {"summary": MODEL_SUMMARY,
                "key_points": ["Lanterns halve fuel costs for the crews.",
                               "Fleets in Vigo and Lisbon buy them."]}
    elif system == ENTITY_SYSTEM:
        schema = body["response_format"]["json_schema"]["schema"]
        given = schema["properties"]["points"]["items"]["properties"]["source"]["enum"]
        first_line = body["messages"][1]["content"].split("\n")[0]
        title = first_line.removeprefix("Entry: ").rsplit(" (", 1)[0]
        data = {"description": f"The model's description of {title}.",
                "points": [{"source": given[0], "text": "Founded a cooperative in Porto."},
                           {"source": "An Invented Source", "text": "Something made up."}]}
    else:
        raise AssertionError(system)
    return Reply(body=completion(json.dumps(data)))


def vault_with_article(tmp_path: Path) -> tuple[Path, Path]:
    src = tmp_path / "articles"
    src.mkdir()
    (src / "lanterns.md").write_text(ARTICLE, encoding="utf-8")
    return tmp_path / "vault", src


def compiler_for(url: str, root: Path, **config) -> LLMCompiler:
    return LLMCompiler(LLMClient(LLMConfig(url=url, model="tiny", **config)), LLMCache(root))


def test_the_model_writes_the_prose_and_the_rules_the_links(tmp_path):
    root, src = vault_with_article(tmp_path)
    with FakeLLM(good_replies) as srv:
        compiler = compiler_for(srv.url, root)
        report = build_from(root, src, compiler=compiler)
        calls = len(srv.chat_requests())
    assert report.ok and compiler.stats.written == 3 and calls == 3
    source = (root / SOURCE).read_text()
    assert "profiles [[Marta Quillfeather]] and her cooperative" in source
    assert "[[Nowhere Page" not in source and "a made-up page" in source  # no phantom link
    assert "- Lanterns halve fuel costs for the crews." in source
    assert "**People:** [[Marta Quillfeather]]" in source  # the rules' links are untouched
    person = (root / PERSON).read_text()
    assert "The model's description of Marta Quillfeather." in person
    assert ("## What the sources say\n\n- Founded a cooperative in Porto. "
            "([[Solar Lanterns for the Porto Fleet]])") in person
    assert "Something made up" not in person and "Invented" not in person
    assert "[[Solar Lanterns for the Porto Fleet]]: Marta Quillfeather founded" in person
    index = (root / "index.md").read_text()
    assert "The model's description of Marta Quillfeather." in index


def test_an_unchanged_vault_recompiles_with_zero_calls(tmp_path):
    root, src = vault_with_article(tmp_path)
    with FakeLLM(good_replies) as srv:
        build_from(root, src, compiler=compiler_for(srv.url, root))
        first = (root / SOURCE).read_text()
        again = compiler_for(srv.url, root)
        build_from(root, src, compiler=again)
        assert len(srv.chat_requests()) == 3 and again.stats.calls == 0
        # the compile state lost: pages come back from the cache, still no call
        (root / ".wiki" / "compile-state.json").unlink()
        (root / ".wiki" / "compile-facts.jsonl").unlink()
        lost = compiler_for(srv.url, root)
        build_from(root, src, compiler=lost)
        assert len(srv.chat_requests()) == 3 and lost.stats.cached == 3
    assert (root / SOURCE).read_text() == first


def test_a_rule_compiled_vault_gets_the_models_prose_and_keeps_it(tmp_path):
    root, src = vault_with_article(tmp_path)
    build_from(root, src)  # no model
    rule_text = (root / SOURCE).read_text()
    with FakeLLM(good_replies) as srv:
        report = build_from(root, src, compiler=compiler_for(srv.url, root))
    assert SOURCE in report.updated and MODEL_SUMMARY[:30] in (root / SOURCE).read_text()
    build_from(root, src)  # a later compile without the model leaves the model's prose
    assert (root / SOURCE).read_text() != rule_text


@pytest.mark.parametrize("reply,why", [
    (Reply(body=completion('{"summary": "The article profiles', "length")), "cut off"),
    (Reply(body=completion("Sure! Here is the summary you asked for.")), "not JSON"),
    (Reply(body=completion('{"summary": 3, "key_points": []}')), "not text"),
])
def test_bad_replies_keep_the_rule_compilers_text(tmp_path, reply, why):
    root, src = vault_with_article(tmp_path)
    plain_root = tmp_path / "plain"
    build_from(plain_root, src)
    with FakeLLM(lambda p, b: reply if p.endswith("/completions") else Reply(status=404)) as srv:
        compiler = compiler_for(srv.url, root)
        build_from(root, src, compiler=compiler)
        again = compiler_for(srv.url, root)
        build_from(root, src, compiler=again)
        calls = len(srv.chat_requests())
    assert (root / SOURCE).read_text() == (plain_root / SOURCE).read_text()
    assert (root / PERSON).read_text() == (plain_root / PERSON).read_text()
    assert compiler.stats.written == 0 and len(compiler.stats.kept) == 3
    assert all(why in k for k in compiler.stats.kept)
    assert calls == 3 and again.stats.calls == 0  # the same reply would come again: cached


def test_a_dead_server_keeps_the_rules_text_and_is_retried_later(tmp_path):
    root, src = vault_with_article(tmp_path)
    dead = compiler_for(f"http://127.0.0.1:{dead_port()}/v1", root, context=2048)
    report = build_from(root, src, compiler=dead)
    assert report.ok and dead.stats.calls == 1  # stops asking after the first refusal
    assert "connection refused" in dead.stats.stopped
    assert "## What the sources say" not in (root / PERSON).read_text()
    with FakeLLM(good_replies) as srv:
        live = compiler_for(srv.url, root)
        build_from(root, src, compiler=live)
    assert live.stats.written == 3
    assert "The model's description" in (root / PERSON).read_text()


def test_user_edits_survive_an_llm_compile(tmp_path):
    root, src = vault_with_article(tmp_path)
    build_from(root, src)
    person = root / PERSON
    person.write_text(person.read_text() + "\nMy own note about Marta.\n")
    with FakeLLM(good_replies) as srv:
        compiler = compiler_for(srv.url, root)
        build_from(root, src, compiler=compiler)
    text = person.read_text()
    assert text.endswith("My own note about Marta.\n") and "The model's" not in text


def test_prompts_fit_the_context_ollama_reports(tmp_path, seeds_dir):
    root = tmp_path / "vault"
    seen: list[dict] = []

    def replies(path, body):
        if path == "/api/show":
            return Reply(body={"parameters": "num_ctx 1024", "model_info": {}})
        seen.append(body)
        return Reply(body=completion("{}"))  # invalid: rules' text kept, prompts still seen

    long_article = tmp_path / "long.txt"
    long_article.write_text("A Long Story\n\n" + "The Lantern Cooperative of Porto builds solar "
                            "lanterns for fishing crews in the harbour. " * 400)
    with FakeLLM(replies) as srv:
        compiler = compiler_for(srv.url, root)
        ingest_files(root, [long_article], compiler=compiler)
    assert seen
    for body in seen:
        prompt = estimate_tokens(json.dumps(body["messages"]))
        assert prompt + body["max_tokens"] <= 1024, (prompt, body["max_tokens"])
        assert body["max_tokens"] <= 1024 // 3 and body["temperature"] == 0.0


def test_wiki_build_llm_without_a_model_is_one_line(tmp_path, no_llm_env):
    root, src = vault_with_article(tmp_path)
    result = run_wiki("build", "--from", str(src), "--llm", vault=root)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "COMMONPLACE_LLM_URL" in result.stderr
    assert not (root / "sources").exists()  # nothing compiled half-way


def test_wiki_build_llm_reports_what_the_model_did(tmp_path):
    import os

    root, src = vault_with_article(tmp_path)
    with FakeLLM(good_replies) as srv:
        env = dict(os.environ, COMMONPLACE_LLM_URL=srv.url, COMMONPLACE_LLM_MODEL="tiny")
        result = run_wiki("build", "--from", str(src), "--llm", vault=root, env=env)
    assert result.returncode == 0, result.stderr
    assert "model: 3 page(s) written by the model (3 call(s), 0 from the cache)" in result.stdout


def test_wiki_build_llm_with_a_dead_server_compiles_and_says_so(tmp_path):
    import os

    root, src = vault_with_article(tmp_path)
    env = dict(os.environ, COMMONPLACE_LLM_URL=f"http://127.0.0.1:{dead_port()}/v1",
               COMMONPLACE_LLM_MODEL="tiny", COMMONPLACE_LLM_CONTEXT="2048")
    result = run_wiki("build", "--from", str(src), "--llm", vault=root, env=env)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "connection refused" in lines[0] and "kept" in lines[0]
    assert (root / SOURCE).is_file()  # compiled by the rules all the same
