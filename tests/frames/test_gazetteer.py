"""The actor gazetteer: bundled terms of office, user YAML with the same features, clear errors."""

from datetime import date

import pandas as pd
import pytest

from analysis.frames import find_actors, load_actors
from analysis.frames.gazetteer import bundled_gazetteer, expand_pattern, load_gazetteer

BAVARIA = """
offices:
  by_minister_president:
    name: {de: bayerischer Ministerpräsident, en: Bavarian premier}
    state: germany
    roles: ["bayerische(n) Ministerpräsident(en)", "Bavarian premier"]
actors:
  horst_seehofer:
    type: person
    name: Seehofer
    patterns: ["Horst Seehofer"]
    terms: [{office: by_minister_president, from: 2008-10-27, to: 2018-03-13}]
  markus_soeder:
    type: person
    name: {de: Söder, en: Soeder}
    patterns: ["Markus Söder"]
    terms: [{office: by_minister_president, from: 2018-03-16}]
"""


@pytest.mark.parametrize(("office", "day", "holder"), [
    ("ru_president", "2000-06-01", "vladimir_putin"), ("ru_president", "2009-06-01", "dmitry_medvedev"),
    ("ua_president", "2014-04-01", "oleksandr_turchynov"), ("ua_president", "2016-01-01", "petro_poroshenko"),
    ("il_prime_minister", "2001-03-06", "ehud_barak"), ("il_prime_minister", "2022-08-01", "yair_lapid"),
    ("cn_president", "2012-01-01", "hu_jintao"), ("kp_leader", "2012-01-01", "kim_jong_un"),
    ("uk_prime_minister", "2022-10-01", "liz_truss"), ("de_chancellor", "2025-05-06", "friedrich_merz"),
    ("nato_secretary_general", "2024-10-01", "mark_rutte"), ("eu_commission_president", "2010-01-01",
                                                            "jose_manuel_barroso"),
    ("sy_president", "2024-12-20", "ahmed_al_sharaa"), ("tr_prime_minister", "2010-01-01", "recep_tayyip_erdogan"),
    ("hamas_leader", "2025-01-01", None), ("us_president", "1992-06-01", None),
])
def test_bundled_terms_of_office(office, day, holder):
    assert bundled_gazetteer().holder(office, date.fromisoformat(day)) == holder


def test_users_extend_the_gazetteer_with_offices_roles_and_terms(tmp_path):
    path = tmp_path / "bayern.yaml"
    path.write_text(BAVARIA, encoding="utf-8")
    corpus = pd.DataFrame({"doc_id": ["a", "b", "c"], "lang": ["de", "de", "en"],
                           "published": pd.to_datetime(["2015-05-01", "2020-05-01", "2020-05-01"]),
                           "text": ["Der bayerische Ministerpräsident traf Merkel.",
                                    "Der bayerische Ministerpräsident traf Merkel.", "The Bavarian premier spoke."]})
    result = find_actors(corpus, path)
    assert result[["actor_id", "actor"]].values.tolist() == [
        ["horst_seehofer", "Seehofer"], ["angela_merkel", "Merkel"], ["markus_soeder", "Söder"],
        ["angela_merkel", "Merkel"], ["markus_soeder", "Soeder"]]
    path.write_text(BAVARIA.replace("state: germany", ""), encoding="utf-8")  # alone: no state Germany
    assert set(load_actors(path, extend=False)) == {"Seehofer", "Söder"}
    alone = find_actors(corpus, load_gazetteer(path, extend=False))
    assert alone["actor_id"].tolist() == ["horst_seehofer", "markus_soeder", "markus_soeder"]
    assert "Merkel" in load_actors(path)


def test_a_user_entry_named_like_a_bundled_actor_replaces_it():
    gazetteer = load_gazetteer({"Putin": ["Putin", "Wowa"]})
    assert gazetteer.actors["vladimir_putin"].patterns == ("Putin", "Wowa")
    assert gazetteer.display("vladimir_putin", "en") == "Putin"
    assert gazetteer.holder("ru_president", date(2020, 1, 1)) == "vladimir_putin"


@pytest.mark.parametrize(("entry", "message"), [
    ({"actors": {"x": {"patern": ["X"]}}}, r"actor 'x': unknown key\(s\) \['patern'\]; allowed are"),
    ({"actors": {"x": {"patterns": ["X"], "terms": [{"office": "us_president", "from": "2018-13-01"}]}}},
     r"actor 'x', term 1 'from': '2018-13-01' is not a date; write YYYY-MM-DD"),
    ({"actors": {"x": {"patterns": ["X"], "terms": [{"office": "us_president", "from": "2018"}]}}},
     r"is not a date"),
    ({"actors": {"x": {"patterns": ["X"], "terms": [{"office": "mayor", "from": "2018-01-01"}]}}},
     r"actor 'x': office 'mayor' is not defined under 'offices'"),
    ({"actors": {"x": {"patterns": ["X"], "terms": [{"office": "us_president", "from": "2018-02-01",
                                                     "to": "2018-01-01"}]}}}, r"ends \(2018-01-01\) before it starts"),
    ({"actors": {"x": {"patterns": ["X"], "terms": [{"office": "us_president", "from": "2018-02-01"}]}}},
     r"office 'us_president': the terms of .* overlap"),
    ({"actors": {"x": {"type": "army", "patterns": ["X"]}}}, r"type must be one of"),
    ({"offices": {"o": {"name": "O", "state": "atlantis"}}}, r"office 'o': state 'atlantis' is not an actor id"),
    ({"actor": {"x": ["X"]}, "offices": {}}, r"unknown key\(s\) \['actor'\]"),
])
def test_bad_user_yaml_is_named_clearly(entry, message):
    with pytest.raises(ValueError, match=message):
        load_gazetteer(entry)


def test_optional_parts_and_month_dates():
    assert expand_pattern("Wagner-Kämpfer(n)") == ["Wagner-Kämpfer", "Wagner-Kämpfern"]
    gazetteer = load_gazetteer({"offices": {"mayor": {"name": "Bürgermeister", "roles": ["Bürgermeister"]}},
                                "actors": {"x": {"patterns": ["Xaver"], "terms": [{"office": "mayor", "from": "2030-05"}]}}})
    assert gazetteer.holder("mayor", date(2030, 5, 1)) == "x"
    assert gazetteer.holder("mayor", date(2030, 4, 30)) is None
