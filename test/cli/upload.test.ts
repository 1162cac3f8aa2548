import { ProgressBar } from '../../lib/cli/upload';

describe('data upload progress bar', () => {
  test('redraws one line with the share, the MiB done and the file, and ends it with a newline', () => {
    // GIVEN
    const drawn: string[] = [];
    const bar = new ProgressBar(4 * 1024 * 1024, (t) => drawn.push(t));
    // WHEN
    bar.advance(1024 * 1024, 'a.json');
    bar.advance(3 * 1024 * 1024, 'b.json part 2');
    bar.finish();
    // THEN
    expect(drawn[0]).toBe(`\r[${'#'.repeat(8)}${'-'.repeat(22)}]  25%  1.0/4.0 MiB  a.json\x1b[K`);
    expect(drawn[1]).toBe(`\r[${'#'.repeat(30)}] 100%  4.0/4.0 MiB  b.json part 2\x1b[K`);
    expect(drawn[2]).toBe('\n');
  });

  test('draws nothing with --json, even on a terminal', () => {
    // GIVEN a terminal on stderr
    const tty = process.stderr.isTTY;
    Object.defineProperty(process.stderr, 'isTTY', { value: true, configurable: true });
    const write = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      // WHEN
      const json = ProgressBar.forContext({ mode: 'local', dxopsHome: '/tmp', json: true, region: 'eu-west-1' }, 10);
      json.advance(5, 'x');
      const human = ProgressBar.forContext({ mode: 'local', dxopsHome: '/tmp', json: false, region: 'eu-west-1' }, 10);
      human.advance(5, 'x');
      // THEN only the human one drew
      expect(write).toHaveBeenCalledTimes(1);
    } finally {
      write.mockRestore();
      Object.defineProperty(process.stderr, 'isTTY', { value: tty, configurable: true });
    }
  });
});
