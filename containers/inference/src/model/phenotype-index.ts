import type { VocabularyTerm } from './package-types';
import { QUERY_GLOSSARIES } from './query-glossary';

export interface PhenotypeMatch {
  readonly id: string;
  readonly label: string;
  /** The term's label per other language, where the package has one (`es`). */
  readonly labels?: Readonly<Record<string, string>>;
  /** The label or synonym that matched the query (what the user typed may be a layperson word). */
  readonly matched: string;
  readonly matchedKind: 'label' | 'synonym' | 'layperson' | 'id';
}

type Kind = PhenotypeMatch['matchedKind'];

/** What the index searches: HPO terms, or catalog diseases (name, other names, xrefs and genes as synonyms). */
export type SearchEntry = Pick<VocabularyTerm, 'id' | 'label' | 'synonyms' | 'layperson' | 'translations'>;

/** A term's labels in other languages, for display, or undefined when it has none. */
export function otherLabels(t: SearchEntry): Record<string, string> | undefined {
  const entries = Object.entries(t.translations ?? {}).flatMap(([lang, tr]) => (tr ? [[lang, tr.label]] : []));
  return entries.length ? Object.fromEntries(entries) : undefined;
}

/** Lower case without diacritics, so 'fiebre', 'Fièvre' and 'FIEVRE' compare equal. */
export function normalizeText(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

function words(text: string): string[] {
  return normalizeText(text)
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

/**
 * What a query word must start a name's word with. Spanish nouns and adjectives change their ending with gender and
 * number: a clinician types "aneurisma aórtico", "quistes renales" or "pies planos" where the label says "aórtica",
 * "renal" and "Pie plano". A word of five letters or more loses its final vowel or plural ending when four letters
 * or more remain (which also lets "seizures" find Seizure); otherwise a word of four letters or more loses only a
 * plural s after a vowel ("pies", "manos"); a shorter word keeps its ending, so "ano" does not become "an".
 * A word with a digit is a gene symbol, an id or a number, never a Spanish noun: it keeps its ending, or "scn1a"
 * would become "scn1" and rank Brugada syndrome (SCN1B) before Dravet syndrome (SCN1A).
 */
export function matchKey(word: string): string {
  if (/\d/.test(word)) return word;
  const stem = word.replace(/(?:os|as|es|o|a|e|s)$/, '');
  if (word.length >= 5 && stem.length >= 4) return stem;
  return word.length >= 4 && /[aeiou]s$/.test(word) ? word.slice(0, -1) : word;
}

/**
 * Per query word, what a name's word may start with: its match key, in a language with a glossary the English words
 * it stands for (query-glossary.ts), and for a number its roman numeral as a whole word. The language's stopwords
 * are dropped unless nothing else is left.
 */
export function queryAlternatives(qWords: readonly string[], lang: string): Alternative[][] {
  const glossary = GLOSSARIES.get(lang);
  const meaningful = glossary ? qWords.filter((w) => !glossary.stopwords.has(w)) : qWords;
  return (meaningful.length ? meaningful : qWords).map((w) => {
    const key = matchKey(w);
    const english = glossary?.words.get(key) ?? [];
    const roman = ROMAN[Number(w)];
    return [
      { prefix: key },
      ...english.map(matchKey).flatMap((e) => (e === key ? [] : [{ prefix: e }])),
      // OMIM writes "type I" where a clinician types "tipo 1"; a whole word only, or "1" would match every "i..."
      ...(/^\d+$/.test(w) && roman ? [{ prefix: roman, whole: true }] : []),
    ];
  });
}

/**
 * Whether a name starts with the query word by word, endings aside: "Quiste renal" starts with "quistes renales" as
 * "Quistes renales múltiples" does, so the shorter, exact term is not ranked below its longer kin.
 */
function startsWithKeys(nameWords: readonly string[], keys: readonly string[]): boolean {
  return keys.length <= nameWords.length && keys.every((k, i) => nameWords[i].startsWith(k));
}

/** A prefix a name's word may start with, or, `whole`, must equal. */
export interface Alternative {
  readonly prefix: string;
  readonly whole?: boolean;
}

const ROMAN = ['', 'i', 'ii', 'iii', 'iv', 'v', 'vi', 'vii', 'viii', 'ix', 'x', 'xi', 'xii'];

const matches = (word: string, a: Alternative) => (a.whole ? word === a.prefix : word.startsWith(a.prefix));

/**
 * The glossaries by language, their words keyed by match key, so a plural or the other gender ("distrofias",
 * "congénito") finds its entry. Maps, not the object literals: a query word such as "constructor" must not find
 * Object.prototype's.
 */
const GLOSSARIES = new Map(
  Object.entries(QUERY_GLOSSARIES).map(([lang, g]) => [
    lang,
    {
      words: new Map(Object.entries(g.words).map(([w, english]) => [matchKey(w), english])),
      stopwords: new Set(g.stopwords),
    },
  ]),
);

interface Name {
  readonly term: number;
  readonly text: string;
  /** `words(text)`, computed once: tokenizing every candidate on every keystroke was most of a search's cost. */
  readonly words: readonly string[];
  readonly kind: Kind;
  /** The name's language; null for ids and gene symbols, which read the same in every language. */
  readonly lang: string | null;
  /** The entry's label in that language (a translated label is matched as a synonym but ranks as a label). */
  readonly isLabel: boolean;
}

/** Queries of at most this many characters (normalized) are ranked once and kept, with this many results. */
const SHORT_QUERY = 2;
const SHORT_QUERY_RESULTS = 50;

/** The language of labels, synonyms and layperson words in HPO and the catalog. */
export const SOURCE_LANGUAGE = 'en';

/**
 * Ranking, lower first. A name that starts with the query beats one that only contains it (1000); a name in the
 * clinician's language beats a name in another (50), a label beats a synonym (25), a short name a long one (1 per
 * character, up to 99). Popular terms rise: 15 per decade of catalog diseases annotated with the term, so for
 * "convulsi" a Spanish clinician sees Seizure (about 2,000 diseases, its Spanish synonym "Convulsión") before Convulsive
 * status epilepticus (8 diseases), whose English label merely starts with the same letters.
 */
const RANK = { notPrefix: 1000, otherLanguage: 50, notLabel: 25, maxLength: 99, perDecade: 15 } as const;

export interface IndexOptions {
  /** Per entry, how many catalog diseases are annotated with it (how often clinicians need it). */
  readonly popularity?: readonly number[];
  /** Per entry, synonyms that are ids or symbols (a disease's xrefs and genes): ranked alike in every language. */
  readonly neutral?: readonly (readonly string[])[];
  /** Other ids of an entry (an HPO term's alternative and obsolete ids) -> its id: an exact one finds the entry. */
  readonly aliases?: ReadonlyMap<string, string>;
}

/**
 * Type-ahead over labels, synonyms and layperson synonyms, built once per model package: a sorted word list answers
 * the prefix of the query's first word by binary search, then the other words filter the candidates. Each keystroke
 * costs O(log words + candidates), not a scan of the vocabulary.
 */
export class PhenotypeIndex {
  private readonly names: Name[] = [];
  private readonly words: { word: string; name: number }[] = [];
  private readonly byId = new Map<string, number>();
  private readonly aliases: ReadonlyMap<string, string>;
  private readonly bonus: number[];
  /** Rankings of the one- and two-letter queries that match something, per language. */
  private readonly short = new Map<string, PhenotypeMatch[]>();

  constructor(
    private readonly terms: readonly SearchEntry[],
    options: IndexOptions = {},
  ) {
    this.aliases = options.aliases ?? new Map();
    this.bonus = terms.map((_, i) => Math.round(RANK.perDecade * Math.log10(1 + (options.popularity?.[i] ?? 0))));
    terms.forEach((t, i) => {
      this.byId.set(t.id, i);
      this.add(i, t.label, 'label', SOURCE_LANGUAGE, true);
      for (const s of t.synonyms) this.add(i, s, 'synonym', SOURCE_LANGUAGE);
      for (const s of t.layperson) this.add(i, s, 'layperson', SOURCE_LANGUAGE);
      for (const s of options.neutral?.[i] ?? []) this.add(i, s, 'synonym', null);
      // a Spanish label or synonym is searched too: "fiebre" finds Fever, and ranks first for a Spanish clinician
      for (const [lang, tr] of Object.entries(t.translations ?? {})) {
        if (!tr) continue;
        this.add(i, tr.label, 'synonym', lang, true);
        for (const s of tr.synonyms) this.add(i, s, 'synonym', lang);
      }
    });
    this.words.sort((a, b) => (a.word < b.word ? -1 : a.word > b.word ? 1 : 0));
  }

  /** `lang`: the clinician's language; names in it rank first. */
  public search(query: string, limit: number, lang: string = SOURCE_LANGUAGE): PhenotypeMatch[] {
    const trimmed = query.trim();
    const exact = this.exactId(trimmed) ?? this.exactId(trimmed.toUpperCase());
    if (exact !== undefined) {
      const t = this.terms[exact.entry];
      return [{ id: t.id, label: t.label, ...labelsOf(t), matched: exact.id, matchedKind: 'id' }];
    }
    const qWords = words(trimmed);
    if (qWords.length === 0) return [];
    const qNorm = qWords.join(' ');
    // one or two letters match a large part of the vocabulary (12 ms for "a", test/bench/typeahead.ts), and the page
    // asks for them on the first keystrokes; there are few such queries, so their ranking is kept
    if (qNorm.length <= SHORT_QUERY && limit <= SHORT_QUERY_RESULTS) {
      const key = `${lang}|${qNorm}`;
      let ranked = this.short.get(key);
      if (!ranked) {
        ranked = this.rank(qWords, lang, SHORT_QUERY_RESULTS);
        // only prefixes some name has are kept: the cache is bounded by the vocabulary, not by what clients send
        if (ranked.length) this.short.set(key, ranked);
      }
      return ranked.slice(0, limit);
    }
    return this.rank(qWords, lang, limit);
  }

  /** The entry with this id or alias, and the id as matched (an obsolete id answers its current term). */
  private exactId(id: string): { entry: number; id: string } | undefined {
    const alias = this.aliases.get(id);
    const entry = this.byId.get(id) ?? (alias === undefined ? undefined : this.byId.get(alias));
    return entry === undefined ? undefined : { entry, id };
  }

  private rank(qWords: string[], lang: string, limit: number): PhenotypeMatch[] {
    const alternatives = queryAlternatives(qWords, lang);
    const qKeys = qWords.map(matchKey);
    const best = new Map<number, { name: Name; score: number }>();
    // a name must match every query word, so the rarest word's names are the only candidates: "síndrome de marfan"
    // walks the names with "marfan", not the 4,000 Spanish names with "síndrome" (4.0 → 0.1 ms, bench:typeahead)
    const counts = alternatives.map((alts) => this.count(alts));
    const driver = alternatives[counts.indexOf(Math.min(...counts))];
    for (const n of this.candidates(driver)) {
      const name = this.names[n];
      if (!alternatives.every((alts) => name.words.some((w) => alts.some((a) => matches(w, a))))) continue;
      const score = this.score(name, qKeys, lang);
      const previous = best.get(name.term);
      if (!previous || score < previous.score) best.set(name.term, { name, score });
    }
    return [...best.values()]
      .sort((a, b) => a.score - b.score)
      .slice(0, limit)
      .map(({ name }) => ({
        id: this.terms[name.term].id,
        label: this.terms[name.term].label,
        ...labelsOf(this.terms[name.term]),
        matched: name.text,
        matchedKind: name.kind,
      }));
  }

  private score(name: Name, qKeys: readonly string[], lang: string): number {
    return (
      (startsWithKeys(name.words, qKeys) ? 0 : RANK.notPrefix) +
      (name.lang === null || name.lang === lang ? 0 : RANK.otherLanguage) +
      (name.isLabel ? 0 : RANK.notLabel) +
      Math.min(name.text.length, RANK.maxLength) -
      this.bonus[name.term]
    );
  }

  private add(term: number, text: string, kind: Kind, lang: string | null, isLabel = false): void {
    const index = this.names.length;
    const nameWords = words(text);
    this.names.push({ term, text, words: nameWords, kind, lang, isLabel });
    for (const word of new Set(nameWords)) this.words.push({ word, name: index });
  }

  /** The names with a word that starts with one of the alternatives' prefixes, each once. */
  private *candidates(alternatives: readonly Alternative[]): Generator<number> {
    const seen = new Set<number>();
    for (const { prefix } of alternatives) {
      for (let i = this.firstWith(prefix); i < this.words.length && this.words[i].word.startsWith(prefix); i++) {
        if (!seen.has(this.words[i].name)) {
          seen.add(this.words[i].name);
          yield this.words[i].name;
        }
      }
    }
  }

  /** How many index words start with one of the alternatives' prefixes (an upper bound of their names). */
  private count(alternatives: readonly Alternative[]): number {
    // every word with the prefix sorts before the prefix followed by the highest code unit
    return alternatives.reduce((n, { prefix }) => n + this.firstWith(`${prefix}\uffff`) - this.firstWith(prefix), 0);
  }

  /** The position of the first index word not below ``prefix`` (binary search of the sorted words). */
  private firstWith(prefix: string): number {
    let lo = 0;
    let hi = this.words.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.words[mid].word < prefix) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

const labelsOf = (t: SearchEntry) => {
  const labels = otherLabels(t);
  return labels ? { labels } : {};
};
