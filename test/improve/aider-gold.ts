import { readFileSync } from 'node:fs';
import { EditParseError } from '../../src/improve/edits/errors.js';
import { parseSearchReplace } from '../../src/improve/edits/search-replace-parser.js';
import { fixturePath } from '../support/fixtures.js';

/**
 * Replays Aider's parity harness (tests/basic/test_find_or_blocks.py) on the
 * shared transcripts: the history is cut into sections at each `#### `, the
 * sections that quote Aider's own parser are left out, and each section's
 * parse is compared with the gold, block by block.
 */

export type GoldItem =
  | { kind: 'edit'; path: string; search: string; replace: string }
  | { kind: 'shell'; commands: string };

export interface GoldSection {
  header: string;
  items: GoldItem[];
  /** The gold recorded a parse failure for this section instead of blocks. */
  error: boolean;
}

export interface Agreement {
  goldSections: number;
  goldEdits: number;
  /** Gold edit blocks our parser produced identically (path, SEARCH and REPLACE), in order. */
  identicalEdits: number;
  goldShell: number;
  identicalShell: number;
  /** Gold sections recording a parse failure, and how many of them our parser refused too. */
  goldErrors: number;
  agreedErrors: number;
  /** Edit blocks we produced that the gold does not have (in sections the gold parsed or left out). */
  extraEdits: number;
  /** Sections whose parse differs from the gold, for a person to look at. */
  differing: string[];
}

const BAR = '@'.repeat(20);

export function readGold(): GoldSection[] {
  const text = readFileSync(fixturePath('aider', 'chat-history-search-replace-gold.txt'), 'utf8');
  const lines = text.split(/(?<=\n)/);
  const sections: GoldSection[] = [];
  let i = 0;
  const at = (k: number) => (lines[k] ?? '').replace(/\n$/, '');
  while (i < lines.length) {
    const header = /^@@@ (.*) @{20}$/.exec(at(i));
    if (!header || at(i).startsWith('@@@ SEARCH:') || at(i).startsWith('@@@ SHELL')) {
      i++;
      continue;
    }
    const section: GoldSection = { header: header[1]!, items: [], error: false };
    sections.push(section);
    i++;
    while (i < lines.length) {
      const line = at(i);
      const search = /^@@@ SEARCH: (.*) @{20}$/.exec(line);
      if (search) {
        const before: string[] = [];
        const after: string[] = [];
        i++;
        while (at(i) !== BAR) before.push(lines[i++]!);
        i++;
        while (at(i) !== `@@@ REPLACE ${BAR}`) after.push(lines[i++]!);
        i++;
        section.items.push({
          kind: 'edit',
          path: search[1]!,
          search: before.join(''),
          replace: after.join(''),
        });
      } else if (line === `@@@ SHELL ${BAR}`) {
        const body: string[] = [];
        i++;
        while (at(i) !== `@@@ ENDSHELL ${BAR}`) body.push(lines[i++]!);
        i++;
        section.items.push({ kind: 'shell', commands: body.join('') });
      } else if (line === '' && /^@@@ .* @{20}$/.test(at(i + 2)) && at(i + 1) === '') {
        break;
      } else {
        section.error = true;
        i++;
      }
    }
  }
  return sections;
}

interface HistorySection {
  header: string;
  content: string;
}

/** The sections of the history the way Aider's harness cuts them. */
export function readHistorySections(): HistorySection[] {
  const text = readFileSync(fixturePath('aider', 'chat-history.md'), 'utf8');
  const sections: HistorySection[] = [];
  for (const section of text.split(/(?=####\s)/)) {
    if (section.includes('editblock_coder.py') || section.includes('test_editblock.py')) continue;
    if (section.trim() === '') continue;
    const newline = section.indexOf('\n');
    const header = (newline < 0 ? section : section.slice(0, newline)).trim();
    sections.push({ header, content: newline < 0 ? '' : section.slice(newline + 1) });
  }
  return sections;
}

type OurParse = { items: GoldItem[]; error: boolean };

const parses = new Map<string, OurParse>();

function ourParse(content: string): OurParse {
  let parse = parses.get(content);
  if (!parse) {
    parse = parseOnce(content);
    parses.set(content, parse);
  }
  return parse;
}

function parseOnce(content: string): OurParse {
  try {
    const { blocks, commands } = parseSearchReplace(content);
    // The gold interleaves shells and edits in reply order; our parse keeps them apart, so compare per kind.
    return {
      items: [
        ...blocks.map(
          (b): GoldItem => ({ kind: 'edit', path: b.path, search: b.search, replace: b.replace }),
        ),
        ...commands.map((c): GoldItem => ({ kind: 'shell', commands: c })),
      ],
      error: false,
    };
  } catch (error) {
    if (error instanceof EditParseError) return { items: [], error: true };
    throw error;
  }
}

export function measureAgreement(): Agreement {
  const gold = readGold();
  const history = readHistorySections();
  const result: Agreement = {
    goldSections: gold.length,
    goldEdits: 0,
    identicalEdits: 0,
    goldShell: 0,
    identicalShell: 0,
    goldErrors: 0,
    agreedErrors: 0,
    extraEdits: 0,
    differing: [],
  };
  let h = 0;
  for (const section of gold) {
    const goldEdits = section.items.filter((item) => item.kind === 'edit');
    const goldShell = section.items.filter((item) => item.kind === 'shell');
    result.goldEdits += goldEdits.length;
    result.goldShell += goldShell.length;
    if (section.error) result.goldErrors++;
    // Gold sections are a subsequence of the history's; headers repeat, so prefer the one whose parse fits.
    const found = findSection(history, h, section);
    if (found === undefined) {
      result.differing.push(section.header);
      continue;
    }
    for (; h < found.index; h++) result.extraEdits += editCount(ourParse(history[h]!.content));
    h = found.index + 1;
    const ours = found.parse;
    if (section.error && ours.error) result.agreedErrors++;
    const ourEdits = ours.items.filter((item) => item.kind === 'edit');
    const ourShell = ours.items.filter((item) => item.kind === 'shell');
    const sameEdits = countSame(goldEdits, ourEdits);
    const sameShell = countSame(goldShell, ourShell);
    result.identicalEdits += sameEdits;
    result.identicalShell += sameShell;
    result.extraEdits += Math.max(0, ourEdits.length - sameEdits);
    if (sameEdits !== goldEdits.length || sameShell !== goldShell.length || section.error !== ours.error) {
      result.differing.push(section.header);
    }
  }
  for (; h < history.length; h++) {
    result.extraEdits += editCount(ourParse(history[h]!.content));
  }
  return result;
}

function findSection(
  history: readonly HistorySection[],
  from: number,
  section: GoldSection,
): { index: number; parse: OurParse } | undefined {
  let first: { index: number; parse: OurParse } | undefined;
  for (let k = from; k < history.length; k++) {
    if (history[k]!.header !== section.header) continue;
    const parse = ourParse(history[k]!.content);
    if (matchesSection(parse, section)) return { index: k, parse };
    first ??= { index: k, parse };
  }
  return first;
}

function editCount(parse: OurParse): number {
  return parse.items.filter((item) => item.kind === 'edit').length;
}

/**
 * Whether a history section is the one the gold section came from: the same
 * header (checked by the caller) and at least one item in common, or both
 * refusing. Headers repeat, so the header alone would misalign.
 */
function matchesSection(parsed: OurParse, section: GoldSection): boolean {
  if (section.error) return parsed.error;
  return countSame(section.items, parsed.items) > 0 || parsed.error;
}

/** Items equal position by position (the order within one kind is the reply's order). */
function countSame(gold: readonly GoldItem[], ours: readonly GoldItem[]): number {
  let same = 0;
  for (let k = 0; k < gold.length; k++) {
    if (ours[k] !== undefined && JSON.stringify(ours[k]) === JSON.stringify(gold[k])) same++;
  }
  return same;
}
