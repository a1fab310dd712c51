/**
 * The code blocks of a Markdown file, each classified by its fence's info string, so README.md can be
 * checked as code (spec/readme/README.spec.ts). The info string says what a block is:
 *
 * - `ts` — a program: type-checked, then run with Node as an ES module (must exit 0, nothing on stderr);
 * - `ts test` — a jest test file: type-checked, then run by jest;
 * - `ts no-run: <why>` — type-checked only; the reason is required (a browser page, an Angular app…);
 * - `ts excerpt: <file>` — verbatim lines of a file of the repository that is built and tested where it
 *   lives (the Angular example app): checked to appear in that file, not compiled again on its own;
 * - `marble <operator>` — a marble diagram of `gather`, `asCompleted` or `wait`, replayed in a TestScheduler;
 * - `sh` — shell commands, shown, never run.
 *
 * A fence with no info string, or one not listed here, is an error: every block says what it is.
 */

export type BlockKind = 'run' | 'test' | 'no-run' | 'excerpt' | 'marble' | 'sh';

export interface Block {
  readonly kind: BlockKind;
  /** 1-based line of the opening fence. */
  readonly line: number;
  /** The nearest heading above the block. */
  readonly heading: string;
  readonly code: string;
  /** `no-run`: why it cannot run; `marble`: the operator. */
  readonly detail: string;
}

export function readmeBlocks(markdown: string): Block[] {
  const lines = markdown.split('\n');
  const blocks: Block[] = [];
  let heading = '';
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i]!;
    if (/^#{1,6} /.test(text)) heading = text.replace(/^#+ /, '');
    const fence = /^(`{3,})(.*)$/.exec(text);
    if (fence === null) continue;
    const close = lines.findIndex((l, j) => j > i && l.startsWith(fence[1]!) && l.trim() === fence[1]);
    if (close < 0) throw new Error(`README.md:${i + 1}: a code fence that is never closed`);
    const { kind, detail } = classify(fence[2]!.trim(), i + 1);
    blocks.push({ kind, line: i + 1, heading, code: lines.slice(i + 1, close).join('\n') + '\n', detail });
    i = close;
  }
  return blocks;
}

function classify(info: string, line: number): { kind: BlockKind; detail: string } {
  if (info === 'ts') return { kind: 'run', detail: '' };
  if (info === 'ts test') return { kind: 'test', detail: '' };
  if (info === 'sh') return { kind: 'sh', detail: '' };
  const noRun = /^ts no-run:\s*(\S.*)$/.exec(info);
  if (noRun) return { kind: 'no-run', detail: noRun[1]! };
  const excerpt = /^ts excerpt:\s*(\S+)$/.exec(info);
  if (excerpt) return { kind: 'excerpt', detail: excerpt[1]! };
  const marble = /^marble (gather|asCompleted|wait)$/.exec(info);
  if (marble) return { kind: 'marble', detail: marble[1]! };
  throw new Error(
    `README.md:${line}: the code fence \`\`\`${info} does not say what it is: use \`ts\`, \`ts test\`, \`ts no-run: <why>\`, \`ts excerpt: <file>\`, \`marble <operator>\` or \`sh\``,
  );
}

/** A marble block: its source and result diagrams, the members' cold diagrams, the operator call and the result's value. */
export interface MarbleDiagram {
  readonly source: string;
  readonly result: string;
  /** Member name → its cold marble. */
  readonly members: Readonly<Record<string, string>>;
  /** The operator's options as written (`{ returnWhen: 'FIRST_COMPLETED' }`), or '' for none. */
  readonly options: string;
  /** What follows `r =` (gather, wait), or '' when the result letters name members. */
  readonly value: string;
}

export function parseMarble(block: Block): MarbleDiagram {
  const row = (name: string) => {
    const match = new RegExp(`^${name}:\\s+(\\S+)(.*)$`, 'm').exec(block.code);
    if (match === null) throw new Error(`README.md:${block.line}: the marble block has no \`${name}:\` line`);
    return { marble: match[1]!, rest: match[2]! };
  };
  const source = row('source');
  const result = row('result');
  const members: Record<string, string> = {};
  for (const [, name, marble] of source.rest.matchAll(/(\w) = cold\('([^']*)'\)/g)) members[name!] = marble!;
  const call = new RegExp(`^${block.detail}\\((.*)\\)\\s*$`, 'm').exec(block.code);
  return {
    source: source.marble,
    result: result.marble,
    members,
    options: call?.[1] ?? '',
    value: /\br = (.*)$/.exec(result.rest)?.[1]?.trim() ?? '',
  };
}
