import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { prefersHtml, registerConsole } from './console-static';

describe('console serving', () => {
  it('answers HTML at / only to clients that name text/html', () => {
    expect(prefersHtml('text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8')).toBe(true);
    expect(prefersHtml('TEXT/HTML')).toBe(true);
    expect(prefersHtml('application/json')).toBe(false);
    expect(prefersHtml('*/*')).toBe(false);
    expect(prefersHtml(undefined)).toBe(false);
    expect(prefersHtml('text/html;q=0, application/json')).toBe(false);
  });

  it('lets the API start without a built console, and says so', async () => {
    const warnings: string[] = [];
    const app = {} as NestFastifyApplication; // never touched when there is nothing to serve
    const served = await registerConsole(app, { log: () => undefined, warn: (m: string) => void warnings.push(m) }, '/nonexistent/web/dist');
    expect(served).toBe(false);
    expect(warnings).toEqual([expect.stringContaining('Web console not built')]);
  });
});
