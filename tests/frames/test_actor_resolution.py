"""Actors are who the text names: names beat roles, roles resolve by date, no guessing from bare names."""

import pandas as pd
import pytest

from analysis.frames import actor_patterns, find_actors


def found(text, published=None, lang="de", **options):
    corpus = pd.DataFrame({"doc_id": ["d"], "lang": [lang], "text": [text],
                           "published": pd.to_datetime([published])})
    return find_actors(corpus, **options)


def ids(text, published=None, lang="de", **options):
    result = found(text, published, lang, **options)
    return list(zip(result["actor_id"], result["mention"]))


@pytest.mark.parametrize(("text", "published", "expected"), [
    # an explicit name beats the role phrase next to it: one mention, the person named
    ("Der russische Präsident Boris Jelzin trat an Silvester zurück.", "2024-12-31",
     [("boris_yeltsin", "Boris Jelzin")]),
    ("Der ukrainische Präsident Viktor Juschtschenko reiste nach Brüssel.", "2024-05-01",
     [("viktor_yushchenko", "Viktor Juschtschenko")]),
    ("Ministerpräsident Ariel Scharon ordnete den Rückzug an.", "2005-08-15", [("ariel_sharon", "Ariel Scharon")]),
    ("Präsident Hu Jintao empfing den Gast.", "2024-01-10", [("hu_jintao", "Hu Jintao")]),
    ("Der russische Präsident Wladimir Putin drohte.", "2023-03-01", [("vladimir_putin", "Wladimir Putin")]),
    ("Putin, der russische Präsident, drohte.", "2023-03-01", [("vladimir_putin", "Putin")]),
    ("US-Präsident Joe Bidens Rede", "2023-03-01", [("joe_biden", "Joe Bidens")]),
    # a role phrase not next to the name still counts, as its holder on that day
    ("Selenskyj traf den russischen Präsidenten nicht.", "2023-03-01",
     [("volodymyr_zelenskyy", "Selenskyj"), ("vladimir_putin", "russischen Präsidenten")]),
])
def test_an_explicit_name_beats_a_role_phrase(text, published, expected):
    assert ids(text, published) == expected


@pytest.mark.parametrize(("text", "published", "expected"), [
    ("Der ukrainische Präsident reiste nach Brüssel.", "2005-06-01", "viktor_yushchenko"),
    ("Der ukrainische Präsident reiste nach Brüssel.", "2023-02-20", "volodymyr_zelenskyy"),
    ("Der israelische Ministerpräsident kündigte den Abzug an.", "2005-08-15", "ariel_sharon"),
    ("Der Kremlchef sprach vor der Duma.", "2010-04-01", "dmitry_medvedev"),
    ("Der Kremlchef sprach vor der Duma.", "2015-04-01", "vladimir_putin"),
    ("Die Bundeskanzlerin äußerte sich besorgt.", "2015-09-05", "angela_merkel"),
    ("Bundeskanzler und Bundespräsident reisten nach Kiew.", "2022-10-25", "olaf_scholz"),
    ("Der UN-Generalsekretär rief zur Waffenruhe auf.", "2006-07-20", "kofi_annan"),
    ("Der US-Präsident wurde vereidigt.", "2021-01-20", "joe_biden"),  # the successor's first day
    ("Der US-Präsident verließ das Amt.", "2021-01-19 23:00", "donald_trump"),
    ("Der nordkoreanische Machthaber ließ Raketen testen.", "2009-04-05", "kim_jong_il"),
    ("Irans Revolutionsführer warnte.", "2020-01-08", "ali_khamenei"),
    ("The Russian president met the Chinese premier.", "2006-06-01", "vladimir_putin"),
])
def test_a_role_phrase_is_the_holder_on_the_documents_date(text, published, expected):
    lang = "en" if text.startswith("The") else "de"
    assert ids(text, published, lang)[0][0] == expected


def test_without_a_date_a_role_stays_unresolved_never_todays_holder():
    corpus = pd.DataFrame({"doc_id": ["a", "b"], "lang": ["de", "en"],
                           "text": ["Der US-Präsident droht Nordkorea.", "The US president threatens North Korea."],
                           "published": pd.to_datetime([None, None])})
    result = find_actors(corpus)
    assert result[["actor_id", "actor", "kind"]].values.tolist() == [
        ["role:us_president", "US-Präsident", "role"], ["north_korea", "Nordkorea", "name"],
        ["role:us_president", "US president", "role"], ["north_korea", "North Korea", "name"]]
    no_column = find_actors(corpus.drop(columns="published"))
    assert no_column["actor_id"].tolist() == result["actor_id"].tolist()
    dated = find_actors(corpus.assign(published=pd.Timestamp("2019-01-01")))
    assert dated["actor_id"].tolist()[0] == "donald_trump"
    assert find_actors(corpus.assign(published=pd.Timestamp("2019-01-01")), date_col=None)["actor_id"].tolist()[0] \
        == "role:us_president"
    with pytest.raises(KeyError, match="no column 'datum'.*date_col=None"):
        find_actors(corpus, date_col="datum")


@pytest.mark.parametrize(("text", "expected"), [
    # a bare name that several people share needs the full name, or a full mention before it
    ("Der britische Botschafter Kim Darroch trat zurück.", []),
    ("Der Ungar Attila Kim gewann das Rennen.", []),
    ("Kim Jong-il starb im Dezember.", [("kim_jong_il", "Kim Jong-il")]),
    ("Kim Jong Un besuchte Wladiwostok. Kim lobte Putin.",
     [("kim_jong_un", "Kim Jong Un"), ("kim_jong_un", "Kim"), ("vladimir_putin", "Putin")]),
    ("Kim Jong Il und Kim Dae-jung trafen sich. Kims Gast kam aus Seoul.",
     [("kim_jong_il", "Kim Jong Il"), ("kim_dae_jung", "Kim Dae-jung"), ("kim_dae_jung", "Kims")]),
    ("Lech Kaczyński starb, sein Bruder Jarosław Kaczyński trauerte. Kaczyński sprach.",
     [("lech_kaczynski", "Lech Kaczyński"), ("jaroslaw_kaczynski", "Jarosław Kaczyński"),
      ("jaroslaw_kaczynski", "Kaczyński")]),
    ("May sagte ab. Theresa May kam, May sprach.", [("theresa_may", "Theresa May"), ("theresa_may", "May")]),
    # compounds are not mentions
    ("Auf dem Kim-Il-Sung-Platz marschierten Soldaten.", []),
    ("Der Kurs des US-Dollar stieg, die Berliner Mauer fiel.", []),
    # a federal government is not Germany's unless the text says so (Austria has one too)
    ("Die Bundesregierung in Wien beschloss das Durchgriffsrecht.", []),
    ("Die deutsche Bundesregierung beschloss Hilfen.", [("germany", "deutsche Bundesregierung")]),
    # names inside titles of media are not the state
    ("Die Washington Post berichtete aus dem Weißen Haus.", [("usa", "Weißen Haus")]),
    ("Bei der Tour de France gewann er 26 Etappen, sagte Radio France Internationale.", []),
    # a leader's family members share the surname but are not the leader
    ("Barbara Bush, the former first lady and Jeb Bush's mother, praised Bush.", [("george_w_bush", "Bush")]),
    ("Melania Trump und Donald Trump Jr. begleiteten Trump.", [("donald_trump", "Trump")]),
    ("Hunter Biden testified; Joe Biden declined to comment.", [("joe_biden", "Joe Biden")]),
    # one mention per span
    ("Die russische Regierung und die russische Armee", [("russia", "russische Regierung"),
                                                          ("russian_armed_forces", "russische Armee")]),
])
def test_bare_names_compounds_and_media_titles(text, expected):
    assert ids(text) == expected


def test_the_people_of_issue_15_are_known():
    text = "Merkel, Scholz, Schröder, Bush und Obama trafen Jelzin, Juschtschenko und Scharon."
    assert [i for i, _ in ids(text)] == ["angela_merkel", "olaf_scholz", "gerhard_schroeder", "george_w_bush",
                                         "barack_obama", "boris_yeltsin", "viktor_yushchenko", "ariel_sharon"]


def test_capital_cities_are_an_opt_in_kind_of_mention():
    text = "Berlin hat ca. 900 km². Moskau und Washington verhandeln, die Washington Post schweigt."
    assert ids(text) == []
    result = found(text, metonyms=True)
    assert result[["actor", "kind", "mention"]].values.tolist() == [
        ["Deutschland", "metonym", "Berlin"], ["Russland", "metonym", "Moskau"], ["USA", "metonym", "Washington"]]


def test_display_names_follow_the_documents_language_and_ids_are_stable():
    german = found("Selenskyj und Russland, der Kreml und die Hisbollah.")
    english = found("Zelenskyy and Russia, the Kremlin and Hezbollah.", lang="en")
    assert german["actor_id"].tolist() == english["actor_id"].tolist() == [
        "volodymyr_zelenskyy", "russia", "russia", "hezbollah"]
    assert german["actor"].tolist() == ["Selenskyj", "Russland", "Russland", "Hisbollah"]
    assert english["actor"].tolist() == ["Zelenskyy", "Russia", "Russia", "Hezbollah"]
    assert list(english.columns) == ["doc_id", "actor", "mention", "start", "end", "actor_id", "kind"]


def test_actor_patterns_by_any_display_name_or_role():
    assert "Wolodymyr Selenskyj" in actor_patterns("Zelenskyy")
    assert actor_patterns("volodymyr_zelenskyy") == actor_patterns("Selenskyj")
    assert actor_patterns("russischer Präsident") == actor_patterns("role:ru_president")
    assert "Kremlchef" in actor_patterns("role:ru_president")
    with pytest.raises(KeyError, match="neither an actor nor an office"):
        actor_patterns("Bismarck")
