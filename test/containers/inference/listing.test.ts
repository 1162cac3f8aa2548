import { PackedLists, SupportIndex } from '../../../containers/inference/src/model/listing';

/** A small seeded generator, so a failure reproduces. */
function lcg(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x / 2 ** 32;
  };
}

describe('PackedLists', () => {
  it('stores each list in the order visited, empty lists included', () => {
    const lists = [[3, 1], [], [0, 0, 2], [], [5]];
    const packed = PackedLists.build(lists.length, (visit) => {
      lists.forEach((l, i) => {
        for (const v of l) visit(i, v);
      });
    });
    lists.forEach((l, i) => {
      const out = new Uint8Array(6);
      packed.mark(i, out);
      expect([...out.keys()].filter((v) => out[v])).toEqual([...new Set(l)].sort());
    });
  });
});

describe('SupportIndex.mask', () => {
  // A random DAG: term t's parents are among the terms before it (term 0 is the root).
  const rand = lcg(7);
  const terms = 60;
  const ancestors: Set<number>[] = [];
  for (let t = 0; t < terms; t++) {
    const up = new Set<number>([t]);
    if (t > 0) {
      // one parent mostly, two for every fourth term (the ontology is a DAG, not a tree)
      const parents = t % 4 === 0 ? [Math.floor(rand() * t), Math.floor(rand() * t)] : [Math.floor(rand() * t)];
      for (const p of parents) for (const a of ancestors[p]) up.add(a);
    }
    ancestors.push(up);
  }
  const diseaseTerms = Array.from({ length: 150 }, () =>
    // profiles of the more specific half of the terms, as annotations are
    Array.from({ length: 1 + Math.floor(rand() * 5) }, () => terms / 2 + Math.floor((rand() * terms) / 2)),
  );
  const evidences = diseaseTerms.map((_, d) => (d % 5 === 0 ? [`E_${d}`] : []));
  const index = new SupportIndex(diseaseTerms, ancestors, evidences);

  it('marks exactly the diseases that related() or an answered evidence code supports', () => {
    for (let q = 0; q < terms; q++) {
      const observed = [q, (q * 7) % terms];
      const answered = q % 3 === 0 ? ['E_10', 'E_x'] : [];
      const keep = index.mask(observed, answered);
      diseaseTerms.forEach((_, d) => {
        const expected = observed.some((o) => index.related(d, o)) || answered.some((c) => evidences[d].includes(c));
        expect([q, d, keep[d] === 1]).toEqual([q, d, expected]);
      });
    }
  });

  it('lists past the leading candidates the same supported ones, best first', () => {
    const probabilities = Float32Array.from(diseaseTerms, () => rand());
    // the finding that supports the fewest diseases (but some): fewer than ten of the 60 leading candidates are
    // supported, so the whole supported set is built
    const supported = (q: number) => index.mask([q], []).reduce((n, v) => n + v, 0);
    const rarest = [...ancestors.keys()].filter((q) => supported(q) > 0).sort((a, b) => supported(a) - supported(b))[0];
    const observed = [rarest];
    const keep = index.mask(observed, []);
    const leading = [...probabilities.keys()].sort((a, b) => probabilities[b] - probabilities[a]).slice(0, 60);
    expect(leading.filter((d) => keep[d]).length).toBeLessThan(10);
    const expected = [...probabilities.keys()]
      .filter((d) => keep[d])
      .sort((a, b) => probabilities[b] - probabilities[a])
      .slice(0, 10);
    expect(index.listed(probabilities, 10, observed, [])).toEqual(expected);
  });
});
