import { defineConfig, devices } from '@playwright/test';

// Runs against the release build (`target/release/oikos`, built by ./test), started here on
// its own port with a throwaway database, in Debian's Chromium.
const port = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://127.0.0.1:${port}`;
const dataDir = process.env.E2E_DATA_DIR ?? 'target/e2e-data';

export default defineConfig({
  testDir: './tests',
  outputDir: './test-results',
  workers: 1,
  retries: 0,
  reporter: [['list']],
  timeout: 30_000,
  use: {
    baseURL,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  projects: [{ name: 'chromium', use: { ...devices['Desktop Chrome'] } }],
  webServer: {
    // ./test sets OIKOS_BIN (the build may live in CARGO_TARGET_DIR).
    command: process.env.OIKOS_BIN ?? 'target/release/oikos',
    cwd: '..',
    url: `${baseURL}/health`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'ignore',
    stderr: 'pipe',
    env: {
      LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
      LEPTOS_SITE_ROOT: 'target/site',
      OIKOS_DATA_DIR: dataDir,
      DATABASE_URL: `sqlite://${dataDir}/oikos.db?mode=rwc`,
      OIKOS_BASE_URL: baseURL,
      // Portals live on real subdomains: Chromium resolves *.localhost to this machine.
      OIKOS_DOMAIN: `localhost:${port}`,
      OIKOS_LOG_FORMAT: 'json',
      RUST_LOG: 'warn',
      // The super admin the admin journeys sign in as.
      FIRST_SUPERUSER_EMAIL: 'root@oikos.test',
      FIRST_SUPERUSER_PASSWORD: 'Root-Pass-2026',
    },
  },
});
