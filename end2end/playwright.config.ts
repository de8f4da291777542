import { defineConfig, devices } from '@playwright/test';

// Runs against the release build (`target/release/oikos`, built by ./test), started here on
// its own port with a throwaway database, in Debian's Chromium.
const port = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://127.0.0.1:${port}`;
const dataDir = process.env.E2E_DATA_DIR ?? 'target/e2e-data';
// A second server with portals under /t/{slug} (OIKOS_TENANT_ROUTING=path).
const pathPort = port + 1;
const pathURL = `http://127.0.0.1:${pathPort}`;
const pathDataDir = `${dataDir}/path-mode`;
// Stripe for the billing journeys: localstripe from the Python peers ./test installs.
export const stripePort = port + 10;
const peers = process.env.OIKOS_PEERS_BIN ?? `${process.env.HOME}/.cache/oikos/peers/bin`;

/** The server under test, with `env` on top of the common settings. */
function server(listen: number, data: string, env: Record<string, string>) {
  const url = `http://127.0.0.1:${listen}`;
  return {
    // ./test sets OIKOS_BIN (the build may live in CARGO_TARGET_DIR).
    command: process.env.OIKOS_BIN ?? 'target/release/oikos',
    cwd: '..',
    url: `${url}/health`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'ignore' as const,
    stderr: 'pipe' as const,
    env: {
      LEPTOS_SITE_ADDR: `127.0.0.1:${listen}`,
      LEPTOS_SITE_ROOT: 'target/site',
      // Each server its own management port (two run at once).
      OIKOS_METRICS_ADDR: '127.0.0.1:0',
      OIKOS_DATA_DIR: data,
      DATABASE_URL: `sqlite://${data}/oikos.db?mode=rwc`,
      OIKOS_BASE_URL: url,
      OIKOS_LOG_FORMAT: 'json',
      RUST_LOG: 'warn',
      ...env,
    },
  };
}

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
  projects: [
    {
      name: 'chromium',
      testIgnore: /path-mode\.spec\.ts/,
      use: { ...devices['Desktop Chrome'] },
    },
    {
      name: 'path-mode',
      testMatch: /path-mode\.spec\.ts/,
      use: { ...devices['Desktop Chrome'], baseURL: pathURL },
    },
  ],
  webServer: [
    // First: the main server makes its plans known to Stripe as it starts.
    {
      command: `${peers}/python scripts/stripe_peer.py ${stripePort}`,
      cwd: '..',
      // localstripe answers 401 without a key: up.
      url: `http://127.0.0.1:${stripePort}/v1/plans`,
      reuseExistingServer: false,
      timeout: 30_000,
      stdout: 'ignore' as const,
      stderr: 'ignore' as const,
    },
    server(port, dataDir, {
      STRIPE_SECRET_KEY: 'sk_test_e2e',
      STRIPE_API_BASE: `http://127.0.0.1:${stripePort}`,
      STRIPE_WEBHOOK_SECRET: 'whsec_e2e',
      // The billing page's card form loads localstripe's stand-in for Stripe.js.
      STRIPE_PUBLISHABLE_KEY: 'pk_test_e2e',
      STRIPE_JS_URL: `http://127.0.0.1:${stripePort}/js.stripe.com/v3/`,
      // Portals live on real subdomains: Chromium resolves *.localhost to this machine.
      OIKOS_DOMAIN: `localhost:${port}`,
      // Journeys that register many workspaces name a client address of their own (the
      // sign-up limit is per address), believed from this machine only.
      OIKOS_TRUSTED_PROXIES: '127.0.0.1',
      // The super admin the admin journeys sign in as.
      FIRST_SUPERUSER_EMAIL: 'root@oikos.test',
      FIRST_SUPERUSER_PASSWORD: 'Root-Pass-2026',
      // The webhooks journey delivers to a receiver it starts on this machine.
      OIKOS_WEBHOOKS_ALLOW_PRIVATE: 'true',
    }),
    server(pathPort, pathDataDir, { OIKOS_TENANT_ROUTING: 'path' }),
  ],
});
