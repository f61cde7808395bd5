import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * The console is served by the API at /console (apps/wallet-api/src/console). The build needs
 * no React plugin: Vite 8 compiles JSX itself (oxc); the plugin's fast refresh is for a dev server.
 * CONSOLE_OUT_DIR lets the browser tests build into a folder of their own.
 */
export default defineConfig({
  root,
  base: '/console/',
  logLevel: 'warn',
  oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
  build: {
    outDir: process.env.CONSOLE_OUT_DIR ?? fileURLToPath(new URL('../../dist/console', import.meta.url)),
    emptyOutDir: true,
    // No data: URIs or inline scripts: the CSP allows files from this origin only.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 1_000,
  },
});
