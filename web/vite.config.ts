import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const empty = fileURLToPath(new URL('./src/empty-module.ts', import.meta.url));

// The console is served by the API at `/viewer`, `/dashboard`, … with its bundles under `/assets/`.
// cloudevents (loaded by the SDK on the first subscription) imports Node's `http`/`https` through
// transports the SDK never calls, and `events`: alias them as the SDK's README says.
export default defineConfig({
  plugins: [react()],
  base: '/',
  resolve: {
    alias: { http: empty, https: empty, 'node:http': empty, 'node:https': empty, events: 'events/' },
  },
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 400,
  },
  server: {
    proxy: { '/latest': 'http://127.0.0.1:8001', '/socket.io': { target: 'http://127.0.0.1:8001', ws: true } },
  },
});
