import { readFile } from 'node:fs/promises';
import { errorMessage } from '../core/errors.js';
import { parseArxivId } from './arxiv-id.js';
import { writeTextAtomic } from './atomic-write.js';
import { ImprovementsFormatError } from './errors.js';

export const PROPOSALS_HEADING = '## Research proposals';
const PROPOSAL = /^- \[( |x|X)\] research arXiv:(\S+?): (.+)$/;
const OURS = /^\s*[-*] \[[ xX]\] research arXiv:/;
const CONFLICT = /^(<{7}|={7}|>{7})( |$)/;
const URL_IN_TEXT = /https?:\/\/[^\s<>()[\]"'`]+/g;

export interface Proposal {
  id: string;
  version: number;
  /** One line: title, the change proposed, the modules, the note. */
  text: string;
}

export interface ImprovementsDoc {
  file: string;
  /** The text as read; `undefined` when the file does not exist yet. */
  text: string | undefined;
  /** arXiv ids (without version) that already have a proposal, with their line. */
  proposals: Map<string, number>;
  /** http(s) URLs outside code blocks and proposal lines, in order, each with its first line. */
  links: { url: string; line: number }[];
}

/**
 * Reads `improvements.md`, refusing (with the line) what makes appending
 * unsafe: bytes that are not UTF-8 text, merge-conflict markers, a code
 * fence never closed, or a research proposal line that does not parse.
 */
export async function readImprovements(file: string): Promise<ImprovementsDoc> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return { file, text: undefined, proposals: new Map(), links: [] };
    }
    throw new ImprovementsFormatError(file, 0, `cannot be read: ${errorMessage(error)}`);
  }
  const text = decodeText(file, bytes);
  const proposals = new Map<string, number>();
  const links: { url: string; line: number }[] = [];
  const seen = new Set<string>();
  let fence: { marker: string; line: number } | undefined;
  const lines = text.split('\n');
  lines.forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    const n = i + 1;
    const fenceMatch = /^\s{0,3}(`{3,}|~{3,})/.exec(line);
    if (fenceMatch) {
      if (!fence) fence = { marker: fenceMatch[1]!, line: n };
      else if (fenceMatch[1]!.startsWith(fence.marker)) fence = undefined;
      return;
    }
    if (fence) return;
    if (CONFLICT.test(line)) {
      throw new ImprovementsFormatError(file, n, 'has a merge-conflict marker; resolve the conflict first');
    }
    if (OURS.test(line)) {
      const m = PROPOSAL.exec(line.trim());
      const id = m ? parseArxivId(m[2]!) : undefined;
      if (!m || !id) {
        throw new ImprovementsFormatError(
          file,
          n,
          `a research proposal line that does not parse; expected "- [ ] research arXiv:<id>v<version>: <text>", got "${line.trim().slice(0, 80)}"`,
        );
      }
      if (!proposals.has(id.id)) proposals.set(id.id, n);
      return;
    }
    for (const match of line.matchAll(URL_IN_TEXT)) {
      const url = match[0].replace(/[.,;:!?*_]+$/, '');
      if (seen.has(url)) continue;
      seen.add(url);
      links.push({ url, line: n });
    }
  });
  if (fence) {
    throw new ImprovementsFormatError(
      file,
      fence.line,
      `a code block opened with ${fence.marker} is never closed`,
    );
  }
  return { file, text, proposals, links };
}

function decodeText(file: string, bytes: Buffer): string {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  try {
    const text = decoder.decode(bytes);
    const nul = text.indexOf('\0');
    if (nul !== -1) {
      throw new ImprovementsFormatError(
        file,
        lineAt(text, nul),
        'contains a NUL byte; it is not a text file',
      );
    }
    return text;
  } catch (error) {
    if (error instanceof ImprovementsFormatError) throw error;
    let line = 1;
    let from = 0;
    for (let nl = bytes.indexOf(10); ; nl = bytes.indexOf(10, from)) {
      const end = nl === -1 ? bytes.length : nl;
      try {
        decoder.decode(bytes.subarray(from, end));
      } catch {
        break;
      }
      if (nl === -1) break;
      from = nl + 1;
      line++;
    }
    throw new ImprovementsFormatError(file, line, 'is not valid UTF-8 text');
  }
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

export function proposalLine(p: Proposal): string {
  return `- [ ] research arXiv:${p.id}v${p.version}: ${p.text.replace(/\s+/g, ' ').trim()}`;
}

/**
 * Appends the proposals that the file does not already hold (by arXiv id),
 * under the "Research proposals" heading (added at the end if missing), and
 * replaces the file atomically. The file is read again just before, so a
 * proposal written meanwhile is not duplicated. Returns those appended.
 */
export async function appendProposals(file: string, proposals: readonly Proposal[]): Promise<Proposal[]> {
  const doc = await readImprovements(file);
  const fresh: Proposal[] = [];
  const ids = new Set(doc.proposals.keys());
  for (const p of proposals) {
    if (ids.has(p.id)) continue;
    ids.add(p.id);
    fresh.push(p);
  }
  if (fresh.length === 0) return [];
  await writeTextAtomic(file, withProposals(doc.text, fresh.map(proposalLine)));
  return fresh;
}

function withProposals(text: string | undefined, added: string[]): string {
  if (text === undefined) return `# Improvements\n\n${PROPOSALS_HEADING}\n\n${added.join('\n')}\n`;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  const heading = lines.findIndex((l) => l.trim() === PROPOSALS_HEADING);
  if (heading === -1) {
    while (lines.length > 0 && lines[lines.length - 1]!.trim() === '') lines.pop();
    lines.push('', PROPOSALS_HEADING, '', ...added);
    return `${lines.join(eol)}${eol}`;
  }
  let end = heading + 1;
  while (end < lines.length && !/^#{1,2} /.test(lines[end]!)) end++;
  let at = end;
  while (at > heading + 1 && lines[at - 1]!.trim() === '') at--;
  const insert = at === heading + 1 ? ['', ...added] : added;
  lines.splice(at, 0, ...insert, ...(at === end && end < lines.length ? [''] : []));
  return `${lines.join(eol)}${eol}`;
}
