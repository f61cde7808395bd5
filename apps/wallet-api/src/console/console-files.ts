import { readFileSync, readdirSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';

/** One built file of the console, read once at start. */
export interface ConsoleFile {
  readonly body: Buffer;
  readonly contentType: string;
  /** Vite names what it emits under assets/ by content hash: such a file never changes. */
  readonly immutable: boolean;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

/**
 * The console's files by their path under /console/, or undefined when `dir` holds no build.
 * Read into memory once: the build is a few hundred kilobytes, and a request can then only
 * ever name a file that is in this map (no path from the URL reaches the file system).
 */
export function readConsoleFiles(dir: string): Map<string, ConsoleFile> | undefined {
  let entries: string[];
  try {
    if (!statSync(join(dir, 'index.html')).isFile()) return undefined;
    entries = readdirSync(dir, { recursive: true, encoding: 'utf8' });
  } catch {
    return undefined;
  }
  const files = new Map<string, ConsoleFile>();
  for (const entry of entries) {
    const path = join(dir, entry);
    const contentType = CONTENT_TYPES[extname(entry)];
    if (contentType === undefined || !statSync(path).isFile()) continue;
    const name = relative(dir, path).split(sep).join('/');
    files.set(name, { body: readFileSync(path), contentType, immutable: name.startsWith('assets/') });
  }
  return files;
}
