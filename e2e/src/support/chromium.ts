import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { REPO_ROOT } from './plugin';
import { CHROMIUM } from './system-tools';

/** Debian's Chromium, headless, with every background network feature off (TOOLCHAIN.md). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM.name, headless: true, args: CHROMIUM_ARGS });
}

/**
 * Mermaid's own parser (the `mermaid` package's browser build, which needs a DOM) on a diagram,
 * in an offline page: the diagram type, or the parser's error as text.
 */
export async function parseMermaid(browser: Browser, diagram: string): Promise<{ ok: boolean; type: string }> {
  const context = await browser.newContext({ offline: true });
  try {
    const page = await context.newPage();
    await page.setContent('<!doctype html><html><body></body></html>');
    await page.addScriptTag({ path: join(REPO_ROOT, 'node_modules', 'mermaid', 'dist', 'mermaid.min.js') });
    return await page.evaluate(async (text) => {
      const mermaid = (window as unknown as { mermaid: { parse(text: string): Promise<{ diagramType: string }> } })
        .mermaid;
      try {
        return { ok: true, type: (await mermaid.parse(text)).diagramType };
      } catch (error) {
        return { ok: false, type: String(error) };
      }
    }, diagram);
  } finally {
    await context.close();
  }
}

/** The body of every ```mermaid block of a Markdown text. */
export function mermaidBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```mermaid\n([\s\S]*?)^```$/gm)].map((match) => match[1]);
}
