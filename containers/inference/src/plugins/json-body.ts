import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { badRequest } from '../errors';

/**
 * The one body parser: JSON, decoded as strict UTF-8. Fastify's defaults are replaced because they accepted what the
 * API documents as refused: a text/plain body reached validation ("body must be object" instead of a 415), invalid
 * UTF-8 was replaced by U+FFFD and validated as if sent, and a `__proto__` key was called invalid JSON.
 */

/** RFC 8259 8.1: JSON exchanged between systems is UTF-8. `fatal` makes a malformed byte an error, not U+FFFD. */
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** The offset of the first byte that is not part of valid UTF-8 (only called once decoding has failed). */
function firstInvalidByte(bytes: Buffer): number {
  let offset = 0;
  for (const char of bytes.toString('utf8')) {
    // a U+FFFD that the body did not spell as EF BF BD replaced an invalid sequence starting here
    if (char === '\uFFFD' && !(bytes[offset] === 0xef && bytes[offset + 1] === 0xbf && bytes[offset + 2] === 0xbd)) {
      return offset;
    }
    offset += Buffer.byteLength(char);
  }
  return offset;
}

/**
 * The key of a prototype-pollution attempt anywhere in the parsed body, or undefined. JSON.parse makes `__proto__`
 * an own data property (harmless there), but code that copies or merges the object would set a prototype with it.
 * Iterative: a body nested thousands deep within the size limit must not overflow the stack.
 */
function forbiddenKey(root: unknown): string | undefined {
  const pending = [root];
  while (pending.length > 0) {
    const value = pending.pop();
    if (typeof value !== 'object' || value === null) continue;
    if (Object.hasOwn(value, '__proto__')) return '__proto__';
    const ctor = Object.hasOwn(value, 'constructor') && (value as { constructor: unknown }).constructor;
    if (typeof ctor === 'object' && ctor !== null && Object.hasOwn(ctor, 'prototype')) {
      return 'constructor.prototype';
    }
    // a loop, not push(...values): an array of millions of numbers would exceed the argument limit
    for (const child of Object.values(value)) if (typeof child === 'object' && child !== null) pending.push(child);
  }
  return undefined;
}

export function parseJsonBody(bytes: Buffer): unknown {
  if (bytes.length === 0) throw badRequest('the body is empty; send a JSON object');
  let text: string;
  try {
    text = UTF8.decode(bytes);
  } catch {
    throw badRequest(`the body is not valid UTF-8 (byte offset ${firstInvalidByte(bytes)})`);
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (err) {
    // V8's message quotes the body; only its position is repeated
    const position = /at position (\d+)/.exec((err as Error).message)?.[1];
    throw badRequest(`the body is not valid JSON${position === undefined ? '' : ` (at character ${position})`}`);
  }
  const key = forbiddenKey(body);
  if (key !== undefined) {
    throw badRequest(`the body has a ${key} key: __proto__ and constructor.prototype keys are not allowed`);
  }
  return body;
}

async function jsonBody(app: FastifyInstance): Promise<void> {
  // every other content type (text/plain included) is then a 415 (plugins/error-handler.ts words it)
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, bytes, done) => {
    try {
      done(null, parseJsonBody(bytes as Buffer));
    } catch (err) {
      done(err as Error, undefined);
    }
  });
}

export default fp(jsonBody, { name: 'json-body' });
