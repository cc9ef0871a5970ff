/** A file as lines without their endings, with what is needed to write it back byte for byte. */
export interface TextLines {
  lines: string[];
  eol: '\n' | '\r\n';
  /** Whether the text ended with a line ending (most files do; some do not). */
  finalNewline: boolean;
}

export function toLines(text: string): TextLines {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const finalNewline = text.endsWith('\n');
  const body = finalNewline ? text.slice(0, text.endsWith('\r\n') ? -2 : -1) : text;
  const lines = body === '' && !finalNewline ? [] : body.split(/\r?\n/);
  return { lines, eol, finalNewline };
}

export function fromLines(text: TextLines): string {
  if (text.lines.length === 0) return '';
  return text.lines.join(text.eol) + (text.finalNewline ? text.eol : '');
}

/** The lines of a SEARCH or REPLACE part, endings dropped (a model's `\r\n` included). */
export function blockLines(part: string): string[] {
  return toLines(part).lines;
}

/** The leading run of spaces and tabs. */
export function indentOf(line: string): string {
  return /^[ \t]*/.exec(line)![0];
}

export function isBlank(line: string): boolean {
  return line.trim() === '';
}
