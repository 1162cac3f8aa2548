"""Mechanical review of the vendored Spanish names and labels (pipelines/mappings/): what a translation must keep
and what it must not leave behind. A clinician reads "Paraplejía espástica 93" next to a differential, so a subtype
number, a roman numeral or a gene symbol lost in translation names another disease; an English word left in a
Spanish name is a row nobody translated. Meaning is reviewed by people; these checks catch the slips."""

import csv
import re
from collections import Counter
from pathlib import Path

import pytest

from common.io import latest
from knowledge_base.names import ORPHAN_MAPPING, TERMS_MAPPING

MAPPINGS = Path(__file__).resolve().parents[3] / "mappings"

_ROMAN = re.compile(r"^(L?X{0,3})(IX|IV|V?I{0,3})([A-Ha-h]?)$")  # a subtype letter may follow: IA, IId
_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50}
# Spanish spells small numbers out ("5th finger": "quinto dedo", "Molar I": "primer molar", "4-layered": "de cuatro
# capas"); "un"/"una" are left out, being articles as often
_SPELLED = {"primer": 1, "primero": 1, "primera": 1, "segundo": 2, "segunda": 2, "tercer": 3, "tercero": 3,
            "tercera": 3, "cuarto": 4, "cuarta": 4, "quinto": 5, "quinta": 5, "dos": 2, "tres": 3, "cuatro": 4,
            "cinco": 5, "seis": 6, "siete": 7, "ocho": 8, "nueve": 9, "diez": 10}  # fmt: skip
# words of English disease and finding names that Spanish never uses; eponyms and symbols do not contain them
_ENGLISH = re.compile(
    r"\b(syndrome|disease|deficiency|disorder|with|without|and|type|autosomal|linked|recessive|dominant|of|the|"
    r"due|familial|congenital|abnormal|abnormality|increased|decreased|susceptibility)\b",
    re.IGNORECASE,
)


def _roman(token: str) -> int | None:
    """'IV' -> 4, 'IA' -> 1, 'IId' -> 2 (a subtype letter after the numeral); None when the token is not one."""
    m = _ROMAN.match(token)
    if not m or not (m.group(1) + m.group(2)):
        return None
    if m.group(3).islower() and len(m.group(1) + m.group(2)) < 2:  # "Ig", "If": words as often as numerals
        return None
    digits, total = m.group(1) + m.group(2), 0
    for i, c in enumerate(digits):
        v = _VALUES[c]
        total += -v if i + 1 < len(digits) and _VALUES[digits[i + 1]] > v else v
    return total


def kept_numbers(name: str) -> Counter:
    """The numbers of a name, which a translation keeps: digit runs (of subtypes, genes, chromosome bands, sizes:
    "1.35-mb" and "1,35 Mb" alike), roman numerals ("type II" may become "tipo 2") and spelled-out ordinals."""
    out: Counter = Counter()
    # a separator after a digit is notation, not a number boundary: 46,XY / 46, XY / 46XY, 1.35 / 1,35, 115,000 /
    # 115 000
    text = re.sub(r"(?<=\d)[.,](?=\d)|(?<=\d), ?(?=[A-Z])|(?<=\d) (?=\d{3}\b)", "", name)
    for token in re.findall(r"[^\W_]+", text):
        if token.lower() in _SPELLED:
            out[str(_SPELLED[token.lower()])] += 1
        elif not re.search(r"\d", token) and (r := _roman(token)) is not None:
            out[str(r)] += 1
        else:
            out.update(re.findall(r"\d+", token))
    return out


def review(english: str, spanish: str) -> list[str]:
    problems = []
    if lost := kept_numbers(english) - kept_numbers(spanish):
        problems.append(f"loses {', '.join(sorted(lost))}")
    if word := _ENGLISH.search(spanish):
        problems.append(f"has the English word {word.group(0)!r}")
    return problems


# rows whose translation leaves a number out on purpose, with the reason
DELIBERATE = {
    # the age range is HPO's definition of the term; clinicians search and write "convulsión febril", and with the
    # range in the label the type-ahead offered Simple febrile seizure before it
    "HP:0002373": "Convulsión febril",
}


def _rows(pattern: str) -> list[dict]:
    with open(latest(MAPPINGS, pattern), encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.mark.parametrize(
    ("english", "spanish", "problem"),
    [
        (
            "Spastic paraplegia 93, autosomal recessive",
            "Paraplejía espástica autosómica recesiva",
            "loses 93",
        ),
        ("Osteogenesis imperfecta, type XVI", "Osteogénesis imperfecta tipo XV", "loses 16"),
        ("Mitochondrial DNA depletion syndrome 9", "Síndrome de depleción del ADN mitocondrial", "loses 9"),
        ("Epileptic encephalopathy, SCN1A-related", "Encefalopatía epiléptica", "loses 1"),
        ("Short 4th toe", "Quinto dedo del pie corto", "loses 4"),
        ("Noonan syndrome 9", "Noonan syndrome 9", "English word 'syndrome'"),
        ("Stickler syndrome, type I", "Síndrome de Stickler type I", "English word 'type'"),
    ],
)
def test_the_review_names_what_a_translation_lost_or_left(english, spanish, problem):
    assert any(problem in p for p in review(english, spanish))


@pytest.mark.parametrize(
    ("english", "spanish"),
    [
        ("Neurofibromatosis, type II", "Neurofibromatosis tipo 2"),
        ("Pseudohypoparathyroidism, type IA", "Pseudohipoparatiroidismo tipo IA"),
        ("Chromosome 22q11.2 deletion syndrome", "Síndrome de deleción 22q11.2"),
        ("Mental retardation, X-linked 30", "Discapacidad intelectual ligada al X 30"),
        (
            "Cerebellar ataxia, mental retardation, and dysequilibrium syndrome2",
            "Síndrome de ataxia cerebelosa 2",
        ),
        ("Chromosome 1q21.1 deletion syndrome, 1.35-mb", "Síndrome de deleción 1q21.1 de 1,35 Mb"),
        ("46, XY sex reversal 11", "Reversión sexual 46,XY 11"),
        (
            "Congenital disorder of glycosylation, type IID",
            "Trastorno congénito de la glicosilación tipo IId",
        ),
        (
            "Immunodeficiency with deficiency of 115,000 dalton glycoprotein",
            "... glucoproteína de 115 000 dalton",
        ),
        ("Short 5th finger", "Quinto dedo de la mano corto"),
    ],
)
def test_the_review_accepts_faithful_translations(english, spanish):
    assert review(english, spanish) == []


def test_the_vendored_orphan_names_keep_every_number_and_leave_no_english():
    problems = [
        f"{r['id']} {r['name']!r} -> {r['name_es']!r}: {p}"
        for r in _rows(ORPHAN_MAPPING)
        for p in review(r["name"], r["name_es"])
    ]
    assert problems == []


def test_the_vendored_term_labels_keep_every_number_and_leave_no_english():
    problems = [
        f"{r['hpo_id']} {r['hpo_label']!r} -> {r['label_es']!r}: {p}"
        for r in _rows(TERMS_MAPPING)
        if DELIBERATE.get(r["hpo_id"]) != r["label_es"]
        for p in review(r["hpo_label"], r["label_es"])
    ]
    assert problems == []
