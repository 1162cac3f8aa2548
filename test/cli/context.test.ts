import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveContext } from '../../lib/cli/context';
import { REPOSITORY_ROOT } from '../helpers/platform';

describe('where dxops acts, and how it reports errors', () => {
  const home = () => mkdtempSync(join(tmpdir(), 'dxops-home-'));

  test('without AWS configuration it acts on the embedded default; with it, on AWS unless --local', () => {
    // GIVEN a home without ~/.aws
    const HOME = home();
    // THEN
    expect(resolveContext({}, { HOME }).mode).toBe('local');
    expect(resolveContext({}, { HOME, AWS_ACCESS_KEY_ID: 'AKIA' }).mode).toBe('aws');
    expect(resolveContext({}, { HOME, AWS_PROFILE: 'ops' }).mode).toBe('aws');
    // container credentials: ECS tasks and CodeBuild set the relative URI, other hosts the full one
    expect(resolveContext({}, { HOME, AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/v2/credentials/x' }).mode).toBe('aws');
    expect(resolveContext({}, { HOME, AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://127.0.0.1/creds' }).mode).toBe('aws');
    expect(resolveContext({ local: true }, { HOME, AWS_PROFILE: 'ops' }).mode).toBe('local');
    expect(resolveContext({ aws: true }, { HOME }).mode).toBe('aws');
    expect(resolveContext({}, { HOME, AWS_CONFIG_FILE: join(HOME, 'nope') }).mode).toBe('local');
    // WHEN ~/.aws/config exists (or the file AWS_CONFIG_FILE names)
    mkdirSync(join(HOME, '.aws'));
    writeFileSync(join(HOME, '.aws', 'config'), '[default]\nregion = eu-west-1\n');
    // THEN
    expect(resolveContext({}, { HOME }).mode).toBe('aws');
    expect(resolveContext({}, { HOME: home(), AWS_CONFIG_FILE: join(HOME, '.aws', 'config') }).mode).toBe('aws');
    expect(resolveContext({}, { HOME, DXOPS_HOME: '/tmp/x' }).dxopsHome).toBe('/tmp/x');
  });

  test('the bin prints one line and what to do next, or one JSON object with --json, never a stack trace', () => {
    // GIVEN an empty embedded default
    const dxopsHome = home();
    const run = (...args: string[]) =>
      spawnSync(process.execPath, [join(REPOSITORY_ROOT, 'bin', 'dxops.js'), '--local', '--home', dxopsHome, ...args], {
        encoding: 'utf8',
        timeout: 60_000,
      });
    // WHEN
    const human = run('models', 'approve', '3', '--reason', 'x');
    const json = run('--json', 'pipeline', 'status');
    // THEN
    expect(human.status).toBe(1);
    expect(human.stderr).toBe(
      'dxops: unknown version 3: the registry is empty (run the pipeline first)\n  next: list the versions with: dxops models list --local\n',
    );
    expect(json.status).toBe(1);
    expect(JSON.parse(json.stderr)).toEqual({
      error: 'no pipeline runs yet',
      next: 'start one with: dxops pipeline start --local',
    });
    expect(json.stdout).toBe('');
  });
});
