import { startApp, post } from './app';
async function main() {
  const { app, base, db } = await startApp({ LOG_LEVEL: 'error' });
  for (const depth of [100, 1000, 5000, 20000]) {
    let nested = '1'; for (let i = 0; i < depth; i++) nested = '[' + nested + ']';
    const body = `{"type":"main","currency":"USD","metadata":{"a":${nested}}}`;
    console.log('depth', depth, 'no key:', (await post(base, '/v1/wallets', body)).status);
    const body2 = `{"type":"main","currency":"USD","owners":${nested}}`;
    console.log('depth', depth, 'owners no key:', (await post(base, '/v1/wallets', body2)).status);
  }
  await app.close(); await db!.drop();
}
main().catch((e) => { console.error(e); process.exit(2); });
