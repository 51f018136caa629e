"""General English word lists the entity rules use: titles, organisation and place words,
kinship and interjections. None is about any particular text."""

from __future__ import annotations


def word_set(s: str) -> frozenset[str]:
    return frozenset(s.split())


#: Titles written as abbreviations: never a name on their own.
TITLE_ABBREVS = word_set(
    "mr mrs ms mx dr prof gen brig col lt ltc maj capt cpt cmdr cdr adm sgt cpl pvt gov sen "
    "rep pres supt insp rev fr hon amb atty sec lieut msgr admin pm"
)
#: Titles written in full. Stripped from the front of a PERSON span; a span that is only
#: these is dropped when a name follows it ("President" in "President Jane Roe").
TITLE_WORDS = word_set(
    "mister madam doctor professor sir dame lord lady general brigadier colonel lieutenant "
    "major captain commander admiral sergeant corporal private governor senator "
    "representative congressman congresswoman president vice premier chancellor minister "
    "secretary ambassador envoy judge justice king queen prince princess emperor empress "
    "pope sheikh sheik cardinal bishop archbishop rabbi imam reverend father mayor chairman "
    "chairwoman chairperson chief deputy commissioner inspector superintendent detective "
    "officer spokesman spokeswoman spokesperson rapporteur director prime acting former "
    "foreign defense defence interior finance attorney state special marshal field "
    "counsel coach striker midfielder defender goalkeeper chair ceo councillor councilor "
    "councilman councilwoman alderman sheriff dean trustee"
)
#: Words that head an organisation's name ("... Agency", "Ministry of ...").
ORG_WORDS = word_set(
    "agency administration alliance army assembly association authority board bureau "
    "cabinet caucus command commission committee company congress corp corporation council "
    "court department directorate federation force forces foundation front fund group guard "
    "inc institute institution league ltd llc ministry movement navy office organisation "
    "organization parliament party plc police secretariat senate service services society "
    "tribunal trust union university college school academy network corps coalition "
    "brigade brigades militia regiment battalion division bank airlines airways "
    "news times post press radio television club team holdings united rovers wanderers "
    "athletic fc afc farms foods industries motors systems technologies laboratories labs "
    "partners pharmaceuticals enterprises studios media communications insurance"
)
#: Words after a company's short name in its full name ("Acme" is "Acme Holdings").
COMPANY_SUFFIXES = word_set(
    "holdings group inc corp corporation co company ltd limited plc llc lp ag sa nv ab "
    "asa gmbh spa se bv oy oyj kk bhd pty"
)
#: Head words that also end places' names ("West Bank", "Soviet Union"): they mark an
#: organisation only in a name of three words or more ("Amalgamated Farmers Union").
WEAK_ORG_WORDS = word_set("union bank division front group")
#: Things that belong to a person or a government, never to a company or a party:
#: "the <Name> government", "<Name>'s administration", "<Name>'s wife".
RULER_NOUNS = ("government", "administration", "regime", "presidency", "cabinet")
PERSONAL_NOUNS = RULER_NOUNS + (
    "secretary of state", "chief of staff", "wife", "husband", "widow", "widower",
    "son", "daughter", "mother", "father", "brother", "sister", "grandson",
    "granddaughter", "campaign", "re-election", "reelection", "impeachment",
)
#: Lowercase words that may sit inside a name ("Bank of England", "Sisters of Mercy").
NAME_FILLERS = word_set(
    "of the and for on in at de del la le du da di dos das van von der den y bin ibn al el"
)
#: Capitalised words from the title list that also modify other names ("State", "Field").
NOT_TITLES_BEFORE = word_set("state field special foreign acting former private prime")

#: Lowercase roles written right before a person's name ("spokesman Jo Bloggs").
ROLE_NOUNS = word_set(
    "spokesman spokeswoman spokesperson manager coach chairman chairwoman president "
    "director minister secretary executive officer chief leader founder lawyer attorney "
    "striker midfielder defender goalkeeper captain analyst economist professor ambassador "
    "envoy commander general senator governor mayor judge prosecutor journalist author "
    "actor actress singer head premier rapporteur adviser advisor aide deputy "
    "chancellor candidate"
)

#: Words that make a byline's name a desk or a wire service, not a person.
BYLINE_NOT_PEOPLE = word_set("staff desk reporters reporter correspondent correspondents "
                            "editors editor team wire wires newsroom writers")

# Titles that are part of who a person is. "Mr. Harlow" and "Mrs. Harlow" are two people,
# "Miss Vane" is not "Mr. Vane"; each says whether its bearer is a man or a woman.
#: Courtesy titles and ranks of men, folded (no dot).
MALE_TITLES = word_set(
    "mr mister master sir lord monsieur prince count baron duke marquis marquess earl "
    "viscount uncle squire"
)
#: Courtesy titles and ranks of women, folded (no dot).
FEMALE_TITLES = word_set(
    "mrs ms miss mx lady dame madam madame mme mademoiselle mlle princess countess baroness "
    "duchess marchioness viscountess aunt"
)
#: Ranks that tell apart people of one surname ("Colonel Sennet", "Mrs. Sennet"); unlike
#: offices (President, Minister) they stay part of a surname-only name.
RANK_TITLES = word_set(
    "colonel col captain capt lieutenant lt major maj dr doctor professor prof rev reverend "
    "sergeant sgt corporal admiral commodore"
)
#: Family titles written with a given name as well as a surname ("Lady Maud",
#: "Sir Tobin", "Miss Orla"); Mr., Mrs. and the ranks go with a surname.
GIVEN_NAME_TITLES = word_set(
    "miss lady sir lord master prince princess count countess madame mademoiselle mlle "
    "monsieur dame aunt uncle"
)
#: How a folded title is written in a row's name.
TITLE_SPELLING = {"mr": "Mr.", "mrs": "Mrs.", "ms": "Ms.", "mx": "Mx.", "dr": "Dr.",
                  "mme": "Mme", "mlle": "Mlle", "col": "Col.", "capt": "Capt.",
                  "lt": "Lt.", "maj": "Maj.", "prof": "Prof.", "rev": "Rev.", "sgt": "Sgt."}
#: Words said to or about someone that are not names: kinship and forms of address.
KINSHIP_AND_ADDRESS = word_set(
    "papa mamma mama mamá ma pa mum mom mummy mommy dad daddy father mother aunt auntie "
    "uncle grandmamma grandmama grandpapa grandmother grandfather granny grandma grandpa "
    "brother sister cousin nurse nanny sir madam ma'am maam madame monsieur mademoiselle "
    "miss mister master lord lady ladyship lordship majesty highness excellency honour "
    "honor sire dear darling sweetheart heaven heavens god lord missis missus"
)
#: Interjections and sentence openers that the model takes for names at a sentence start.
INTERJECTIONS = word_set(
    "oh o ah aha alas well yes no nay yea aye pray hush hey hello hallo halloo hm hmm indeed "
    "why what ay oho ha hah haha hurrah hurray bravo amen ugh eh ahem lo behold adieu "
    "farewell goodbye good-bye thanks please sorry ok okay true nonsense fie pooh pshaw "
    "bah tut alack mercy"
)
#: Last words of a place's name ("Fenwick Street", "Brant Lodge", "Kestrel County").
PLACE_WORDS = word_set(
    "street st road rd lane avenue ave boulevard square place park lodge hall house manor "
    "abbey castle cottage court gardens garden bridge river lake mountain mountains mount "
    "hill hills valley forest wood woods island islands bay sea ocean gulf strait county "
    "shire province district region city town village parish harbour harbor port "
    "crescent terrace row heath moor common green field fields cathedral church chapel "
    "palace tower square plaza peninsula desert coast canal creek falls springs beach "
    "brook beck stream marsh fen downs"
)
#: Verbs of speech after a quotation and before a name mark a person (“…,” said Ilse).
SPEECH_VERBS = word_set(
    "said says say cried replied answered asked exclaimed returned continued added "
    "whispered observed remarked rejoined interrupted shouted muttered murmured sighed "
    "laughed smiled thought told wrote declared insisted repeated began called screamed "
    "sobbed groaned stammered protested explained inquired enquired demanded"
)
#: Verbs after a name that only people do: "Ilse cried", "Tamsin smiled" (a company too
#: "says" and "adds", so those are left out).
PERSONAL_VERBS = word_set(
    "cried replied answered exclaimed rejoined interrupted whispered muttered murmured "
    "sighed laughed smiled shouted screamed sobbed groaned stammered blushed nodded "
    "hesitated coloured colored wept frowned shrugged"
)
#: The portfolio words of offices and ministries ("Secretary of Homeland Security",
#: "Minister of Digital Transformation"): never part of the office holder's name.
PORTFOLIO_WORDS = word_set(
    "affairs agriculture commerce communications culture defence defense development "
    "digital economy economic education energy environment finance fisheries foreign "
    "health homeland housing human infrastructure interior justice labor labour migration "
    "national navy army public restoration rights security state trade transformation "
    "transport transportation treasury veterans welfare women youth sport sports tourism "
    "industry innovation science technology planning resources relations cooperation "
    "integration reconstruction internal external legal policy strategy intelligence "
    "emergency management operations population unit regional local social family "
    "children climate water food rural urban land natural"
)
#: Offices that end a role's name and never a person's ("Legal Counselor").
OFFICE_TAILS = word_set(
    "secretary minister spokesperson spokesman spokeswoman administrator ambassador "
    "commissioner undersecretary counselor counsellor advisor adviser director president "
    "governor senator chairman chairwoman chairperson ceo premier envoy representative "
    "deputy mayor officer attorney prosecutor commander chief"
)
#: Suffixes after a surname: "Lloyd J. Austin III" is still Austin.
NAME_SUFFIXES = word_set("jr jr. sr sr. ii iii iv v junior senior")
