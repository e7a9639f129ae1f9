"""A vault in several scripts: unlinked mentions without spaces, and an old index rebuilt."""

from __future__ import annotations

from wiki.vault.facade import Vault


def test_unlinked_mentions_inside_chinese_japanese_and_korean_sentences(write_files):
    root = write_files({
        "机器学习.md": "# 机器学习\n\n一种方法。\n",
        "北京.md": "# 北京\n\n城市。\n",
        "서울.md": "# 서울\n\n도시.\n",
        "Café.md": "# Café\n\nA place.\n",
        "notes/强化学习.md": "强化学习是机器学习的一个分支。我住在北京，也去过서울은 아니다.\n",
        "notes/linked.md": "强化学习是[[机器学习]]的一个分支。\n",
        "notes/other.md": "机器人不是学习。The cafe and the Café.\n",
    })
    with Vault.open(root) as vault:
        vault.refresh()
        found = vault.unlinked_mentions("机器学习.md")
        assert [m.path for m in found] == ["notes/强化学习.md"]  # the linked one is not unlinked
        assert "机器学习的一个分支" in found[0].context
        assert [m.path for m in vault.unlinked_mentions("北京.md")] == ["notes/强化学习.md"]
        assert [m.path for m in vault.unlinked_mentions("서울.md")] == ["notes/强化学习.md"]
        assert [m.path for m in vault.unlinked_mentions("Café.md")] == ["notes/other.md"]


def test_an_index_from_before_the_multilingual_analysis_is_rebuilt(write_files):
    import json

    from wiki.search.index import OUTDATED, VERSION_FILE

    root = write_files({"机器学习.md": "# 机器学习\n\n强化学习是机器学习的一个分支。\n",
                        "Café.md": "Naïve résumé über straße\n"})
    with Vault.open(root) as vault:
        vault.refresh()
        index_dir = vault.index.index_dir
    meta = index_dir / VERSION_FILE
    meta.write_text(json.dumps({"schema": 2}), encoding="utf-8")  # as the last version wrote
    with Vault.open(root) as vault:
        assert OUTDATED in vault.warnings
        vault.refresh()
        assert [h.path for h in vault.search("学习").hits] == ["机器学习.md"]
        assert [h.path for h in vault.search("strasse").hits] == ["Café.md"]
