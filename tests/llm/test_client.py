"""The OpenAI-compatible client against a scripted server on 127.0.0.1: replies, streaming,
truncation, dead and slow endpoints, malformed JSON, cancel, context size."""

from __future__ import annotations

import threading
import time

import pytest
from fake_llm import FakeLLM, Reply, completion, dead_port

from wiki.llm.client import Cancelled, CancelToken, LLMClient, LLMError
from wiki.llm.config import SETUP_HELP, LLMConfig, NotConfigured, load_config, require_config

MSGS = [{"role": "user", "content": "Hi"}]


def client_for(url: str, **kw) -> LLMClient:
    return LLMClient(LLMConfig(url=url, model="m", **kw))


def test_config_comes_from_the_environment_and_settings_win():
    assert load_config({}) is None
    env = {"COMMONPLACE_LLM_URL": "127.0.0.1:8080/v1", "COMMONPLACE_LLM_MODEL": "small",
           "COMMONPLACE_LLM_TIMEOUT": "oops"}
    config = load_config(env)
    assert config is not None
    assert config.url == "http://127.0.0.1:8080/v1" and config.model == "small"
    assert config.timeout == 120.0  # a bad number falls back to the default
    assert load_config(env, {"COMMONPLACE_LLM_MODEL": "big"}).model == "big"
    assert load_config(env, {"COMMONPLACE_LLM_MODEL": ""}).model == "small"
    with pytest.raises(NotConfigured) as err:
        require_config({})
    assert str(err.value) == SETUP_HELP and "COMMONPLACE_LLM_URL" in SETUP_HELP


def test_a_whole_reply_and_its_finish_reason():
    with FakeLLM(lambda p, b: Reply(body=completion("Paris.", model="tiny"))) as srv:
        result = client_for(srv.url, key="sekret").chat(MSGS, max_tokens=20)
    assert (result.text, result.finish_reason, result.model) == ("Paris.", "stop", "tiny")
    assert result.complete
    body = srv.chat_requests()[0]
    assert body["model"] == "m" and body["max_tokens"] == 20 and body["stream"] is False


def test_streaming_hands_over_each_piece_as_it_arrives():
    pieces: list[tuple[float, str]] = []
    with FakeLLM(lambda p, b: Reply(stream=["The ", "answer ", "is 42."], gap=0.15)) as srv:
        result = client_for(srv.url).chat(
            MSGS, max_tokens=20, on_delta=lambda s: pieces.append((time.monotonic(), s)))
    assert result.text == "The answer is 42." and result.finish_reason == "stop"
    assert [s for _, s in pieces] == ["The ", "answer ", "is 42."]
    assert pieces[-1][0] - pieces[0][0] >= 0.25  # they came one by one, not at the end


def test_truncated_output_is_reported_as_such():
    with FakeLLM(lambda p, b: Reply(stream=["cut off in the mid"], finish_reason="length")) as srv:
        result = client_for(srv.url).chat(MSGS, max_tokens=5, on_delta=lambda s: None)
    assert result.finish_reason == "length" and not result.complete


def test_a_dead_endpoint_is_one_clear_line_at_once():
    started = time.monotonic()
    with pytest.raises(LLMError) as err:
        client_for(f"http://127.0.0.1:{dead_port()}/v1").chat(MSGS, max_tokens=5)
    assert time.monotonic() - started < 2
    assert "connection refused" in str(err.value) and "\n" not in str(err.value)


def test_a_slow_endpoint_times_out_instead_of_hanging():
    with FakeLLM(lambda p, b: Reply(body=completion("late"), delay=30)) as srv:
        started = time.monotonic()
        with pytest.raises(LLMError) as err:
            client_for(srv.url, timeout=0.5).chat(MSGS, max_tokens=5)
        took = time.monotonic() - started
    assert took < 3
    assert "sent nothing for" in str(err.value) and "COMMONPLACE_LLM_TIMEOUT" in str(err.value)


def test_a_stream_that_stalls_midway_times_out_too():
    with FakeLLM(lambda p, b: Reply(stream=["one ", "two"], gap=30)) as srv:
        with pytest.raises(LLMError, match="sent nothing for"):
            client_for(srv.url, timeout=0.5).chat(MSGS, max_tokens=5, on_delta=lambda s: None)


@pytest.mark.parametrize("body", [b"<html>502 Bad Gateway</html>", b"{\"choices\": [",
                                  b"[1, 2]", b"{\"object\": \"nothing\"}"])
def test_malformed_replies_are_one_clear_line(body):
    with FakeLLM(lambda p, b: Reply(body=body)) as srv:
        with pytest.raises(LLMError) as err:
            client_for(srv.url).chat(MSGS, max_tokens=5)
    message = str(err.value)
    assert "\n" not in message and ("not JSON" in message or "no answer" in message
                                    or "unexpected shape" in message)


def test_a_malformed_stream_chunk_is_reported():
    with FakeLLM(lambda p, b: Reply(stream=["ok"], extra=[b"data: {not json"])) as srv:
        with pytest.raises(LLMError, match="not JSON"):
            client_for(srv.url).chat(MSGS, max_tokens=5, on_delta=lambda s: None)


def test_http_errors_carry_the_server_message():
    def reply(path, body):
        return Reply(status=404, body={"error": {"message": "model 'm' not found"}})

    with FakeLLM(reply) as srv:
        with pytest.raises(LLMError) as err:
            client_for(srv.url).chat(MSGS, max_tokens=5)
    assert "no model 'm'" in str(err.value)


def test_cancel_ends_a_streaming_answer_at_once():
    token = CancelToken()
    got: list[str] = []
    with FakeLLM(lambda p, b: Reply(stream=["a", "b", "c", "d"], gap=5)) as srv:
        def on_delta(s: str) -> None:
            got.append(s)

        threading.Timer(0.3, token.cancel).start()
        started = time.monotonic()
        with pytest.raises(Cancelled):
            client_for(srv.url).chat(MSGS, max_tokens=5, on_delta=on_delta, cancel=token)
        assert time.monotonic() - started < 2
    assert got == ["a"]


def test_cancel_while_waiting_for_the_first_byte():
    token = CancelToken()
    with FakeLLM(lambda p, b: Reply(body=completion("x"), delay=30)) as srv:
        threading.Timer(0.3, token.cancel).start()
        started = time.monotonic()
        with pytest.raises(Cancelled):
            client_for(srv.url).chat(MSGS, max_tokens=5, cancel=token)
        assert time.monotonic() - started < 2


def test_schema_falls_back_to_the_style_the_server_takes():
    def reply(path, body):
        fmt = body.get("response_format", {})
        if fmt.get("type") == "json_schema":
            return Reply(status=400, body={"error": {"message": "unknown response_format"}})
        return Reply(body=completion('{"a": 1}'))

    with FakeLLM(reply) as srv:
        client = client_for(srv.url)
        schema = {"type": "object", "properties": {"a": {"type": "integer"}}}
        assert client.chat(MSGS, max_tokens=5, schema=schema).text == '{"a": 1}'
        assert client.chat(MSGS, max_tokens=5, schema=schema).text == '{"a": 1}'
        kinds = [b["response_format"]["type"] for b in srv.chat_requests()]
    assert kinds == ["json_schema", "json_object", "json_object"]  # remembered after once


def test_context_size_from_ollama_num_ctx():
    def reply(path, body):
        if path == "/api/show":
            return Reply(body={"parameters": "num_ctx 8192\nstop \"<|end|>\"",
                               "model_info": {"llama.context_length": 131072}})
        return Reply(status=404, body={"error": "no"})

    with FakeLLM(reply) as srv:
        client = client_for(srv.url)
        assert client.context_length() == 8192
        assert client.context_length() == 8192
        assert [p for p, _ in srv.requests] == ["/api/show"]  # asked once


def test_context_size_ollama_default_and_llama_cpp_props():
    def ollama(path, body):
        return Reply(body={"modelfile": "FROM x", "model_info": {"x.context_length": 32768}})

    with FakeLLM(ollama) as srv:
        assert client_for(srv.url).context_length() == 4096  # what Ollama really uses

    def llama(path, body):
        if path == "/props":
            return Reply(body={"default_generation_settings": {"n_ctx": 2048}})
        return Reply(status=404, body={"error": "not found"})

    with FakeLLM(llama) as srv:
        assert client_for(srv.url).context_length() == 2048
        assert client_for(srv.url, context=1000).context_length() == 1000


def test_schema_is_dropped_for_a_server_without_structured_output():
    def reply(path, body):
        if "response_format" in body:
            return Reply(status=400, body={"error": {"message": "response_format not supported"}})
        return Reply(body=completion('{"a": 1}'))

    with FakeLLM(reply) as srv:
        client = client_for(srv.url)
        assert client.chat(MSGS, max_tokens=5, schema={"type": "object"}).text == '{"a": 1}'
        sent = srv.chat_requests()
    assert [b.get("response_format", {}).get("type") for b in sent] == [
        "json_schema", "json_object", None]
