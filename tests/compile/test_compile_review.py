"""Articles unlike the seeds: a blog page full of furniture, a Markdown note with frontmatter, a
wire story with byline and dateline, an interview transcript, a short note, a profile of a person.

Each test checks what a reader of the generated wiki would see.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from wiki.compile import compile_vault
from wiki.markup.frontmatter import split_frontmatter

TODAY = dt.date(2024, 3, 20)

BLOG_HTML = """\
<!DOCTYPE html>
<html><head><title>Why We Moved Our Build System to Bazel | Tidewater Engineering Blog</title>
<script>window.dataLayer=window.dataLayer||[];function
gtag(){dataLayer.push(arguments);}gtag('js', new Date());</script>
<style>body{font-family:sans-serif}</style></head>
<body>
<div class="cookie-banner" id="cookie-consent"><p>We use cookies to improve your experience. By
continuing to browse you agree to our Cookie Policy. <a href="#">Accept all cookies</a> <a
href="#">Manage preferences</a></p></div>
<div class="site-header"><a href="/">Tidewater Engineering</a> <ul class="menu"><li><a
href="/">Home</a></li><li><a href="/blog">Blog</a></li><li><a
href="/careers">Careers</a></li><li><a href="/about">About Us</a></li></ul></div>
<div class="content">
<div class="post">
<h1>Why We Moved Our Build System to Bazel</h1>
<p class="meta">Posted by Priya Raman on March 14, 2024 · 8 min read</p>
<p>For almost six years, every service at Tidewater was built with a patchwork of Makefiles,
shell scripts and a homegrown Python tool we called Shipwright. It worked, mostly. But by the
end of last year a clean build of our monorepo took forty-one minutes on a developer laptop,
and our continuous integration bill had tripled in eighteen months. This post explains why we
chose Bazel, what the migration actually cost, and what we would do differently.</p>
<h2>The problem with Shipwright</h2>
<p>Shipwright was written in 2018 by Marcus Holloway, one of our first engineers, to glue
together the handful of services we had at the time. It was a reasonable design for twelve
services. It was not a reasonable design for three hundred. Shipwright had no notion of a
dependency graph, so every change rebuilt everything downstream of the root directory. Caching
was done by comparing timestamps, which meant that a fresh checkout on a new machine always
started from nothing.</p>
<p>Holloway himself was the first to admit the tool had outgrown its purpose. When we
interviewed him for this post, he said that Shipwright had always been meant as a stopgap and
that he was surprised it survived as long as it did. He left Tidewater in 2021 to join Stripe,
but he still reviews our build changes as a friend of the team.</p>
<h2>Evaluating the options</h2>
<p>We looked at three serious candidates: Bazel, Buck2 from Meta, and Pants. Each of them
models the build as a graph of targets with explicit inputs and outputs, which is what makes
remote caching and incremental builds possible. We ran a two-week spike with each tool on a
representative slice of the monorepo, about forty services written in Go, Python and
TypeScript.</p>
<p>Pants had the friendliest Python support and the gentlest learning curve. Buck2 was
astonishingly fast on the slice we tested, but its open-source ecosystem was still young and we
worried about being early adopters of rules that nobody else maintained. Bazel was the slowest
to set up and the most verbose, but it had mature rules for every language we use and a large
community. Google has used Bazel internally under the name Blaze for well over a decade, and
that track record mattered to us.</p>
<h2>The migration</h2>
<p>The migration took two engineers about five months. Ana Okafor led the work on the Go
services and wrote most of our custom rules; Priya Raman handled the Python side and the remote
cache. We ran Shipwright and Bazel side by side for the whole period, comparing the artefacts
they produced byte for byte before switching any service over.</p>
<p>The hardest part was not Bazel itself but the hidden assumptions in our code. Dozens of
tests read files relative to the current working directory. Several services downloaded tools
from the internet during the build. One Python package generated code at import time from a
YAML file that lived three directories away. Bazel's sandbox made every one of these
assumptions fail loudly, which was painful at first and valuable in the end.</p>
<p>Okafor estimates that about a third of the migration time went into fixing tests that were
never hermetic in the first place. In her words, Bazel did not create those bugs; it simply
refused to hide them any longer.</p>
<h2>Results</h2>
<p>A clean build on a laptop now takes about nine minutes, and a typical incremental build
takes under forty seconds. More importantly, our continuous integration runs went from an
average of twenty-six minutes to seven, because most targets are served from the remote cache.
Our monthly bill from BuildKite dropped by roughly sixty percent.</p>
<p>There were costs as well. New engineers now have to learn Starlark, the configuration
language Bazel uses, and our BUILD files add a few thousand lines to the repository. Some
developers still grumble that adding a dependency requires touching two files instead of one.
We think the trade is worth it, but we do not pretend it is free.</p>
<h2>What we would do differently</h2>
<p>If we started again, we would invest in tooling to generate BUILD files from the start
instead of writing them by hand. We adopted Gazelle for the Go code halfway through and
immediately wished we had done it on day one. We would also set up the remote cache before
migrating the first service, since the early weeks without it gave some engineers a poor first
impression of the whole project.</p>
<p>Finally, we would communicate more. Build systems are invisible when they work and
infuriating when they do not. A short weekly note about what was changing, and why, would have
saved a lot of frustration in the team channels.</p>
<div class="share"><a href="#">Share on Twitter</a> <a href="#">Share on LinkedIn</a></div>
</div>
<div class="sidebar">
<h3>Recent Posts</h3>
<p><a href="#">Scaling Postgres to Ten Billion Rows</a></p>
<p><a href="#">Our On-Call Handbook</a></p>
<h3>Subscribe</h3>
<p>Get new posts delivered to your inbox every month. No spam, ever.</p>
</div>
<div class="comments">
<h3>12 Comments</h3>
<div class="comment"><p><b>Derek Lindgren</b> says:</p><p>Great write-up! We had the same
timestamp caching problem with our old Make setup.</p><p>Reply</p></div>
<div class="comment"><p><b>Sam</b> says:</p><p>Did you consider Nix? Curious why it was not on
the list.</p><p>Reply</p></div>
</div>
</div>
<div class="site-footer"><p>© 2024 Tidewater Labs Inc. All rights reserved. Privacy Policy ·
Terms of Service · Contact Us</p></div>
<script src="/assets/app.js"></script>
<script>document.querySelectorAll('.comment').forEach(function(c){c.classList.add('ready')});</script>
</body></html>
"""

NOTE_MD = """\
---
title: Notes on The Mom Test
tags: [books, customer-research, startups]
date: 2024-02-10
---

# Notes on The Mom Test

## Why I read it

A friend who runs a small design studio kept telling me that most of my customer interviews
were useless, and that I should read The Mom Test by Rob Fitzpatrick before talking to another
user. She was right. I had been asking people whether they would use my product, and of course
they all said yes. The book explains why that question is worthless and what to ask instead.

## The core idea

The title comes from a simple rule: ask questions that even your mom could not lie to you
about. Your mother loves you, so if you ask her whether your business idea is good, she will
say yes. But if you ask her about her own life, about the last time she had the problem you
think you solve, what she did about it and how much it cost her, she cannot flatter you. She
can only tell you what happened.

Fitzpatrick gives three rules. Talk about their life instead of your idea. Ask about specifics
in the past instead of generics or opinions about the future. Talk less and listen more. Each
rule sounds obvious written down, and each one is broken constantly in real conversations.

## Bad data

A large part of the book is about recognising bad data. Fitzpatrick sorts it into three kinds:
compliments, fluff and ideas.

Compliments are the most dangerous because they feel like progress. When someone says your idea
is great, you have learned nothing except that they are polite. Fluff is generic or
hypothetical talk: "I usually", "I would", "I might". People are terrible at predicting their
own behaviour, so statements about the future are nearly worthless. Ideas are feature requests,
and while they can be useful, the right move is to dig into the motivation behind them rather
than add them to a list.

The practical advice is to deflect compliments, anchor fluff by asking for a concrete past
example, and dig beneath ideas by asking why the person wants that feature and what they do
today without it.

## Commitment and advancement

Another chapter that changed how I work is about commitment. A meeting that ends with "let's
keep in touch" is a failure dressed up as a success. Fitzpatrick argues that a good meeting
ends with the other person giving up something of value: time, reputation or money. A follow-up
meeting with their boss, an introduction to a colleague, a letter of intent or a pre-order all
count. If you cannot get any commitment, the person is probably not a real customer.

He calls this advancement. A conversation either advances to a next step or it does not, and
you should be honest with yourself about which one just happened.

## How I changed my interviews

After reading the book I rewrote my interview script. I removed every question that mentioned
my product. I now open by asking people to walk me through the last time they had to reconcile
invoices from several suppliers, since that is the problem my tool is supposed to solve. I ask
what they used, how long it took, and whether they have looked for anything better. If they
have never looked for a solution, the problem is probably not painful enough.

The results were humbling. Of the eleven bookkeepers I spoke to in January, only three had ever
searched for a better way to reconcile invoices. Two of them were already paying for a tool
from Xero that did most of what I had planned. That was a hard thing to learn, but much better
to learn it now than after six more months of building.

## What I disagree with

The book is short and sometimes repetitive, and the advice is aimed mostly at
business-to-business software. For consumer products where the user cannot articulate the
problem, watching behaviour is often more useful than any interview. I also think Fitzpatrick
underrates surveys; they are bad for discovery, but once you know what to ask, they are a cheap
way to size a problem.

Still, it is one of the most useful books I have read this year, and at under a hundred pages
it is easy to recommend. I have already lent my copy to two friends.

## Related

- Customer development, as described by Steve Blank
- Jobs to be done interviews
- The Lean Startup by Eric Ries
"""

NEWS_TXT = """\
Heatwave pushes European power prices to record as nuclear output falls

By Tom Whitaker and Elena Rossi

LONDON, July 18 (Reuters) - Wholesale electricity prices in France and Germany hit record highs
on Tuesday as a prolonged heatwave drove up demand for air conditioning while forcing several
nuclear reactors to cut output because river water used for cooling was too warm.

French day-ahead power for Wednesday delivery settled at 612 euros per megawatt hour on the
EPEX Spot exchange, the highest level since the exchange began publishing the contract, traders
said. German baseload power for the same day rose to 498 euros.

Electricite de France (EDF) said on Monday it would reduce output at its Golfech and Bugey
plants, which sit on the Garonne and Rhone rivers, because of environmental rules that limit
how much heat the plants can discharge into the water. EDF said the cuts could last until the
end of the week.

"We are seeing a perfect storm of high demand, low wind and constrained nuclear," said Marie
Lefevre, head of power analysis at consultancy Aurora Energy Research. "Until temperatures come
down, the market has very little room to absorb any further outage."

Lefevre said gas-fired plants were running at close to full capacity across the region and that
imports from Spain and Britain were limited by interconnector capacity. She added that solar
output was strong during the afternoon but fell away sharply in the evening, just as demand for
cooling peaked.

The French grid operator RTE said consumption on Tuesday reached 62 gigawatts at 1 p.m. local
time, unusually high for the summer. RTE said it did not expect power cuts but asked large
industrial users to be ready to reduce consumption at short notice.

In Germany, the federal network agency said the system was stable. Klaus Becker, a spokesman
for the agency, told Reuters that reserves were adequate and that coal plants held in reserve
could be brought back if needed. "There is no reason for alarm," Becker said.

Temperatures in parts of southern France were forecast to reach 41 degrees Celsius on
Wednesday, according to the national weather service Meteo-France. Forecasters expect the heat
to ease slightly on Friday before returning next week.

Analysts warned that the episode showed the vulnerability of Europe's power system to climate
change. Rivers in France have been warmer and lower in recent summers, and nuclear output has
been curtailed for heat in four of the last six years.

"Every summer we have the same conversation," said James Okonkwo, an energy analyst at Rabobank
in London. "The fleet was designed for a climate that no longer exists. Either the rules
change, or the cooling systems do, or we accept that nuclear output will fall every time there
is a heatwave."

The European Commission said on Monday it was monitoring the situation and was in contact with
national regulators. A Commission spokeswoman declined to comment on prices.

Futures markets suggested traders expect some relief. French power for delivery in August
traded at 185 euros per megawatt hour on Tuesday, well below the spot price, reflecting
expectations that the heat will break and that some reactors will return from maintenance.

Consumer groups in France called on the government to shield households from the spike. Most
French households pay regulated tariffs that are adjusted only twice a year, so the immediate
impact on them is limited, but businesses on market-linked contracts face higher bills.

Industrial users said they were already responding. A spokesman for the chemicals maker Arkema
said the company had shifted some energy-intensive production to night shifts at two French
sites to avoid the most expensive hours.

(Reporting by Tom Whitaker in London and Elena Rossi in Milan; Additional reporting by Klaus
Weber in Frankfurt; Editing by Susan Fenton)
"""

INTERVIEW_TXT = """\
Interview: Dr. Helen Marsh on sleep, memory and the teenage brain

This transcript has been edited for length and clarity. Helen Marsh is a professor of
neuroscience at the University of Edinburgh and the author of The Sleeping Mind. She spoke with
our science editor, David Chen.

DAVID CHEN: Thank you for joining us. Let's start with the basics. Why do we sleep at all?

HELEN MARSH: That's the question everyone asks first, and the honest answer is that we still
don't fully know. What we do know is that sleep isn't a single thing. It's a cycle of different
stages, and each stage seems to do different work. Deep sleep, or slow-wave sleep, appears to
be important for clearing waste from the brain and for consolidating certain kinds of memory.
REM sleep, the stage where most vivid dreaming happens, seems to matter for emotional
processing and for linking memories together in new ways.

DAVID CHEN: You mentioned memory. Your lab has done a lot of work on that.

HELEN MARSH: Yes. Most of our work over the past ten years has been on what happens to a memory
overnight. If you teach someone a list of word pairs in the evening and test them the next
morning, people who slept remember more than people who stayed awake for the same amount of
time. That's an old finding. What we've added is evidence about the mechanism. During slow-wave
sleep, the hippocampus replays recent experiences, almost like rehearsing them, and that replay
is coordinated with rhythms in the cortex called sleep spindles. When we boost spindles with
gentle sound stimulation, memory improves. When we disrupt them, it gets worse.

DAVID CHEN: So you can actually improve someone's memory by playing sounds while they sleep?

HELEN MARSH: Modestly, in the lab, under very controlled conditions. I want to be careful here,
because there are already companies selling headbands that claim to do this at home, and the
evidence for those products is thin. The effect we see is real but small, and it depends on
timing the sound precisely to the brain's own rhythm. A consumer device that plays pink noise
all night is not doing that.

DAVID CHEN: Let's talk about teenagers. Parents often complain that their teenagers stay up
late and can't get up in the morning. Is that laziness?

HELEN MARSH: No, and this is one of the clearest findings in the field. During adolescence the
body clock shifts later by about two hours. Melatonin, the hormone that signals night to the
body, starts being released later in the evening. So a fifteen-year-old who goes to bed at ten
often simply can't fall asleep. Then we ask them to be at school at eight, and they are
chronically short of sleep. It's a biological mismatch, not a character flaw.

DAVID CHEN: Some school districts have moved start times later. Has that worked?

HELEN MARSH: The results have been encouraging. My colleague Rafael Ortiz at Stanford has
followed several districts in California that moved to a later start. Students got more sleep,
attendance improved, and there were fewer car accidents among teenage drivers. The academic
effects are harder to measure, but most studies point in the right direction. Ortiz likes to
say it is the cheapest education reform available, because it costs almost nothing.

DAVID CHEN: What about phones? Every parent wants to know whether screens are ruining their
children's sleep.

HELEN MARSH: Screens matter, but perhaps not in the way people think. The blue light story has
been somewhat overstated. The bigger problem is that a phone is endlessly engaging. It's the
messages, the games, the videos, the feeling that you'll miss something. That keeps the brain
alert and pushes bedtime later. My advice to families is simple: phones charge outside the
bedroom. It's not glamorous, but it works better than any app.

DAVID CHEN: Your book, The Sleeping Mind, came out last year. What do you hope readers take
from it?

HELEN MARSH: Mostly that sleep is not wasted time. We live in a culture that treats sleep as
something to be minimised, something for the weak. The science says the opposite. Sleep is when
the brain does some of its most important work. If people finish the book and go to bed thirty
minutes earlier, I'll be happy.

DAVID CHEN: Last question. How much do you sleep?

HELEN MARSH: About seven and a half hours, most nights. Less when I have a deadline, which is
ironic given what I study. My husband would tell you that I'm a terrible example.

DAVID CHEN: Helen Marsh, thank you.

HELEN MARSH: Thank you, it was a pleasure.
"""

SHORT_TXT = """\
The city council voted on Thursday to turn the old tram depot on Harbour Street into a public
library and community workshop. The building has stood empty since 2009, when the last trams
were withdrawn, and several plans to convert it into flats fell through during the financial
crisis.

Councillor Grace Abernethy, who proposed the scheme, said the library would include a repair
café, a small recording studio and a room for local clubs. Work is expected to start next
spring and to take about eighteen months. The cost, estimated at 4.2 million pounds, will be
shared between the council and the Heritage Lottery Fund.

Not everyone is pleased. Residents on nearby Cable Row worry about parking, and a local
developer, Northgate Homes, says the site should have been sold to ease the housing shortage.
Abernethy said the council would publish a traffic plan before construction begins.
"""

PROFILE_TXT = """\
The quiet economist who rewrote how we measure poverty

Few people outside development economics know the name Amara Nwosu, but many of the numbers
governments use to track poverty carry her fingerprints. Over three decades, first at the World
Bank and later at the London School of Economics, Nwosu argued that counting how many people
live on less than a fixed amount of money per day misses most of what poverty actually means.

Nwosu was born in Enugu, Nigeria, in 1958, the third of five children of a schoolteacher and a
trader. She studied mathematics at the University of Ibadan before winning a scholarship to
study economics at Cambridge. Her doctoral thesis, on rural household spending in eastern
Nigeria, was unusual for its time because it relied on months of fieldwork rather than national
statistics. Nwosu later said that living in the villages she studied taught her more than any
textbook.

At the World Bank, where she worked from 1987 to 2001, Nwosu became known as a persistent
internal critic. She argued that income-based poverty lines ignored access to clean water,
schooling, health care and security, and that two families with the same income could live very
different lives. Her colleagues remember her as polite, patient and impossible to move once she
had the data. Former colleague Peter Lindqvist recalls that she would bring a single household
survey to a meeting and walk everyone through it line by line until the room agreed.

Her most influential work came after she moved to the London School of Economics in 2002.
Together with the Indian economist Rohan Mehta, Nwosu developed a way of combining several
kinds of deprivation into a single index that could still be broken down to show which problems
mattered most in which places. The approach, usually called multidimensional poverty
measurement, was later adapted by the United Nations Development Programme and by dozens of
national statistics offices.

Mehta says the partnership worked because they disagreed about almost everything except the
data. He was interested in elegant theory; Nwosu cared about whether a survey team in a remote
district could actually collect the numbers. The resulting method, Mehta says, is less
beautiful than he would have liked and far more useful.

Critics have argued that combining different deprivations into one number involves arbitrary
choices about weights. Nwosu never denied this. In a 2011 lecture she said that every poverty
measure involves value judgements, and that the honest thing to do is to make those judgements
visible rather than hide them inside a single income threshold.

Nwosu retired from teaching in 2019 but continues to advise the Oxford Poverty and Human
Development Initiative. She is working on a book about the history of poverty statistics, which
she says is really a book about who gets counted and who does not.

Asked what she is proudest of, Nwosu does not mention indexes or papers. She mentions the
former students now running statistics offices in Ghana, Kenya and Bangladesh. Measurement, she
likes to say, is not about numbers but about people deciding to look.
"""

FILES = {"raw/blog.html": BLOG_HTML, "raw/note.md": NOTE_MD, "raw/news.txt": NEWS_TXT,
         "raw/interview.txt": INTERVIEW_TXT, "raw/short.txt": SHORT_TXT,
         "raw/profile.txt": PROFILE_TXT}


@pytest.fixture(scope="module")
def wiki(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("review") / "vault"
    for rel, text in FILES.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    report = compile_vault(root, today=TODAY)
    assert report.errors == []
    return root


def pages(root: Path, folder: str) -> set[str]:
    return {p.stem for p in (root / folder).glob("*.md")} if (root / folder).is_dir() else set()


def page(root: Path, rel: str) -> tuple[dict, str]:
    meta, body, _, err = split_frontmatter((root / rel).read_text(encoding="utf-8"))
    assert err is None
    return meta, body


def source_of(root: Path, raw: str) -> tuple[str, dict, str]:
    for p in sorted((root / "sources").glob("*.md")):
        meta, body = page(root, f"sources/{p.name}")
        if meta.get("source") == raw:
            return p.stem, meta, body
    raise AssertionError(f"no source page for {raw}")


def all_entities(root: Path) -> set[str]:
    return set().union(*(pages(root, f) for f in ("people", "organizations", "products",
                                                   "concepts")))


def test_html_cookie_banner_menu_sidebar_and_comments_stay_out(wiki):
    title, _, body = source_of(wiki, "raw/blog.html")
    assert title == "Why We Moved Our Build System to Bazel"
    for junk in ("cookies", "Accept all", "Careers", "Recent Posts", "Subscribe", "Share on",
                 "Reply", "Derek Lindgren", "All rights reserved", "dataLayer", "querySelector"):
        assert junk not in body, junk
    assert "Shipwright was written in 2018" in body
    summary = body.split("## Summary", 1)[1].split("##", 1)[0]
    assert "Shipwright" in summary and "cookie" not in summary.casefold()
    assert "Tidewater Labs Inc" not in all_entities(wiki)  # only in the footer


def test_topic_named_in_the_title_gets_a_page(wiki):
    assert "Bazel" in pages(wiki, "products")
    _, body = page(wiki, "products/Bazel.md")
    assert "[[Why We Moved Our Build System to Bazel]]" in body


def test_all_caps_word_used_as_emphasis_is_not_an_entity(wiki):
    assert "BUILD" not in all_entities(wiki)  # "BUILD files", where the text also says "build"


def test_byline_names_are_not_entities_and_do_not_title_the_story(wiki):
    title, meta, body = source_of(wiki, "raw/news.txt")
    assert title == "Heatwave pushes European power prices to record as nuclear output falls"
    people = pages(wiki, "people")
    for reporter in ("Tom Whitaker", "Elena Rossi", "Klaus Weber", "Susan Fenton"):
        assert reporter not in people
    assert {"Marie Lefevre", "Klaus Becker", "James Okonkwo"} <= people
    assert "Reuters Staff" not in all_entities(wiki)


def test_byline_counts_for_someone_the_article_also_names(wiki):
    # "Posted by Priya Raman" plus one mention in the text: she did half the migration
    assert "Priya Raman" in pages(wiki, "people")


def test_organisations_behind_acronyms_and_cues_are_organisations(wiki):
    orgs = pages(wiki, "organizations")
    assert {"Electricite de France", "RTE", "Aurora Energy Research"} <= orgs
    meta, _ = page(wiki, "organizations/Electricite de France.md")
    assert "EDF" in meta["aliases"]
    assert not {"Electricite de France", "RTE"} & pages(wiki, "concepts")
    assert "London School of Economics" in orgs
    assert "World Bank" in orgs


def test_transcript_speaker_labels_become_the_speakers(wiki):
    people = pages(wiki, "people")
    assert {"Helen Marsh", "David Chen"} <= people
    assert not {"HELEN MARSH", "DAVID CHEN"} & all_entities(wiki)
    _, body = page(wiki, "people/Helen Marsh.md")
    assert "professor of neuroscience" in body
    assert "Rafael Ortiz" in people
    assert "The Sleeping Mind" in pages(wiki, "products")


def test_role_words_are_not_part_of_a_name(wiki):
    people = pages(wiki, "people")
    assert "Grace Abernethy" in people
    assert "Councillor Grace Abernethy" not in people
    meta, _ = page(wiki, "people/Grace Abernethy.md")
    assert "Abernethy" in meta.get("aliases", [])


def test_markdown_note_with_frontmatter_and_its_own_headings(wiki):
    title, meta, body = source_of(wiki, "raw/note.md")
    assert title == "Notes on The Mom Test"
    assert "tags:" not in body and "customer-research" not in body
    assert "Rob Fitzpatrick" in pages(wiki, "people")
    assert "The Mom Test" in pages(wiki, "products")  # the book the note is about
    for heading in ("Why I read it", "Bad data", "The core idea", "Related"):
        assert heading not in all_entities(wiki)


def test_person_named_in_full_then_by_surname_is_one_page(wiki):
    people = pages(wiki, "people")
    assert "Amara Nwosu" in people and "Nwosu" not in all_entities(wiki)
    meta, body = page(wiki, "people/Amara Nwosu.md")
    assert "Nwosu" in meta["aliases"]
    assert "[[The quiet economist who rewrote how we measure poverty]]" in body
    assert {"Rohan Mehta", "Peter Lindqvist"} <= people
    assert "Mehta" not in all_entities(wiki) and "Lindqvist" not in all_entities(wiki)


def test_no_junk_pages_from_new_layouts(wiki):
    junk = {"LONDON", "London", "Tuesday", "Monday", "July", "March", "Thursday", "The Company",
            "Few", "Heatwave", "Interview", "Results", "Related", "Posted", "Councillor",
            "Commission", "Futures", "Reply", "Home", "Blog"}
    assert not junk & all_entities(wiki)


def test_wrapper_named_like_furniture_keeps_the_article(tmp_path):
    root = tmp_path / "vault"
    (root / "raw").mkdir(parents=True)
    text = " ".join(["Harriet Vance runs the Northfield Orchard Cooperative, which grows"
                     " heritage apples for local cider makers."] * 8)
    (root / "raw/page.html").write_text(
        '<html><body><div class="layout-with-sidebar"><p>' + text + '</p>'
        '<div class="sidebar"><p>Popular tags: apples, cider</p></div></div>'
        '<div id="cookie-notice">We use cookies. Accept</div></body></html>', encoding="utf-8")
    report = compile_vault(root, today=TODAY)
    assert report.errors == []
    _, _, body = source_of(root, "raw/page.html")
    assert "heritage apples" in body
    assert "Popular tags" not in body and "cookies" not in body


def test_credit_lines_are_recognised_but_ordinary_by_sentences_are_not():
    from wiki.compile.entities.extract import _CREDIT

    for line in ("By Tom Whitaker and Elena Rossi", "By Reuters Staff",
                 "Posted by Priya Raman on March 14, 2024",
                 "(Reporting by Tom Whitaker in London; Editing by Susan Fenton)"):
        assert _CREDIT.match(line), line
    for line in ("By the end of the year, Bazel won.", "By Friday the heat will ease.",
                 "By contrast, Google said it would wait."):
        assert not _CREDIT.match(line), line


def test_a_relation_to_the_writer_is_not_a_description(wiki):
    for name in ("Rafael Ortiz", "Peter Lindqvist"):  # "My colleague Rafael Ortiz"
        meta, _ = page(wiki, f"people/{name}.md")
        assert "colleague" not in meta["description"].casefold()
    meta, _ = page(wiki, "people/Rohan Mehta.md")
    assert meta["description"] == "Indian economist."


SCRAPED_TXT = """\
Skip to main content
Menu
Search
Sign in

Business | Technology

Lumora Robotics raises $120 million to bring warehouse robots to mid-sized retailers

Published Wednesday, 5 June 2024
Share this article
Share on Facebook
Share on X

Lumora Robotics, a Pittsburgh start-up that builds mobile robots for warehouses, said on
Wednesday it had raised $120 million in a funding round led by Sequoia Capital, as demand for
automation spreads beyond the largest online retailers.

The company, founded in 2019 by former Carnegie Mellon researchers Nadia Petrova and Owen
Gallagher, makes squat, wheeled robots that carry shelves of goods to human pickers, cutting
the distance workers walk during a shift. Lumora says its robots can be installed in an
existing warehouse in about six weeks, without the expensive floor markings or ceiling rails
that older systems need.

Advertisement

"Until now, this kind of automation was something only Amazon could afford," Petrova, the chief
executive, said in an interview. "Our customers are regional grocery chains and apparel brands
with two or three distribution centres. They are competing for the same workers as everyone
else, and they cannot wait five years for a payback."

The Company said it would use the money to double its engineering staff and open an office in
Rotterdam to serve customers in Europe. Lumora currently has about 210 employees and robots
operating in 38 warehouses in the United States and Canada.

Read more: Why warehouse wages are rising faster than inflation

The funding values Lumora at about $900 million, according to two people familiar with the
matter, who asked not to be named because the valuation is private. Existing investors
including Lux Capital and Gallagher's former adviser, professor Hannah Liu, also took part in
the round.

Gallagher, who serves as chief technology officer, said the company's main technical advantage
is its navigation software, which lets robots share a map of the warehouse and reroute around
obstacles in real time. "A warehouse on a Monday morning looks nothing like the same warehouse
on a Friday night," he said. "Pallets move, people move, somebody leaves a cart in the aisle.
The robots have to cope with all of it without calling for help."

Image: A Lumora robot at a distribution centre in Ohio. (Lumora Robotics)

Competition in warehouse robotics has intensified. Locus Robotics and 6 River Systems, which
Shopify bought and later sold to Ocado, have raced to sign up retailers, while Amazon has
deployed hundreds of thousands of its own robots. Analysts say smaller vendors win business by
being cheaper and faster to install.

"The market is big enough for several winners," said Rachel Dunmore, an analyst at Interact
Analysis. "The question is whether a company like Lumora can keep its costs down as it scales.
Robots are hardware, and hardware is hard."

Monday's announcement follows a difficult year for some of Lumora's rivals. Several robotics
start-ups cut staff in 2023 as interest rates rose and investors became more cautious. Petrova
said Lumora had been profitable on a unit basis since last year, meaning each robot earns more
than it costs to build and maintain, though the company as a whole is not yet profitable.

Petrova added that Lumora was in early talks with two European retailers and expected to
announce its first customer there before the end of the year.

Sign up for our newsletter
Get the latest technology news delivered to your inbox every morning.
Subscribe

Related articles
Robots are coming for the warehouse night shift
What automation means for logistics jobs

© 2024 The Daily Ledger. All rights reserved.
"""

READING_MD = """\
# Reading list: three historians of science

I have been reading history of science again this winter, mostly on long train rides. These are
notes on three writers I keep coming back to, with a line or two on why each is worth the time.

## Lorraine Daston

Daston spent most of her career at the Max Planck Institute for the History of Science in
Berlin, which she directed for many years. Her books are about how scientists came to value
things we now take for granted: objectivity, observation, the idea of a fact. Objectivity,
written with Peter Galison, argues that objectivity has a history, and that it only became a
scientific virtue in the nineteenth century, when photographs and self-registering instruments
promised to take the observer out of the picture.

What I like about Daston is that she never treats past scientists as foolish. She asks what
problem their habits solved. Reading her, you see that every age has its own idea of what it
means to see clearly.

## Thomas Kuhn

Kuhn needs no introduction, but I had not reread The Structure of Scientific Revolutions since
university. It holds up better than I expected. The famous part is the idea of a paradigm
shift, which has been stretched to mean almost anything. The less famous part is Kuhn's
description of normal science as puzzle-solving, and that is the part that rings truest to
anyone who has worked in a lab. Most science, Kuhn says, is not revolution but careful work
within rules that nobody questions.

Kuhn was trained as a physicist at Harvard before he turned to history. That background shows:
he writes about physics with a practitioner's feel for what the work was like.

## Steven Shapin

Shapin is the funniest of the three. His essay on the invisible technicians of
seventeenth-century England, the assistants who actually ran Robert Boyle's air-pump
experiments, is a small masterpiece. Boyle got the credit; the technicians did much of the work
and are mostly forgotten. Shapin wrote Leviathan and the Air-Pump with Simon Schaffer, and that
book is still the best account I know of how an experiment became a way of settling arguments.

Shapin taught at Edinburgh and later at Harvard. His later work on the moral history of
scientists, on whether we trust them because of their character or in spite of it, is less well
known but worth seeking out.

## What connects them

All three ask the same question in different ways: how does knowledge come to be trusted? Kuhn
answers with communities and paradigms, Daston with the history of virtues and habits, and
Shapin with the social life of experiments. None of them thinks science is arbitrary. All of
them think it is human.

## Next on the list

Next I want to read Galison's book on Einstein's clocks, and something by Naomi Oreskes on the
history of earth science. Suggestions welcome.
"""


@pytest.fixture(scope="module")
def wiki2(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("review2") / "vault"
    (root / "raw").mkdir(parents=True)
    (root / "raw/lumora.txt").write_text(SCRAPED_TXT, encoding="utf-8")
    (root / "raw/reading.md").write_text(READING_MD, encoding="utf-8")
    assert compile_vault(root, today=TODAY).errors == []
    return root


def test_text_copied_from_a_web_page_loses_its_menus_and_share_buttons(wiki2):
    title, _, body = source_of(wiki2, "raw/lumora.txt")
    assert title == ("Lumora Robotics raises $120 million to bring warehouse robots to "
                     "mid-sized retailers")
    for junk in ("Skip to main content", "Sign in", "Business | Technology", "Share on",
                 "Advertisement", "Read more:", "newsletter", "to your inbox", "Related articles",
                 "Robots are coming for the warehouse night shift", "All rights reserved",
                 "Image:", "## Published"):
        assert junk not in body, junk
    assert "Published Wednesday, 5 June 2024" in body  # kept as text, not made a heading
    assert "Petrova added that Lumora was in early talks" in body
    entities = all_entities(wiki2)
    assert "The Company" not in entities and "Company" not in entities
    assert {"Nadia Petrova", "Owen Gallagher", "Rachel Dunmore"} <= pages(wiki2, "people")
    meta, _ = page(wiki2, "organizations/Lumora Robotics.md")
    assert "Lumora" in meta["aliases"]
    assert not {"Wednesday", "Monday", "Menu", "Search", "Lumora"} & entities


def test_a_heading_naming_a_person_owns_the_surname_mentions_below_it(wiki2):
    people = pages(wiki2, "people")
    assert {"Lorraine Daston", "Thomas Kuhn", "Steven Shapin"} <= people
    assert not {"Daston", "Kuhn", "Shapin"} & all_entities(wiki2)
    meta, body = page(wiki2, "people/Lorraine Daston.md")
    assert "Daston" in meta["aliases"]
    assert "Max Planck Institute" in body  # the sentence under her heading
    assert not {"What connects them", "Next on the list"} & all_entities(wiki2)


THEATRE_TXT = """\
A new chapter for the Harbourside Theatre

The Harbourside Theatre announced on Friday that Mary K. Donovan will become its artistic
director in September, replacing Jean-Luc Fournier, who is retiring after fourteen years in the
role.

Donovan, 47, has run the Northern Light Playhouse since 2015 and is known for commissioning new
plays by young writers. "Mary K. Donovan has an extraordinary eye for talent," said Dr. Samuel
Okoye, chair of the theatre's board. Okoye said the board had interviewed eleven candidates
over six months.

Fournier, who was born in Lyon, built the theatre's reputation for adventurous staging. Under
his leadership the Harbourside doubled its audience and opened a second, smaller stage for
experimental work. Ms. Donovan said she intended to keep that stage and to expand the theatre's
education programme.

Actor Conan Whitfield-Hayes, who appeared in several of Fournier's productions, called him a
generous director. "Jean-Luc never told you what to do. He asked questions until you found the
answer yourself," Whitfield-Hayes said. Critic Sarah McAllister wrote last year that Fournier's
production of The Tempest was the best she had seen in a decade.

Donovan will be the first woman to lead the Harbourside in its ninety-year history. She said
she was honoured and a little terrified. Tickets for her first season go on sale in June, and
McAllister has already said she will be in the front row.
"""


@pytest.fixture(scope="module")
def wiki3(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("review3") / "vault"
    (root / "raw").mkdir(parents=True)
    (root / "raw/theatre.txt").write_text(THEATRE_TXT, encoding="utf-8")
    assert compile_vault(root, today=TODAY).errors == []
    return root


def test_a_middle_initial_stays_part_of_the_name(wiki3):
    people = pages(wiki3, "people")
    assert "Mary K. Donovan" in people
    assert not {"Donovan", "Mary K"} & all_entities(wiki3)
    meta, _ = page(wiki3, "people/Mary K. Donovan.md")
    assert "Donovan" in meta["aliases"]


def test_a_name_later_used_by_surname_alone_is_a_person(wiki3):
    # "Jean-Luc" is no known first name, but "Fournier, who ..." keeps coming back
    assert "Jean-Luc Fournier" in pages(wiki3, "people")
    assert "Fournier" not in all_entities(wiki3)


def test_occupations_before_a_name_are_descriptions_not_part_of_it(wiki3):
    people = pages(wiki3, "people")
    assert {"Conan Whitfield-Hayes", "Sarah McAllister", "Samuel Okoye"} <= people
    assert not {"Actor Conan Whitfield-Hayes", "Critic Sarah McAllister"} & people
    meta, _ = page(wiki3, "people/Sarah McAllister.md")
    assert meta["description"] == "Critic."


def test_a_theatre_is_an_organisation(wiki3):
    assert "Harbourside Theatre" in pages(wiki3, "organizations")
    assert "Harbourside Theatre" not in pages(wiki3, "people")


WORDPRESS_HTML = """\
<html><head><title>Tending sourdough in a cold kitchen | The Slow Loaf</title></head><body>
<header class="site-header"><h1 class="site-title">The Slow Loaf</h1><nav><a
href="/">Home</a></nav></header>
<main><article><header class="entry-header"><h1 class="entry-title">Tending sourdough in a cold
kitchen</h1>
<div class="entry-meta">Posted on January 9, 2024 by Ingrid Halvorsen</div><nav
class="post-nav"><a>Older</a></nav></header>
<div class="entry-content"><p>Winter is hard on a sourdough starter. When the kitchen drops
below eighteen degrees the yeast slows down, the bacteria take over, and the loaf comes out
sour and flat. Ingrid Halvorsen, who has baked bread in a farmhouse outside Bergen for twenty
years, keeps her starter in the oven with only the light switched on.</p>
<p>Halvorsen feeds it twice a day in winter instead of once, and uses water at about thirty
degrees. She says the trick is patience: a cold dough needs twice as long to rise, and rushing
it is the most common mistake.</p></div>
<footer class="entry-footer">Tags: bread, winter</footer></article></main>
<footer class="site-footer">Copyright 2024 The Slow Loaf</footer></body></html>
"""


def test_an_articles_own_header_keeps_its_title_and_the_site_name_is_dropped(tmp_path):
    root = tmp_path / "vault"
    (root / "raw").mkdir(parents=True)
    (root / "raw/loaf.html").write_text(WORDPRESS_HTML, encoding="utf-8")
    assert compile_vault(root, today=TODAY).errors == []
    title, _, body = source_of(root, "raw/loaf.html")
    assert title == "Tending sourdough in a cold kitchen"
    assert "The Slow Loaf" not in body and "Older" not in body and "Home" not in body
    assert "Ingrid Halvorsen" in pages(root, "people")
    meta, _ = page(root, "people/Ingrid Halvorsen.md")
    assert "Halvorsen" in meta["aliases"]


def test_story_title_is_taken_from_a_site_title_without_the_site_name():
    from wiki.compile.reading.sources import html_to_text

    title, text = html_to_text("<html><head><title>Tending sourdough in a cold kitchen | The "
                               "Slow Loaf</title></head><body><p>Winter is hard on a sourdough "
                               "starter.</p></body></html>")
    assert title == "Tending sourdough in a cold kitchen"
    assert "Winter is hard" in text


def test_a_company_introduced_by_its_trade_is_not_a_person(wiki):
    # "a local developer, Northgate Homes, says ..."
    assert "Northgate Homes" not in pages(wiki, "people")
