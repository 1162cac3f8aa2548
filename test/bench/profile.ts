/**
 * Where the service's CPU goes under load: the bundled server runs under the V8 sampling profiler while autocannon sends the
 * request pool (10 connections, PROFILE_SECONDS, default 10 s); the profile's self time is then summed by function
 * and by area (a package in node_modules, a file of the service, node internals, the native ONNX call, GC, idle).
 * Run: npm run bench:profile   (MODEL_DIR to profile another package; PROFILE_ROUTE=healthz for the plugin stack)
 * The .cpuprofile is kept (path printed) for a flame graph in Chrome DevTools or speedscope.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diagnosesLoad, FIXTURE_MODEL, fail, loadAverage, loadPool, run, startService } from './harness';

const SECONDS = Number(process.env.PROFILE_SECONDS ?? 10);
const MODEL_DIR = process.env.MODEL_DIR ?? FIXTURE_MODEL;
const TOP = 30;

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** The bundle inlines every package: its source map turns a position in it back into the original file. */
function originalFile(map: SourceMap, frame: ProfileNode['callFrame']): string {
  if (!frame.url.endsWith('dist/server.js')) return frame.url;
  const entry = map.findEntry(frame.lineNumber, frame.columnNumber) as { originalSource?: string };
  return entry.originalSource ?? frame.url;
}

/** A package in node_modules, a file of the service, a node internal, or a native/V8 entry. */
function area(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : `(native) ${functionName}`;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  const src = /containers\/inference\/src\/(.+)$/.exec(url);
  if (src) return `src/${src[1]}`;
  if (url.startsWith('node:')) return url;
  return url.split('/').slice(-2).join('/');
}

function summarize(profile: CpuProfile, map: SourceMap) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  const add = <K>(map: Map<K, number>, key: K, us: number) => {
    map.set(key, (map.get(key) ?? 0) + us);
  };
  for (const [i, id] of profile.samples.entries()) add(self, id, profile.timeDeltas[i] ?? 0);
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const fns = new Map<string, number>();
  const areas = new Map<string, number>();
  for (const [id, us] of self) {
    const frame = (byId.get(id) as ProfileNode).callFrame;
    const file = originalFile(map, frame);
    const where = area(file, frame.functionName).slice(0, 80);
    add(
      fns,
      `${frame.functionName || '(anonymous)'}  ${file.includes('/') ? file.split('node_modules/').pop() : where}`,
      us,
    );
    add(areas, where, us);
  }
  const top = (map: Map<string, number>) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, TOP)
      .map(([name, us]) => `${((100 * us) / total).toFixed(1).padStart(5)} %  ${name}`);
  return { sampledMs: Math.round(total / 1000), byArea: top(areas), byFunction: top(fns) };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'dxops-profile-'));
  const service = await startService(MODEL_DIR, {
    RATE_LIMIT_PER_MINUTE: '10000000',
    NODE_OPTIONS: `--require ${join(__dirname, 'cpu-profiler.js')}`,
    CPU_PROFILE_FILE: join(dir, 'service.cpuprofile'),
  });
  const load =
    process.env.PROFILE_ROUTE === 'healthz'
      ? { url: `${service.url}/healthz` }
      : diagnosesLoad(service.url, loadPool(MODEL_DIR));
  try {
    await run({ ...load, connections: 10, duration: 2 }); // warm-up (JIT)
    const result = await run({ ...load, connections: 10, duration: SECONDS });
    process.stdout.write(`${Math.round(result.requests.average)} req/s, load average ${loadAverage()}\n`);
  } finally {
    await service.close();
  }
  const file = 'service.cpuprofile';
  if (!existsSync(join(dir, file))) throw new Error(`the service wrote no ${file} in ${dir}`);
  const map = new SourceMap(JSON.parse(readFileSync(`${service.bundle}.map`, 'utf8')));
  const out = summarize(JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile, map);
  process.stdout.write(
    `profile ${join(dir, file)} (${out.sampledMs} ms sampled)\n\nself time by area:\n${out.byArea.join('\n')}\n\n` +
      `self time by function:\n${out.byFunction.join('\n')}\n`,
  );
}

main().catch(fail);
