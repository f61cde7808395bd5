import { connect } from 'node:net';

export interface RawResult {
  readonly status: number;
  /** Header names in lower case; a repeated header keeps its last value. */
  readonly headers: Record<string, string>;
  readonly body: any;
  readonly text: string;
}

export interface RawRequest {
  readonly method: string;
  /** Sent byte for byte as the request target: no normalisation, no percent-encoding. */
  readonly target: string;
  /** Written as UTF-8 after `name: `, so values fetch refuses (non-Latin-1, some controls) reach the server. */
  readonly headers?: readonly (readonly [string, string])[];
  readonly body?: string | Buffer;
}

const RAW_TIMEOUT_MS = 10_000;

/**
 * One HTTP/1.1 request written on a socket of its own (Connection: close), for what fetch and
 * node:http will not send: dot segments, raw bytes in the path, header values outside Latin-1.
 * Reads the whole answer until the server closes the connection.
 */
export function rawRequest(baseUrl: string, request: RawRequest): Promise<RawResult> {
  const url = new URL(baseUrl);
  const body = typeof request.body === 'string' ? Buffer.from(request.body, 'utf8') : request.body;
  const lines = [`${request.method} ${request.target} HTTP/1.1`, `Host: ${url.host}`, 'Connection: close'];
  for (const [name, value] of request.headers ?? []) lines.push(`${name}: ${value}`);
  if (body !== undefined) lines.push(`Content-Length: ${body.length}`);
  const head = Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'utf8');
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname);
    const chunks: Buffer[] = [];
    socket.setTimeout(RAW_TIMEOUT_MS, () => socket.destroy(new Error(`no answer within ${RAW_TIMEOUT_MS} ms to ${request.method} ${request.target.slice(0, 200)}`)));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    // A reset after the answer (the server refused early and closed) still leaves the answer to read.
    let failure: Error | undefined;
    socket.on('error', (error) => (failure = error));
    socket.on('close', () => {
      try {
        resolve(parseResponse(Buffer.concat(chunks)));
      } catch (error) {
        reject(failure ?? error);
      }
    });
    // The server may answer (and close) before it has read the whole body: that is not an error.
    socket.write(body ? Buffer.concat([head, body]) : head, () => undefined);
  });
}

function parseResponse(bytes: Buffer): RawResult {
  const end = bytes.indexOf('\r\n\r\n');
  if (end < 0) throw new Error(`the server closed the connection without a complete answer (${bytes.length} bytes)`);
  const [statusLine = '', ...headerLines] = bytes.subarray(0, end).toString('latin1').split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? 0);
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const rest = bytes.subarray(end + 4);
  const text = (headers['transfer-encoding'] === 'chunked' ? dechunk(rest) : rest).toString('utf8');
  const json = /json/.test(headers['content-type'] ?? '');
  return { status, headers, text, body: json && text ? JSON.parse(text) : undefined };
}

function dechunk(bytes: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = bytes.indexOf('\r\n', at);
    if (lineEnd < 0) break;
    const size = parseInt(bytes.subarray(at, lineEnd).toString('latin1'), 16);
    if (!(size > 0)) break;
    parts.push(bytes.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
}
