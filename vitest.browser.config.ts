/**
 * The core specs in headless Chromium (vitest browser mode, playwright driving Debian's
 * /usr/bin/chromium; TIMEWEAVE_CHROMIUM overrides the path): the library has no Node-only imports in
 * its core, and this keeps it so. Run with `npm run test:browser`. Specs that read files, spawn the CLI
 * or fake Node's own modules stay Node-only (see `include`).
 */
import { playwright } from '@vitest/browser-playwright';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'spec/{loop,future,task,timers,trace,errors,ready-queue,policy,api}.spec.ts',
      'spec/{negative-delays,livelock,task-group-error,options-check,real-timer-watch}.spec.ts',
      'spec/combinators/*.spec.ts',
      'spec/sync/{barrier,condition,deadlock,deque,event,lock,policies,queue,semaphore}.spec.ts',
      'spec/explore/*.spec.ts',
      'spec/schedule/{replay,determinism}.spec.ts',
      'spec/policies/*.spec.ts',
    ],
    testTimeout: 20_000,
    browser: {
      enabled: true,
      headless: true,
      provider: playwright({
        launchOptions: {
          executablePath: process.env.TIMEWEAVE_CHROMIUM ?? '/usr/bin/chromium',
          // As root in a CI container Chromium's sandbox cannot start.
          args: ['--no-sandbox', '--disable-dev-shm-usage'],
        },
      }),
      instances: [{ browser: 'chromium' }],
    },
  },
});
