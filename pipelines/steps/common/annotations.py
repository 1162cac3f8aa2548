"""Parsing of the HPO disease annotations (``phenotype.hpoa``) and ``genes_to_disease``.

Frequencies become numbers in [0, 1] and onset terms become age ranges in years, so the model can use them.
"""

from __future__ import annotations

import csv
import gzip
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

# HPO frequency classes -> midpoint of the class's range (https://hpo.jax.org/app/browse/term/HP:0040279).
FREQUENCY_CLASSES = {
    "HP:0040280": 1.0,  # Obligate
    "HP:0040281": 0.9,  # Very frequent (80-99%)
    "HP:0040282": 0.545,  # Frequent (30-79%)
    "HP:0040283": 0.17,  # Occasional (5-29%)
    "HP:0040284": 0.025,  # Very rare (1-4%)
    "HP:0040285": 0.0,  # Excluded (0%)
}
# When the annotation gives no frequency: HPO's own guidance treats it as unknown; 0.5 is the neutral choice.
DEFAULT_FREQUENCY = 0.5

# Onset terms (the children of HP:0003674 Onset) -> (earliest, latest) age in years; prenatal onsets are 0.
# pipelines/mappings/hpo-onset-years.v1.csv is the same table for the TypeScript side (a test keeps them equal).
ONSET_YEARS = {
    "HP:0030674": (0.0, 0.0),  # Antenatal
    "HP:0011460": (0.0, 0.0),  # Embryonal
    "HP:0011461": (0.0, 0.0),  # Fetal
    "HP:0034199": (0.0, 0.0),  # Late first trimester
    "HP:0034198": (0.0, 0.0),  # Second trimester
    "HP:0034197": (0.0, 0.0),  # Third trimester
    "HP:0003577": (0.0, 0.0),  # Congenital
    "HP:0003623": (0.0, 0.08),  # Neonatal
    "HP:0410280": (0.08, 16.0),  # Pediatric (before 16, neither congenital nor neonatal)
    "HP:0003593": (0.08, 1.0),  # Infantile
    "HP:0011463": (1.0, 5.0),  # Childhood
    "HP:0003621": (5.0, 15.0),  # Juvenile
    "HP:0003581": (16.0, 100.0),  # Adult
    "HP:0011462": (16.0, 40.0),  # Young adult
    "HP:0025708": (16.0, 19.0),  # Early young adult
    "HP:0025709": (19.0, 25.0),  # Intermediate young adult
    "HP:0025710": (25.0, 40.0),  # Late young adult
    "HP:0003596": (40.0, 60.0),  # Middle age
    "HP:0003584": (60.0, 100.0),  # Late
    "HP:4000040": (12.0, 50.0),  # Puerperal (childbirth; the ages are an approximation)
    "HP:6000314": (40.0, 55.0),  # Perimenopausal (approximate)
    "HP:6000315": (45.0, 100.0),  # Postmenopausal (approximate)
}


def parse_frequency(value: str) -> float:
    """HPO frequency term, ``n/m`` or ``x%`` -> probability in [0, 1]; empty -> DEFAULT_FREQUENCY."""
    value = value.strip()
    if not value:
        return DEFAULT_FREQUENCY
    if value in FREQUENCY_CLASSES:
        return FREQUENCY_CLASSES[value]
    if "/" in value:
        # n of m patients: Laplace's rule of succession, (n + 1) / (m + 2). "1/1" from a single case report is
        # weak evidence of an obligate finding; shrinking it raised time-split tuning top-1 from 0.161 to 0.179.
        # "0/m" stays 0: none of the patients had it, which HPO treats as an exclusion.
        n, m = (int(x) for x in value.split("/", 1))
        if m <= 0:
            return DEFAULT_FREQUENCY
        return 0.0 if n == 0 else min(1.0, (n + 1) / (m + 2))
    if value.endswith("%"):
        return min(1.0, float(value[:-1]) / 100.0)
    raise ValueError(f"unknown HPO frequency {value!r}")


@dataclass
class DiseaseAnnotations:
    id: str
    name: str
    # observed phenotype -> frequency (max over rows, after resolving ids)
    phenotypes: dict[str, float] = field(default_factory=dict)
    excluded: set[str] = field(default_factory=set)
    onset: list[tuple[float, float]] = field(default_factory=list)
    # the sex column of the phenotype rows, "" for a row without one (see ``limited_sex``)
    sexes: set[str] = field(default_factory=set)
    references: set[str] = field(default_factory=set)
    # phenotype -> the references that support it (for leakage-controlled evaluation)
    phenotype_references: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    # phenotype -> the sex column of its rows ("" for none): "Cryptorchidism" of Mowat-Wilson syndrome is "male"
    phenotype_sexes: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    def limited_sex(self) -> str | None:
        """The one sex the disease is described in: every phenotype row carries it (premature ovarian failure,
        spermatogenic failure). HPO's sex column qualifies a row, not the disease: Mowat-Wilson syndrome's
        cryptorchidism and hypospadias rows say "male", and taking that for the disease cost every girl with it the
        sex penalty (215 diseases were single-sex that way; 10 are in the 2025 release)."""
        return next(iter(self.sexes)) if len(self.sexes) == 1 and "" not in self.sexes else None

    def phenotype_sex(self, term: str) -> str | None:
        """The sex a phenotype is annotated for when every row of it names the same one, else None."""
        sexes = self.phenotype_sexes.get(term, set())
        return next(iter(sexes)) if len(sexes) == 1 and "" not in sexes else None


def read_hpoa(path: str | Path, resolve) -> tuple[str, dict[str, DiseaseAnnotations], list[str]]:
    """Reads ``phenotype.hpoa``. ``resolve`` maps an HPO id to its current id or None.

    Returns (version, diseases by id, unresolved term ids seen). Unresolved terms are reported, never silently lost.
    """
    version = "unknown"
    diseases: dict[str, DiseaseAnnotations] = {}
    unresolved: list[str] = []
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as fh:
        header_seen = False
        for raw in fh:
            if raw.startswith("#version:"):
                version = raw.split(":", 1)[1].strip()
                continue
            if raw.startswith("#") or not raw.strip():
                continue
            row = raw.rstrip("\n").split("\t")
            if not header_seen:
                header_seen = True
                if row[0] != "database_id":
                    raise ValueError(f"{path}: expected the phenotype.hpoa header, got {row[:3]}")
                continue
            if len(row) < 11:
                raise ValueError(f"{path}: annotation row has {len(row)} columns, expected 12: {row[:2]}")
            _add_row(diseases, row, resolve, unresolved)
    return version, diseases, unresolved


def _add_row(diseases, row, resolve, unresolved) -> None:
    did, name, qualifier, hpo_id, reference, _evidence, onset, frequency, sex, _mod, aspect = row[:11]
    disease = diseases.setdefault(did, DiseaseAnnotations(did, name))
    disease.references.add(reference)
    if onset in ONSET_YEARS:
        disease.onset.append(ONSET_YEARS[onset])
    if aspect == "C":
        if hpo_id in ONSET_YEARS:
            disease.onset.append(ONSET_YEARS[hpo_id])
        return
    if aspect != "P":
        return
    disease.sexes.add(sex.lower())
    term = resolve(hpo_id)
    if term is None:
        unresolved.append(hpo_id)
        return
    freq = parse_frequency(frequency)
    if qualifier == "NOT" or freq == 0.0:
        disease.excluded.add(term)
        return
    disease.phenotypes[term] = max(freq, disease.phenotypes.get(term, 0.0))
    disease.phenotype_references[term].add(reference)
    disease.phenotype_sexes[term].add(sex.lower())


def read_genes_to_disease(path: str | Path) -> dict[str, set[str]]:
    """disease id -> gene symbols; a locus NCBI gives no symbol ("-": imprinting centres, regulatory regions) goes by
    its NCBIGene id. Keyed by "-", the 11 diseases of seven such loci (Prader-Willi, Beckwith-Wiedemann,
    beta-thalassemia...) were each other's gene relatives, and a nameless disease borrowed their profiles."""
    genes: dict[str, set[str]] = defaultdict(set)
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            symbol = row["gene_symbol"].strip()
            genes[row["disease_id"]].add(row["ncbi_gene_id"] if symbol in ("", "-") else symbol)
    return dict(genes)
