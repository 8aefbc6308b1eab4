import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['spec/**/*.spec.ts'],
    // Specs never wait for real time; a slow spec is a bug in the harness, not a reason to wait.
    testTimeout: 20_000,
    // A fixed fast-check seed under CI, a fresh one elsewhere (spec/setup/fast-check-seed.ts).
    setupFiles: ['spec/setup/fast-check-seed.ts'],
  },
});
