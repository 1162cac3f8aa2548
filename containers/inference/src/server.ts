import closeWithGrace from 'close-with-grace';
import { buildApp } from './app';
import { ConfigError, loadConfig } from './config';
import { DirLockedError } from './storage/dir-lock';

/** Entry point: read the config once, build the app, listen, and close gracefully on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`dxops inference: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  let app: Awaited<ReturnType<typeof buildApp>>;
  try {
    app = await buildApp(config, { publicDir: process.env.PUBLIC_DIR });
  } catch (err) {
    // another service writes this DXOPS_HOME's audit and feedback files: stop, naming it, rather than append beside it
    if (err instanceof DirLockedError) {
      process.stderr.write(`dxops inference: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  // In-flight requests finish (and their audit records are synced) before the process exits; ECS waits 30 s.
  closeWithGrace({ delay: 25_000 }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, 'closing after an error');
    else app.log.info({ signal }, 'closing');
    await app.close();
  });
  await app.listen({ port: config.port, host: config.host });
}

void main();
