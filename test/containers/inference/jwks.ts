/** A signing key, its JWKS served on loopback, and compact JWS tokens signed with node:crypto (jose is ESM-only). */
import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export const b64url = (value: object | Buffer) =>
  (Buffer.isBuffer(value) ? value : Buffer.from(JSON.stringify(value))).toString('base64url');

export function jwt(payload: object, key: KeyObject, header: object = { alg: 'RS256', kid: 'test-key-1', typ: 'JWT' }) {
  const data = `${b64url(header)}.${b64url(payload)}`;
  return `${data}.${b64url(sign('sha256', Buffer.from(data), key))}`;
}

export interface LocalJwks {
  readonly url: string;
  readonly privateKey: KeyObject;
  close(): void;
}

export async function serveJwks(kid = 'test-key-1'): Promise<LocalJwks> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const server: Server = createServer((_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ keys: [{ ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' }] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/jwks.json`, privateKey, close: () => server.close() };
}
