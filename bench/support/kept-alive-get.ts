import { type Agent, get as httpGet } from 'node:http';
import { AUTH_HEADERS } from './wallet-client';

/**
 * A GET over a kept-alive connection of `agent`, as the read scenarios time it: no fetch
 * machinery in the measured path. Anything but 200 stops the run.
 */
export function getJsonOver(baseUrl: string, agent: Agent, path: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    httpGet(`${baseUrl}${path}`, { agent, headers: AUTH_HEADERS }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const body = Buffer.concat(chunks).toString();
        if (response.statusCode !== 200) reject(new Error(`GET ${path}: ${response.statusCode} ${body}`));
        else resolve(JSON.parse(body));
      });
    }).on('error', reject);
  });
}
