import type { VocabularyTerm } from './package-types';

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

interface Name {
  readonly term: number;
  readonly text: string;
  readonly norm: string;
  readonly kind: Kind;
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

  constructor(private readonly terms: readonly SearchEntry[]) {
    terms.forEach((t, i) => {
      this.byId.set(t.id, i);
      this.add(i, t.label, 'label');
      for (const s of t.synonyms) this.add(i, s, 'synonym');
      for (const s of t.layperson) this.add(i, s, 'layperson');
      // a Spanish label or synonym is a synonym to search: "fiebre" finds Fever
      for (const tr of Object.values(t.translations ?? {})) {
        if (!tr) continue;
        for (const s of [tr.label, ...tr.synonyms]) this.add(i, s, 'synonym');
      }
    });
    this.words.sort((a, b) => (a.word < b.word ? -1 : a.word > b.word ? 1 : 0));
  }

  public search(query: string, limit: number): PhenotypeMatch[] {
    const trimmed = query.trim();
    const exact = this.byId.get(trimmed) ?? this.byId.get(trimmed.toUpperCase());
    if (exact !== undefined) {
      const t = this.terms[exact];
      return [{ id: t.id, label: t.label, ...labelsOf(t), matched: t.id, matchedKind: 'id' }];
    }
    const qWords = words(trimmed);
    if (qWords.length === 0) return [];
    const qNorm = qWords.join(' ');
    const best = new Map<number, { name: Name; score: number }>();
    for (const n of this.candidates(qWords[0])) {
      const name = this.names[n];
      const nameWords = words(name.text);
      if (!qWords.every((q) => nameWords.some((w) => w.startsWith(q)))) continue;
      // Lower is better: whole-name prefix first, then labels before synonyms, then shorter names.
      const score =
        (name.norm.startsWith(qNorm) ? 0 : 1000) + (name.kind === 'label' ? 0 : 100) + Math.min(name.text.length, 99);
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

  private add(term: number, text: string, kind: Kind): void {
    const index = this.names.length;
    this.names.push({ term, text, norm: words(text).join(' '), kind });
    for (const word of new Set(words(text))) this.words.push({ word, name: index });
  }

  private *candidates(prefix: string): Generator<number> {
    let lo = 0;
    let hi = this.words.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.words[mid].word < prefix) lo = mid + 1;
      else hi = mid;
    }
    const seen = new Set<number>();
    for (let i = lo; i < this.words.length && this.words[i].word.startsWith(prefix); i++) {
      if (!seen.has(this.words[i].name)) {
        seen.add(this.words[i].name);
        yield this.words[i].name;
      }
    }
  }
}

const labelsOf = (t: SearchEntry) => {
  const labels = otherLabels(t);
  return labels ? { labels } : {};
};
