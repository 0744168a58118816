// Renders images/icon.svg to images/icon.png (the marketplace icon must be a PNG)
// with the Debian Chromium. Run by hand after editing the SVG:
//   HOME=$(mktemp -d) node vscode-extension/scripts/render-icon.mjs
import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const images = fileURLToPath(new URL('../images/', import.meta.url));
const svg = readFileSync(images + 'icon.svg', 'utf8');
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage({ viewport: { width: 128, height: 128 } });
await page.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`);
await page.locator('svg').screenshot({ path: images + 'icon.png', omitBackground: true });
await browser.close();
