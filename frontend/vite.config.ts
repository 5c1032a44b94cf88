/// <reference types="vitest/config" />
import { defineConfig } from 'vite';

// React's JSX goes through Vite's built-in esbuild; no plugin is needed.
// `base: './'` keeps asset URLs relative, so the build works under Wails'
// asset server and under any path a static server puts it at.
export default defineConfig({
  base: './',
  esbuild: { jsx: 'automatic' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    rollupOptions: {
      // React Server Components' "use client" markers mean nothing in a client-only bundle.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
  server: {
    // `npm run dev` talks to a running `callboard serve` on its default port.
    proxy: { '/api': 'http://127.0.0.1:7007' },
  },
  test: {
    environment: 'jsdom',
    setupFiles: ['./src/test/setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
    // A bound for a test that hangs, not a speed target: on a busy 2-core
    // machine a template form's walk through its pages takes seconds, and
    // Vitest's default 5 s failed them under load.
    testTimeout: 30_000,
  },
});
