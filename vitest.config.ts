import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Exhaustive-ish checks (100,000 schedules) take seconds; timings are measured in bench/, never asserted.
    testTimeout: 120_000,
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
  },
});
