import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import { edgeImpulseProxy } from './src/server/edgeImpulseProxy.ts';
import { serviceWorker } from './scripts/serviceWorker.ts';
import { contentSecurityPolicyPlugin } from './src/server/contentSecurity.ts';

export default defineConfig(({ isSsrBuild }) => ({
  // serviceWorker(): dist/sw.js caches the build and the demo, so the app works offline after a first visit;
  // contentSecurityPolicyPlugin(): the policy as a meta tag in the build, and as a header from `vite preview`
  plugins: [react(), edgeImpulseProxy(), serviceWorker(), contentSecurityPolicyPlugin()],
  // relative asset URLs: dist/ works from any static host under any path (GitHub Pages, a bucket)
  base: './',
  // the command line (vite build --ssr src/cli/main.ts) needs none of the app's public files
  publicDir: isSsrBuild ? false : 'public',
  worker: { format: 'es' },
  // Pre-bundle what the worker imports, so the dev server does not discover it on the first
  // run and reload the page mid-run.
  optimizeDeps: {
    include: ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm', '@tensorflow/tfjs-backend-webgpu', 'comlink', 'fflate', 'fast-png', '@jsquash/jpeg/codec/dec/mozjpeg_dec.js', '@jsquash/jpeg/utils.js', 'zustand', 'react', 'react-dom/client', '@tanstack/react-virtual'],
  },
  build: { target: 'es2022', chunkSizeWarningLimit: 4000 },
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'bench',
          include: [],
          benchmark: { include: ['bench/**/*.bench.ts'] },
          environment: 'node',
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 300_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
}));
