import gzip

from common.annotations import read_genes_to_disease, read_hpoa

HEADER = "database_id\tdisease_name\tqualifier\thpo_id\treference\tevidence\tonset\tfrequency\tsex\tmodifier\taspect\tbiocuration\n"


def _row(disease, term, sex="", aspect="P", qualifier=""):
    return f"{disease}\tName\t{qualifier}\t{term}\tPMID:1\tPCS\t\t\t{sex}\t\t{aspect}\tHPO:x\n"


def test_the_sex_column_qualifies_a_row_and_makes_a_disease_single_sex_only_when_every_row_has_it(tmp_path):
    # GIVEN Mowat-Wilson-like rows (cryptorchidism for males, seizures for everyone), an ovarian failure whose every
    # phenotype row is female (its inheritance row has no sex), and a NOT row without a sex
    path = tmp_path / "phenotype.hpoa"
    path.write_text(
        "#version: test\n"
        + HEADER
        + _row("OMIM:1", "HP:0000028", "MALE")
        + _row("OMIM:1", "HP:0001250")
        + _row("OMIM:2", "HP:0008209", "FEMALE")
        + _row("OMIM:2", "HP:0000006", aspect="I")
        + _row("OMIM:3", "HP:0000028", "MALE")
        + _row("OMIM:3", "HP:0001250", qualifier="NOT"),
        encoding="utf-8",
    )
    _, diseases, _ = read_hpoa(path, lambda t: t)
    # THEN only the disease described in one sex throughout is single-sex
    assert [diseases[d].limited_sex() for d in ("OMIM:1", "OMIM:2", "OMIM:3")] == [None, "female", None]
    # AND the male-only row stays known at the phenotype level
    assert diseases["OMIM:1"].phenotype_sex("HP:0000028") == "male"
    assert diseases["OMIM:1"].phenotype_sex("HP:0001250") is None


def test_a_locus_without_a_gene_symbol_goes_by_its_ncbi_id_so_unrelated_loci_are_not_relatives(tmp_path):
    path = tmp_path / "genes_to_disease.txt.gz"
    rows = [
        "ncbi_gene_id\tgene_symbol\tassociation_type\tdisease_id\tsource",
        "NCBIGene:105259599\t-\tMENDELIAN\tOMIM:130650\tmim2gene",
        "NCBIGene:7467\t-\tMENDELIAN\tOMIM:194190\tmim2gene",
        "NCBIGene:6335\tSCN9A\tMENDELIAN\tOMIM:243000\tmim2gene",
    ]
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        fh.write("\n".join(rows) + "\n")

    genes = read_genes_to_disease(path)

    assert genes == {
        "OMIM:130650": {"NCBIGene:105259599"},
        "OMIM:194190": {"NCBIGene:7467"},
        "OMIM:243000": {"SCN9A"},
    }
