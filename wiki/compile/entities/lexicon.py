"""Word lists for the offline entity heuristics: stop words, first names, known names, cues."""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Common English words (lower case). A capitalised word at the start of a sentence that is one of
# these is an ordinary word, not a name; they never start or end a concept phrase either.
STOPWORDS = _words("""
a about above across actually after afterwards again against ago ahead all almost alone along
already also although always am among an and another any anyone anything anyway anywhere are
around as ask asked asks at away back be became because become becomes been before began begin
behind being below beside besides best better between beyond both brief but by came can cannot
could did do does doing done down during each either else elsewhere enough especially even ever
every everyone everything everywhere except far few finally first for from further furthermore
get gets getting give given gives go goes going gone got had has have having he her here hers
herself him himself his how however i if in indeed instead into is it its itself just keep last
later least less let like likely made make makes making many may maybe me meanwhile might mine
more moreover most mostly much must my myself near nearly neither never nevertheless next no nobody
none nor not nothing now of off often on once one only onto or other others otherwise our ours
ourselves out over overall own per perhaps please put quite rather really said same say says see
seem seemed seems several shall she should since so some somehow someone something sometimes
somewhere soon still such take taken takes than that the their theirs them themselves then there
thereby therefore these they this those though through throughout thus to today together too
toward towards under unless unlike until up upon us use used uses using very via was we well were
what whatever when whenever where whereas whether which while who whoever whole whom whose why will
with within without would yes yet you your yours yourself yourselves
here's it's that's there's what's let's i'm i've i'd i'll you're we're they're he's she's don't
doesn't didn't isn't aren't wasn't weren't won't can't couldn't wouldn't shouldn't
""")

# Words that look like names when capitalised but are ordinary words in titles, headings and at
# sentence starts; never a single-word entity on their own.
COMMON_CAPS = _words("""
monday tuesday wednesday thursday friday saturday sunday january february march april may june
july august september october november december today tomorrow yesterday tonight
jan feb mar apr jun jul aug sep sept oct nov dec
mr mrs ms dr prof sir madam dame lord lady
key takeaways summary detailed thoughts final conclusion conclusions introduction intro overview
takeaway highlights episode chapter
why how what when where who which whose while because although though however therefore
yes no okay ok well oh hey hi hello thanks thank please sorry
this that these those there here it its he she they we you i me him her them us our your their
one two three four five six seven eight nine ten
""")

PRONOUNS = _words("i me my mine he him his she her hers it its we us our ours they them their "
                  "theirs you your yours this that these those who whom whose which what")

# Connectors allowed inside a capitalised name ("Bank of America", "Leonardo da Vinci").
NAME_CONNECTORS = _words("of de da van von der del la le al bin du")

# Generic acronyms that are not worth a page.
GENERIC_ACRONYMS = _words("""
AI US USA UK EU UN CEO CFO CTO COO CMO CPO VP SVP EVP PM AM TV PR HR IT OK FAQ PDF URL URLS
IQ SF NJ NY LA DC GDP UX UI API APIS GPU GPUS CPU CPUS ARR IPO ROI KPI Q1 Q2 Q3 Q4 H1 H2 B2B B2C
SAAS SDK HTML CSS JSON XML HTTP HTTPS TL TLDR DR TLDW DW PS NB ETA FYI IMO IMHO LOL OMG BTW
PHD MBA MD BA BS MS RAM SSD OS PC AR VR XR ID II III IV VI VII VIII IX XI BC AD CE
""")

# Organisation name endings.
ORG_SUFFIXES = _words("""
Inc Inc. Corp Corp. Corporation Co Co. Company Ltd Ltd. LLC PLC GmbH AG SA Labs Lab Laboratory
Laboratories Institute University College School Foundation Fund Capital Ventures Partners Group
Holdings Technologies Technology Systems Microsystems Networks Software Research Robotics Bank
Agency Association Society Council Committee Commission Department Ministry Office Administration
Party Times Post Journal Press News Media Studios Studio Entertainment Motors Airlines
Pharmaceuticals Team WG Commons Panel Service Trust Unit Centre Center
Therapeutics Bio Cloud Intelligence Initiative Project Center Centre Academy Alliance Consortium
Logistics Energy Airways Foods Pharma Industries Enterprises Analytics
Dynamics Aerospace Semiconductor Semiconductors Biosciences Games Records Publishing Insurance
Theatre Theater Playhouse Orchestra Opera Ballet Museum Gallery Hospital Clinic Trust Authority
Cooperative
""")

# Organisation name beginnings ("University of Texas", "Bank of America").
ORG_PREFIXES = _words("University Bank Department Ministry Institute College School Museum Church "
                      "Office Federal National Royal Council Commission Agency")

PRODUCT_WORDS = _words("model models glasses app apps phone chip chips podcast book framework "
                       "agent assistant platform tool editor browser benchmark")

# Role words: "CEO Dario Amodei", "Dario Amodei, CEO of Anthropic".
ROLE_WORDS = _words("""
ceo cfo cto coo founder co-founder cofounder chief head president chairman chairwoman chair
director manager lead leader engineer researcher scientist professor economist historian
editor author writer host journalist reporter investor partner analyst secretary minister
senator governor mayor advisor adviser officer executive member student podcaster entrepreneur
designer developer programmer mathematician physicist philosopher psychologist primatologist
scholar fellow creator inventor pioneer chronicler colleague co-author coauthor cofounders
councillor councilor councilman councilwoman alderman spokesman spokeswoman spokesperson
commissioner lawmaker ambassador judge prosecutor attorney lawyer chancellor
king queen prince princess majesty highness sir dame lord lady high-commissioner
actor actress critic novelist poet playwright filmmaker photographer comedian activist curator
columnist correspondent broadcaster presenter musician dancer architect
""")

# Verbs that follow a person's name ("Wang says", "Patel announced").
PERSON_VERBS = _words("""
says said argues argued explains explained believes believed thinks thought notes noted adds added
admits admitted concedes conceded recalls recalled describes described suggests suggested
predicts predicted warns warned insists insisted claims claimed tells told asks asked
answers answered responds responded agrees agreed disagrees disagreed rejects rejected
acknowledges acknowledged dismisses dismissed declines declined hopes hoped wants wanted
sees saw envisions envisioned emphasizes emphasized emphasises emphasised points pointed
announced announces joined joins founded co-founded wrote writes spoke speaks sat sits
credits credited expects expected frames framed calls called bets admires admired moved
spends spent laid lays revisits revisited advocates advocated expresses expressed
""")

# Common first names (lower case): a capitalised pair starting with one is a person.
FIRST_NAMES = _words("""
aaron adam adrian ahmed aidan alan albert alberto alex alexander alexandr alexandra alexis ali
alice alicia allison amanda amber amy ana andre andrea andreas andrej andrew andy angela anita
ann anna anne anthony antonio arjun arthur ashlee ashley audrey ben benjamin bill bob bobby
brad brandon brian bruce bryan caitlin cameron carl carla carlos carmen carol caroline casey
catherine charles charlie chris christian christina christine christopher claire clara colin
connor craig dan dana daniel daniela danielle dario darius dave david dean demis dennis derek
diana diane dominic donald doug douglas dwarkesh dylan ed eddie edward elena eli elizabeth ella
ellen elon emily emma eric erica erik ethan eugene eva evan fei felix fernando frances francesca
francis frank fred gabriel gary gavin george gerald gina glenn grace greg gregory guido hannah
harold harry heather helen henry hugo ian ilya isaac isabel jack jacob jake james jamie jan
jane janet jared jason jay jean jeff jeffrey jen jennifer jensen jeremy jerry jesse jessica jill
jim jimmy joan joe joel johanna john jon jonathan jordan jorge jose joseph josh joshua juan
judith judy julia julian julie justin karen karl kate katherine kathleen katie keith kelly ken
kenneth kevin kim kimberly krishna kylie larry laura lauren lee leo leonard lex lily linda lisa
liz logan louis lucas lucy luis luke lynn marc marcus margaret maria mark martin mary matt
matthew max megan melissa michael michelle miguel mike mira mohammed molly mustafa nancy naomi nat
natalie nathan neil nicholas nick nicole noah noam oliver olivia omar oscar owen pamela patrick
paul paula pete peter philip phil priya rachel rafael raj rajesh ray rebecca reid richard rick
rob robert roberto robin roger ron ronald rose ross ruth ryan sam samantha samuel sandra sara
sarah satya scott sean sebastian sergey shane sharon shawn sheryl simon sophia sophie stacy
stephanie stephen steve steven stuart sundar susan suzanne tanya ted teresa terry thomas tim
timothy tina todd tom tommy tony tracy travis trevor tyler valerie vanessa victor victoria
vincent vinod vivek walter wayne wei wendy will william xavier yann yoshua yuval zach zachary
zoe
ingrid lorraine nadia amara olga sven lars astrid freya hans jurgen jürgen dieter marie pierre
jacques francois françois mathieu luca marco giulia giovanni paolo sofia pedro pablo diego javier
lucia mateo rahul amit anil sunil deepak ananya aisha fatima hassan yusuf kwame kofi chinedu ngozi
thabo sipho hiroshi kenji yuki akira mei nikolai dmitri ivan natasha svetlana igor tomasz piotr
agnieszka rohan anjali sanjay nikhil meera kavya leila nasser tariq chiara matteo francesca
ines beatriz joao joão rui hannes ulrich greta hilde nils henrik jens mette
""")

# Well-known organisations and products: a capitalised name that is one of these gets its kind from
# here (the text still has to mention it; nothing is made from the list alone).
KNOWN_ORGS = _words("""
Meta Google Alphabet Anthropic OpenAI Microsoft Apple Amazon Nvidia NVIDIA DeepMind Facebook
Tesla SpaceX xAI Alibaba Baidu Tencent ByteDance Huawei Samsung Intel AMD IBM Oracle Netflix
Uber Airbnb Stripe Broadcom TSMC Qualcomm Cursor Anysphere Mistral Cohere Perplexity
DeepSeek Salesforce Adobe Shopify Spotify Twitter LinkedIn Reddit Wikipedia YouTube
Harvard Stanford MIT Berkeley Princeton Yale Oxford Cambridge CZI FAIR NASA DARPA Pentagon
Congress NATO Eleos Manus AWS Vercel Vercell HuggingFace ESPN NBC CNN BBC Bloomberg Reuters
""")

KNOWN_PRODUCTS = _words("""
ChatGPT GPT Claude Gemini Llama Bard Copilot Grok Mistral Qwen QwQ Opus Sonnet Haiku Mythos
MuseSpark Composer Cheetah WhatsApp Instagram Messenger Threads iPhone iPad Android Windows Linux
PyTorch TensorFlow JAX Ray Kubernetes Docker GitHub Slack Notion Obsidian Excel Trainium TPU
AlphaGo AlphaZero MuZero AlphaFold AlphaCode AlphaTensor Sora Midjourney DALL-E Whisper CoWork
""")

# Head words that make a lowercase phrase generic rather than a concept.
GENERIC_HEADS = _words("""
post posts page pages name names member members olds forward
way ways thing things time times lot lots part parts kind kinds sort sorts point points people
person year years month months day days week weeks question questions idea ideas case cases fact
facts place places end ends side sides number numbers amount amounts bit bits piece pieces area
areas job jobs moment moments step steps term terms level levels type types example examples
reason reasons problem problems issue issues matter matters deal version versions line lines
percent world story stories conversation conversations interview interviews episode episodes
guest guests show shows team teams company companies others one ones stuff everything something
""")

# Modifiers that make a lowercase phrase generic when they start it.
GENERIC_MODIFIERS = _words("""
pretty good bad great nice cool favorite favourite serious live real number relevant
hundreds thousands millions billions dozens tons ton lots couple half hundred thousand
million billion trillion dozen
new old big small large huge massive first second third last next previous prior recent current
same other many much more most few several whole full entire different important major key main
top real good great best better bad worse high higher low lower long longer short early late
strong clear simple specific single certain particular various general common basic actual true
possible likely little own hard easy fast faster slow quick whole total overall additional
coming past future present today tomorrow yesterday every each such own nice huge tiny wide broad
clean internal external available similar previous final initial entire rare famous notable
significant remarkable ordinary everyday daily weekly monthly yearly annual useful interesting
exciting powerful potential critical central primary secondary
""")

NATIONALITIES = _words("""
American Chinese British English French German Indian Japanese Korean Russian Canadian European
Asian African Israeli Italian Spanish Dutch Swiss Swedish Australian Brazilian Mexican Iranian
""")

# Places are not among the kinds of page the compiler makes.
PLACES = _words("""
China India Japan Korea Russia France Germany Italy Spain Canada Mexico Brazil Israel Iran Taiwan
America Europe Asia Africa Australia UK US USA Texas California Dakota Memphis London Paris Tokyo
Beijing Shanghai Singapore Dubai Washington Seattle Boston Chicago Austin Zurich
England Scotland Wales Ireland Britain Pakistan Bangladesh Indonesia Vietnam Thailand Nigeria Kenya
Ghana Egypt Turkey Poland Ukraine Sweden Norway Denmark Finland Netherlands Belgium Portugal Greece
Austria Switzerland Argentina Chile Colombia Peru Berlin Madrid Rome Amsterdam Vienna Dublin
Edinburgh Manchester Toronto Vancouver Sydney Melbourne Mumbai Delhi Bangalore Karachi Lahore
Islamabad Cairo Lagos Nairobi Istanbul Moscow Seoul Osaka
""") | frozenset({"San Francisco", "Silicon Valley", "Palo Alto", "New York", "South Bay",
                  "North Dakota", "West Texas", "Bay Area", "Los Angeles", "United States",
                  "United Kingdom", "New Jersey", "Hong Kong", "Mountain View", "Menlo Park"})

# Honours and degrees written after a name: "Jane Marriott CMG OBE", "Ada Lovelace PhD".
POST_NOMINALS = _words("""
OBE MBE CBE KBE DBE GBE CMG KCMG GCMG CVO LVO KCVO GCVO CB KCB GCB QC KC MP MSP MEP FRS FRSE
PhD DPhil MD MBA MSc BSc MA BA Jr Jr. Sr Sr. III II IV
""")

# Number words: "two modules", "four clusters" are counts, not concepts.
NUMBER_WORDS = _words("""
one two three four five six seven eight nine ten eleven twelve twenty thirty forty fifty
hundred
""")

# Verbs that start or end a run of lower-case words in a sentence ("contains list", "provides
# relevant functions", "simulation starts"): such a run is a clause, not the name of an idea.
CLAUSE_VERBS = _words("""
contain contains provide provides store stores include includes use uses create creates define
defines return returns make makes allow allows support supports start starts walk walks run runs
need needs want wants get gets show shows give gives take takes taking bring brings consider
considers develop develops developing following follow follows call calls calling describe
describes describing enable enables let lets help helps keep keeps add adds adding read reads
write writes build builds implement implements implementing explain explains mean means seem
seems become becomes remain remains produce produces require requires represent represents
""")

# Adjectives that end a run of words without being part of a name: "pretty good", "really hard".
PLAIN_ADJECTIVES = _words("""
good bad great nice cool hard easy sure right wrong true fine happy sad glad weird funny crazy
""")
