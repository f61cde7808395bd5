import { NotFoundException } from '@nestjs/common';
import type { FastifyContextConfig, FastifyInstance, FastifyReply } from 'fastify';
import type { RouteAccess } from '../auth/route-access.decorator';
import { sendProblem } from '../http/send-problem';
import { type ConsoleFile, readConsoleFiles } from './console-files';

/**
 * The console's Content-Security-Policy: only its own scripts and styles (no inline ones),
 * calls to this origin only, never framed, no <base> and no plugins. The key it holds is
 * worth stealing; this keeps injected markup from running or sending it elsewhere.
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

const IMMUTABLE = 'public, max-age=31536000, immutable';
/** The page names the current hashed assets: a cached copy would keep an old build running. */
const NEVER_CACHED = 'no-store';
/** Public: the page holds no data; everything it shows comes from API calls that need a key. */
const ACCESS = { public: true } satisfies RouteAccess as FastifyContextConfig;

/**
 * Serves the console's build at /console: hashed assets with a year's immutable cache, and
 * index.html, never cached, for /console itself and for every other path under it (the
 * console's pages are in the URL's fragment; any other path just gets the page). Returns false when CONSOLE_DIR holds no build.
 */
export function registerConsole(fastify: FastifyInstance, dir: string): boolean {
  const files = readConsoleFiles(dir);
  if (!files) return false;
  const page = files.get('index.html')!;
  const send = (reply: FastifyReply, file: ConsoleFile): FastifyReply =>
    reply
      .header('content-type', file.contentType)
      .header('cache-control', file.immutable ? IMMUTABLE : NEVER_CACHED)
      .header('content-security-policy', CONSOLE_CSP)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer')
      .header('x-frame-options', 'DENY')
      .send(file.body);
  fastify.get('/console', { config: ACCESS }, (_request, reply) => send(reply, page));
  fastify.get<{ Params: { '*': string } }>('/console/*', { config: ACCESS }, (request, reply) => {
    const name = request.params['*'];
    const file = files.get(name);
    if (file) return send(reply, file);
    // A missing hashed asset is a stale page asking for an old build: a 404 problem, not the page as script.
    if (name.startsWith('assets/')) return sendProblem(request, reply.header('cache-control', NEVER_CACHED), new NotFoundException());
    return send(reply, page);
  });
  return true;
}
