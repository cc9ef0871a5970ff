export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL = /\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"\s*,?/y;

/**
 * Reads the samples of Prometheus text format 0.0.4, as vLLM (through
 * prometheus_client) and llama.cpp write it: comments and HELP/TYPE lines
 * skipped, escaped label values, `+Inf`/`NaN`, optional timestamps, CRLF or
 * a missing final newline. `wanted` filters by metric name before labels
 * are parsed, which keeps a scrape of hundreds of families cheap. Lines that
 * do not parse are skipped: one odd family must not blind the router.
 */
export function parseSamples(text: string, wanted: (name: string) => boolean = () => true): Sample[] {
  const samples: Sample[] = [];
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end).trim();
    start = end + 1;
    if (line === '' || line.startsWith('#')) continue;
    const name = NAME.exec(line)?.[0];
    if (name === undefined || !wanted(name)) continue;
    const sample = parseLine(line, name);
    if (sample) samples.push(sample);
  }
  return samples;
}

function parseLine(line: string, name: string): Sample | undefined {
  let rest = name.length;
  const labels: Record<string, string> = {};
  if (line[rest] === '{') {
    const close = closingBrace(line, rest + 1);
    if (close < 0) return undefined;
    const body = line.slice(rest + 1, close);
    LABEL.lastIndex = 0;
    while (LABEL.lastIndex < body.length) {
      const at = LABEL.lastIndex;
      const match = LABEL.exec(body);
      if (!match) {
        if (body.slice(at).trim() === '') break;
        return undefined;
      }
      labels[match[1] as string] = unescapeLabel(match[2] as string);
    }
    rest = close + 1;
  }
  const fields = line.slice(rest).trim().split(/\s+/);
  const value = parseValue(fields[0] ?? '');
  return value === undefined ? undefined : { name, labels, value };
}

/** The `}` that ends the label set, skipping braces inside quoted values. */
function closingBrace(line: string, from: number): number {
  let quoted = false;
  for (let i = from; i < line.length; i++) {
    const c = line[i];
    if (quoted && c === '\\') i++;
    else if (c === '"') quoted = !quoted;
    else if (!quoted && c === '}') return i;
  }
  return -1;
}

function parseValue(text: string): number | undefined {
  if (text === '+Inf' || text === 'Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  if (text === 'NaN') return Number.NaN;
  if (text === '') return undefined;
  const value = Number(text);
  return Number.isNaN(value) ? undefined : value;
}

function unescapeLabel(value: string): string {
  return value.includes('\\') ? value.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c)) : value;
}
