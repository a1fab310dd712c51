/**
 * The README's Angular recipe is the example app's code: every TypeScript block of that section appears,
 * verbatim, in a file of examples/angular/src (which the browser suite builds and drives in Chromium).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

describe('README Angular recipe', () => {
  it("should show only code that is, verbatim, the example app's", () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### Angular: a caller per concern'), readme.indexOf('### Marble testing'));
    const blocks = [...section.matchAll(/```ts[^\n]*\n([\s\S]*?)```/g)].map((match) => match[1]!.trimEnd());
    expect(blocks.length).toBeGreaterThanOrEqual(4);
    const dir = join(root, 'examples', 'angular', 'src');
    const sources = readdirSync(dir).map((name) => readFileSync(join(dir, name), 'utf8'));
    for (const block of blocks) expect({ block, inTheApp: sources.some((source) => source.includes(block)) }).toEqual({ block, inTheApp: true });
  });
});
