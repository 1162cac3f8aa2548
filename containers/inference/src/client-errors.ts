import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';

/**
 * Answers Node's 'clientError' (a request that never became one: too slow, headers too large, unparsable), as
 * Fastify's default handler does, but with the timeout stated: the 408 says how long the client had.
 * https://nodejs.org/api/http.html#event-clienterror
 */
export function clientErrorHandler(requestTimeoutMs: number) {
  const seconds = Math.round(requestTimeoutMs / 100) / 10;
  const answers: Record<string, readonly [number, string]> = {
    ERR_HTTP_REQUEST_TIMEOUT: [408, `the request (headers and body) did not arrive within ${seconds} s`],
    HPE_HEADER_OVERFLOW: [431, 'the request headers are larger than the server accepts'],
  };
  return (err: NodeJS.ErrnoException, socket: Duplex): void => {
    // a reset connection is gone: there is no one to answer
    if (err.code === 'ECONNRESET' || socket.destroyed) return;
    const [statusCode, message] = answers[err.code ?? ''] ?? [400, 'the request is not valid HTTP/1.1'];
    const error = STATUS_CODES[statusCode];
    if (socket.writable) {
      const body = JSON.stringify({ statusCode, error, message });
      socket.write(
        `HTTP/1.1 ${statusCode} ${error}\r\nConnection: close\r\nContent-Type: application/json\r\n` +
          `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
    }
    socket.destroy(err);
  };
}
