import { createHash } from 'node:crypto';
import type { LanguageModelV3Prompt } from '@ai-sdk/provider';
import type { CacheableCall } from '../models/index.js';

export type { CacheableCall } from '../models/index.js';

export interface CallKeys {
  /** Hash of the parameters and the normalised conversation: equal means the same call. */
  exact: string;
  /** Hash of the parameters alone: a near hit must match it exactly. */
  params: string;
  /** The normalised conversation (roles and significant tokens), for SimHash and the cosine. */
  text: string;
  /** Its tokens in order; in strict mode a near hit must have exactly these. */
  tokens: string[];
}

/**
 * Normalises a call into its cache keys. Text is normalised only in ways
 * that cannot change what a model is asked: line endings, trailing spaces,
 * Unicode composition, blank lines at the ends. Indentation and case stay
 * (they matter in code). Object keys are sorted, so key order never splits
 * a hit.
 */
export function callKeys(call: CacheableCall): CallKeys {
  const params = canonical({
    models: call.models,
    tools: call.tools ?? [],
    maxOutputTokens: call.maxOutputTokens,
    temperature: call.temperature ?? null,
    responseFormat: call.responseFormat ?? null,
    tenant: call.tenant,
  });
  const conversation = canonical(call.prompt);
  const { text, tokens } = normalisedConversation(call.prompt);
  return { exact: sha(`${params}\n${conversation}`), params: sha(params), text, tokens };
}

/**
 * Words that change how a request is phrased, not what it asks. With
 * punctuation, spacing and the case of a sentence's first letter, they are
 * all a near hit may differ in. Negations and numbers are never here.
 */
const FILLER = new Set(
  'a an the please kindly could would can will you me i hi hello hey thanks thank just is are s re am m do'.split(
    ' ',
  ),
);

/** Words (with inner dots and hyphens: `3.11`, `feature-a`), and operators, which are meaning in code. */
const TOKEN = /[\p{L}\p{N}_]+(?:[.-][\p{L}\p{N}_]+)*|[+\-*/%=<>&|^~]+|!(?=[\p{L}\p{N}_(])/gu;

/**
 * The significant tokens of a message text, in order: filler words left
 * out, a sentence's first letter lower-cased (elsewhere case is kept: it
 * tells identifiers apart), and the width of each line's indentation as a
 * token (meaning in Python and YAML).
 */
function significantTokens(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const indent = /^[ \t]+/.exec(line)?.[0];
    if (indent && line.trim() !== '') out.push(`\u21e5${indent.replace(/\t/g, '    ').length}`);
    for (const match of line.matchAll(TOKEN)) {
      const before = line.slice(0, match.index).trimEnd();
      const initial = before === '' || /[.!?:]$/.test(before);
      const word = match[0];
      const token = initial ? word.charAt(0).toLowerCase() + word.slice(1) : word;
      if (!FILLER.has(token) && !(initial && FILLER.has(token.toLowerCase()))) out.push(token);
    }
  }
  return out;
}

/** Each message as `role` then its significant tokens: what SimHash, the cosine and the guard compare. */
function normalisedConversation(prompt: LanguageModelV3Prompt): { text: string; tokens: string[] } {
  const tokens: string[] = [];
  const lines: string[] = [];
  for (const message of prompt) {
    const parts = typeof message.content === 'string' ? [message.content] : message.content.map(partText);
    for (const part of parts) {
      const significant = significantTokens(part);
      tokens.push(`${message.role}:`, ...significant);
      lines.push(`${message.role}: ${significant.join(' ')}`);
    }
  }
  return { text: lines.join('\n'), tokens };
}

function partText(part: Exclude<LanguageModelV3Prompt[number]['content'], string>[number]): string {
  switch (part.type) {
    case 'text':
    case 'reasoning':
      return normaliseText(part.text);
    case 'tool-call':
      return `${part.toolName} ${canonical(part.input)}`;
    case 'tool-result':
      return `${part.toolName} ${canonical(part.output)}`;
    default:
      return canonical(part);
  }
}

export function normaliseText(text: string): string {
  return text
    .normalize('NFC')
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t]+$/gm, '')
    .replace(/^\n+|\n+$/g, '');
}

/** JSON with sorted keys and normalised strings; `undefined` members dropped, as JSON does. */
export function canonical(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (typeof value === 'string') return normaliseText(value);
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value instanceof Uint8Array || value instanceof URL)
    return String(value instanceof URL ? value : sha(value));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const member = (value as Record<string, unknown>)[key];
      if (member !== undefined) out[key] = sortKeys(member);
    }
    return out;
  }
  return value;
}

function sha(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}
