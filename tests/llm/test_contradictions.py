"""`wiki lint --llm`: contradictions between sources on one entity page, against a scripted
server on 127.0.0.1."""

from __future__ import annotations

import json
import os

from fake_llm import FakeLLM, Reply, completion, dead_port
from support import run_wiki

from wiki.llm.client import LLMClient
from wiki.llm.config import LLMConfig
from wiki.llm.contradictions import find_contradictions, statements
from wiki.vault.facade import Vault


def replies(path: str, body: dict) -> Reply:
    if not path.endswith("/chat/completions"):
        return Reply(status=404, body={"error": "no"})
    subject = body["messages"][1]["content"].split("\n")[0].removeprefix("Subject: ")
    enum = (body["response_format"]["json_schema"]["schema"]["properties"]["contradictions"]
            ["items"]["properties"]["first"]["enum"])
    if subject == "ChatGPT":
        return Reply(body=completion(json.dumps({"contradictions": [
            {"first": enum[0], "second": enum[1], "explanation": "One says 2022, one 2023."},
            {"first": enum[0], "second": "A Source Nobody Wrote", "explanation": "Made up."}]})))
    if subject == "Gemini":
        return Reply(body=completion('{"contradictions": [{"first": "', "length"))
    if subject == "PyTorch":
        return Reply(body=completion("I think there are none."))
    return Reply(body=completion('{"contradictions": []}'))


def test_statements_are_read_from_the_mentioned_in_lines():
    body = ("# X\n\nIntro.\n\n## Mentioned in\n\n- [[Source A]]: A says one thing.\n"
            "- [[Source B|B]]: B says another.\n\n## Related\n\n- [[Source C]]: not a mention\n")
    assert statements(body) == {"Source A": "A says one thing.", "Source B": "B says another."}


def test_contradictions_are_found_and_checked(seed_vault):
    with FakeLLM(replies) as srv, Vault.open(seed_vault) as vault:
        client = LLMClient(LLMConfig(url=srv.url, model="m", context=4096))
        report = find_contradictions(vault, [p.path for p in vault.pages()], client)
        asked = len(srv.chat_requests())
    assert asked == 34  # every entity page two sources or more mention, once
    assert [(c.page, c.explanation) for c in report.found] == [
        ("products/ChatGPT.md", "One says 2022, one 2023.")]  # the invented source is dropped
    chatgpt = report.found[0]
    assert chatgpt.first != chatgpt.second
    assert (seed_vault / "sources" / f"{chatgpt.first}.md").is_file()
    assert any(n.startswith("products/Gemini.md: ") and "cut off" in n
               for n in report.not_checked)
    assert any(n.startswith("products/PyTorch.md: ") and "JSON" in n for n in report.not_checked)
    assert report.checked == 32 and not report.stopped


def test_wiki_lint_llm_json_and_text(seed_vault):
    with FakeLLM(replies) as srv:
        env = dict(os.environ, COMMONPLACE_LLM_URL=srv.url, COMMONPLACE_LLM_MODEL="m")
        as_json = run_wiki("lint", "--llm", "--json", vault=seed_vault, env=env)
        text = run_wiki("lint", "--llm", vault=seed_vault, env=env)
    assert as_json.returncode == 0, as_json.stderr
    data = json.loads(as_json.stdout)
    assert {"broken_links", "orphans", "contradictions", "not_checked"} <= set(data)
    assert data["contradictions"][0]["page"] == "products/ChatGPT.md"
    assert text.returncode == 0
    assert "contradiction: products/ChatGPT.md: [[" in text.stdout
    assert "not checked: products/Gemini.md" in text.stdout


def test_wiki_lint_llm_with_a_dead_server_is_one_line(seed_vault):
    env = dict(os.environ, COMMONPLACE_LLM_URL=f"http://127.0.0.1:{dead_port()}/v1",
               COMMONPLACE_LLM_MODEL="m", COMMONPLACE_LLM_CONTEXT="4096")
    result = run_wiki("lint", "--llm", vault=seed_vault, env=env)
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "connection refused" in result.stderr
