"""Entities: which names become pages, of which kind, with which aliases and descriptions, on
articles unlike the seeds (a wire story with byline and dateline, an interview transcript, a
profile, a theatre announcement ...), in ``tests/data/review/``.
"""

from __future__ import annotations

from compile_support import all_entities, page, pages, source_of


def test_topic_named_in_the_title_gets_a_page(review_vault):
    assert "Bazel" in pages(review_vault, "products")
    _, body = page(review_vault, "products/Bazel.md")
    assert "[[Why We Moved Our Build System to Bazel]]" in body


def test_all_caps_word_used_as_emphasis_is_not_an_entity(review_vault):
    # "BUILD files", where the text also says "build"
    assert "BUILD" not in all_entities(review_vault)


def test_byline_names_are_not_entities_and_do_not_title_the_story(review_vault):
    title, meta, body = source_of(review_vault, "raw/news.txt")
    assert title == "Heatwave pushes European power prices to record as nuclear output falls"
    people = pages(review_vault, "people")
    for reporter in ("Tom Whitaker", "Elena Rossi", "Klaus Weber", "Susan Fenton"):
        assert reporter not in people
    assert {"Marie Lefevre", "Klaus Becker", "James Okonkwo"} <= people
    assert "Reuters Staff" not in all_entities(review_vault)


def test_byline_counts_for_someone_the_article_also_names(review_vault):
    # "Posted by Priya Raman" plus one mention in the text: she did half the migration
    assert "Priya Raman" in pages(review_vault, "people")


def test_organisations_behind_acronyms_and_cues_are_organisations(review_vault):
    orgs = pages(review_vault, "organizations")
    assert {"Electricite de France", "RTE", "Aurora Energy Research"} <= orgs
    meta, _ = page(review_vault, "organizations/Electricite de France.md")
    assert "EDF" in meta["aliases"]
    assert not {"Electricite de France", "RTE"} & pages(review_vault, "concepts")
    assert "London School of Economics" in orgs
    assert "World Bank" in orgs


def test_transcript_speaker_labels_become_the_speakers(review_vault):
    people = pages(review_vault, "people")
    assert {"Helen Marsh", "David Chen"} <= people
    assert not {"HELEN MARSH", "DAVID CHEN"} & all_entities(review_vault)
    _, body = page(review_vault, "people/Helen Marsh.md")
    assert "professor of neuroscience" in body
    assert "Rafael Ortiz" in people
    assert "The Sleeping Mind" in pages(review_vault, "products")


def test_role_words_are_not_part_of_a_name(review_vault):
    people = pages(review_vault, "people")
    assert "Grace Abernethy" in people
    assert "Councillor Grace Abernethy" not in people
    meta, _ = page(review_vault, "people/Grace Abernethy.md")
    assert "Abernethy" in meta.get("aliases", [])


def test_person_named_in_full_then_by_surname_is_one_page(review_vault):
    people = pages(review_vault, "people")
    assert "Amara Nwosu" in people and "Nwosu" not in all_entities(review_vault)
    meta, body = page(review_vault, "people/Amara Nwosu.md")
    assert "Nwosu" in meta["aliases"]
    assert "[[The quiet economist who rewrote how we measure poverty]]" in body
    assert {"Rohan Mehta", "Peter Lindqvist"} <= people
    assert not {"Mehta", "Lindqvist"} & all_entities(review_vault)


def test_no_junk_pages_from_new_layouts(review_vault):
    junk = {"LONDON", "London", "Tuesday", "Monday", "July", "March", "Thursday", "The Company",
            "Few", "Heatwave", "Interview", "Results", "Related", "Posted", "Councillor",
            "Commission", "Futures", "Reply", "Home", "Blog"}
    assert not junk & all_entities(review_vault)


def test_credit_lines_are_recognised_but_ordinary_by_sentences_are_not():
    from wiki.compile.entities.extract import _CREDIT

    for line in ("By Tom Whitaker and Elena Rossi", "By Reuters Staff",
                 "Posted by Priya Raman on March 14, 2024",
                 "(Reporting by Tom Whitaker in London; Editing by Susan Fenton)"):
        assert _CREDIT.match(line), line
    for line in ("By the end of the year, Bazel won.", "By Friday the heat will ease.",
                 "By contrast, Google said it would wait."):
        assert not _CREDIT.match(line), line


def test_a_relation_to_the_writer_is_not_a_description(review_vault):
    for name in ("Rafael Ortiz", "Peter Lindqvist"):  # "My colleague Rafael Ortiz"
        meta, _ = page(review_vault, f"people/{name}.md")
        assert "colleague" not in meta["description"].casefold()
    meta, _ = page(review_vault, "people/Rohan Mehta.md")
    assert meta["description"] == "Indian economist."


def test_a_heading_naming_a_person_owns_the_surname_mentions_below_it(scraped_vault):
    people = pages(scraped_vault, "people")
    assert {"Lorraine Daston", "Thomas Kuhn", "Steven Shapin"} <= people
    assert not {"Daston", "Kuhn", "Shapin"} & all_entities(scraped_vault)
    meta, body = page(scraped_vault, "people/Lorraine Daston.md")
    assert "Daston" in meta["aliases"]
    assert "Max Planck Institute" in body  # the sentence under her heading
    assert not {"What connects them", "Next on the list"} & all_entities(scraped_vault)


def test_a_middle_initial_stays_part_of_the_name(theatre_vault):
    people = pages(theatre_vault, "people")
    assert "Mary K. Donovan" in people
    assert not {"Donovan", "Mary K"} & all_entities(theatre_vault)
    meta, _ = page(theatre_vault, "people/Mary K. Donovan.md")
    assert "Donovan" in meta["aliases"]


def test_a_name_later_used_by_surname_alone_is_a_person(theatre_vault):
    # "Jean-Luc" is no known first name, but "Fournier, who ..." keeps coming back
    assert "Jean-Luc Fournier" in pages(theatre_vault, "people")
    assert "Fournier" not in all_entities(theatre_vault)


def test_occupations_before_a_name_are_descriptions_not_part_of_it(theatre_vault):
    people = pages(theatre_vault, "people")
    assert {"Conan Whitfield-Hayes", "Sarah McAllister", "Samuel Okoye"} <= people
    assert not {"Actor Conan Whitfield-Hayes", "Critic Sarah McAllister"} & people
    meta, _ = page(theatre_vault, "people/Sarah McAllister.md")
    assert meta["description"] == "Critic."


def test_a_theatre_is_an_organisation(theatre_vault):
    assert "Harbourside Theatre" in pages(theatre_vault, "organizations")
    assert "Harbourside Theatre" not in pages(theatre_vault, "people")


def test_a_company_introduced_by_its_trade_is_not_a_person(review_vault):
    # "a local developer, Northgate Homes, says ..."
    assert "Northgate Homes" not in pages(review_vault, "people")
