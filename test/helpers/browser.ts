import { existsSync } from 'node:fs'
import { chromium, type Browser, type BrowserContext } from 'playwright-core'

/**
 * A real headless Chromium for the web pages (Debian's `chromium` package, driven by playwright-core;
 * `.ci/run` installs it). `CHROMIUM_PATH` overrides where it is looked for.
 * The flags keep it off the network: this machine's closed network refuses its background connections.
 */
export const chromiumPath = process.env.CHROMIUM_PATH ?? ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p))

/** Why browser tests cannot run here (no Chromium installed), or undefined when they can. */
export const browserMissing = (): string | undefined =>
  chromiumPath ? undefined : "no Chromium: install Debian's chromium package (apt-get install chromium) or set CHROMIUM_PATH"

/** One browser per test file, closed when the file's test ends. */
export const launchBrowser = async (t: { teardown(fn: () => unknown): void }): Promise<Browser> => {
  if (!chromiumPath) throw new Error(browserMissing())
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ], // playwright-core gives each launch a fresh temporary profile
  })
  t.teardown(() => browser.close())
  return browser
}

/** A fresh browser context (own cookies) at a phone or desktop viewport, with a locale. */
export const newContext = (browser: Browser, opts: { phone?: boolean; locale?: string; baseURL?: string } = {}): Promise<BrowserContext> =>
  browser.newContext({
    viewport: opts.phone ? { width: 390, height: 844 } : { width: 1280, height: 900 },
    locale: opts.locale ?? 'en-GB',
    baseURL: opts.baseURL,
    acceptDownloads: true,
  })
