import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JsonlWriter } from '../../../containers/inference/src/storage/jsonl-writer';

describe('JsonlWriter (group-commit JSON Lines)', () => {
  const lines = (dir: string) =>
    readdirSync(dir)
      .filter((f) => f.endsWith('.jsonl'))
      .flatMap((f) =>
        readFileSync(join(dir, f), 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l)),
      );

  test('sequential appends each resolve, with the record already in the file', async () => {
    // GIVEN
    const dir = mkdtempSync(join(tmpdir(), 'jsonl-'));
    const writer = new JsonlWriter(dir, 'audit');
    // WHEN one caller appends after another (the next append lands while the previous flush is finishing)
    for (let i = 0; i < 50; i++) {
      await writer.append({ i });
      // THEN each acknowledged record is on disk before the next one is written
      expect(lines(dir)).toHaveLength(i + 1);
    }
    await writer.close();
    expect(readdirSync(dir)).toEqual([`audit-${new Date().toISOString().slice(0, 10)}.jsonl`]);
  });

  test('concurrent appends all land once, in order, as whole lines', async () => {
    // GIVEN
    const dir = mkdtempSync(join(tmpdir(), 'jsonl-'));
    const writer = new JsonlWriter(dir, 'feedback');
    // WHEN
    await Promise.all(Array.from({ length: 200 }, (_, i) => writer.append({ i, text: 'é'.repeat(i % 7) })));
    await writer.close();
    // THEN
    expect(lines(dir).map((r) => r.i)).toEqual(Array.from({ length: 200 }, (_, i) => i));
  });
});
