import 'reflect-metadata';
import { loadConfig } from '../libs/config/src';
import { createApp } from '../apps/wallet-api/src/create-app';
import { freshDb } from './db';
export async function startApp(env: Record<string, string> = {}, dbUrl?: string) {
  const db = dbUrl ? undefined : await freshDb();
  const url = dbUrl ?? db!.url;
  const config = loadConfig({ LOG_LEVEL: 'silent', DATABASE_URL: url, ...env });
  const app = await createApp({ config, databaseUrl: url });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  return { app, base, db };
}
export async function post(base: string, path: string, body: unknown, headers: Record<string, string> = {}) {
  const r = await fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  return { status: r.status, headers: r.headers, text: await r.text() };
}
