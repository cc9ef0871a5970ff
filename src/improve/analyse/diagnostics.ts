import { isAbsolute, relative } from 'node:path';
import { stripVTControlCharacters } from 'node:util';

/**
 * One lint or typecheck error, normalised so that the same problem compares
 * equal before and after an edit that moved it: by file, rule or code, and
 * message, never by line (lines shift with every edit above them).
 */
export interface Diagnostic {
  /** Relative to the repository, `/`-separated; '' when the tool named no file. */
  file: string;
  /** `TS2322`, `lint/style/useConst`, `no-unused-vars`, `F401`; '' when the tool gave none. */
  code: string;
  message: string;
  /** Where it was, for people reading the report; not compared. */
  line?: number;
}

export function diagnosticKey(d: Diagnostic): string {
  return `${d.file}\u0000${d.code}\u0000${d.message}`;
}

interface LineRule {
  pattern: RegExp;
  read: (m: RegExpExecArray, next: () => string | undefined) => Omit<Diagnostic, 'file'> & { file: string };
}

const RULES: LineRule[] = [
  // tsc: `src/a.ts(3,5): error TS2322: ...` and its pretty form `src/a.ts:3:5 - error TS2322: ...`.
  {
    pattern: /^(.+?)(?:\((\d+),\d+\):|:(\d+):\d+ -) error (TS\d+): (.*)$/,
    read: (m) => ({ file: m[1]!, line: Number(m[2] ?? m[3]), code: m[4]!, message: m[5]! }),
  },
  // Biome: `src/a.ts:3:5 lint/style/useConst FIXABLE ━━━`, the message on the next `×`/`!` line.
  {
    pattern: /^(\S+?):(\d+):\d+ ((?:lint|assist|parse|format)[\w/]*|format|organizeImports)\b.*━/,
    read: (m, next) => {
      let message = '';
      for (let line = next(); line !== undefined; line = next()) {
        const found = /^\s*[×!✖ℹi]\s+(.*)$/.exec(line);
        if (found) {
          message = found[1]!.trim();
          break;
        }
      }
      return { file: m[1]!, line: Number(m[2]), code: m[3]!, message };
    },
  },
  // mypy: `pkg/a.py:3: error: Incompatible types  [assignment]`.
  {
    pattern: /^(.+?):(\d+)(?::\d+)?: error: (.*?)(?:\s+\[([\w-]+)\])?$/,
    read: (m) => ({ file: m[1]!, line: Number(m[2]), code: m[4] ?? '', message: m[3]! }),
  },
  // ruff, flake8, pyright-like: `a.py:1:8: F401 [*] message`.
  {
    pattern: /^(.+?):(\d+):\d+: ([A-Z]+\d+) (?:\[\*\] )?(.*)$/,
    read: (m) => ({ file: m[1]!, line: Number(m[2]), code: m[3]!, message: m[4]! }),
  },
  // go vet, go build, gcc-style: `./a.go:3:2: message`.
  {
    pattern: /^(\.{0,2}\/?[\w./-]+\.\w+):(\d+):\d+: (.*)$/,
    read: (m) => ({ file: m[1]!, line: Number(m[2]), code: '', message: m[3]! }),
  },
];

/** ESLint's default (stylish) format: the file alone on a line, then `  3:5  error  message  rule`. */
const STYLISH_PROBLEM = /^\s+(\d+):\d+\s+error\s+(.+?)\s{2,}(\S+)\s*$/;
const STYLISH_FILE = /^(\/|\.{0,2}\/|[\w@][\w.@-]*\/)[^\s:]*\.\w+$/;

/**
 * The errors a lint or typecheck command printed, in the formats of tsc,
 * Biome, ESLint (stylish), mypy, ruff, flake8 and go vet/build. Warnings are
 * not errors and are left out. A command that failed with nothing readable
 * gives one file-less diagnostic, so a newly failing command is never
 * mistaken for a clean one.
 */
export function parseDiagnostics(
  dir: string,
  output: string,
  run: { exitCode: number | null; timedOut: boolean },
): Diagnostic[] {
  const found: Diagnostic[] = [];
  const lines = stripVTControlCharacters(output).split(/\r?\n/);
  let stylishFile: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const next = () => (i + 1 < lines.length ? lines[++i] : undefined);
    const rule = RULES.find((candidate) => candidate.pattern.test(line));
    if (rule) {
      const d = rule.read(rule.pattern.exec(line)!, next);
      found.push({ ...d, file: normalisePath(dir, d.file), message: d.message.trim() });
      continue;
    }
    if (STYLISH_FILE.test(line.trim()) && !/^\s/.test(line)) {
      stylishFile = line.trim();
      continue;
    }
    const problem = STYLISH_PROBLEM.exec(line);
    if (problem && stylishFile) {
      found.push({
        file: normalisePath(dir, stylishFile),
        line: Number(problem[1]),
        code: problem[3]!,
        message: problem[2]!.trim(),
      });
    }
  }
  if (run.timedOut) found.push({ file: '', code: 'timeout', message: 'the command did not finish in time' });
  else if (found.length === 0 && run.exitCode !== 0) {
    found.push({ file: '', code: 'exit', message: 'the command failed and printed no error Swarm can read' });
  }
  return found;
}

function normalisePath(dir: string, file: string): string {
  const rel = isAbsolute(file) ? relative(dir, file) : file;
  return rel.replace(/\\/g, '/').replace(/^\.\//, '');
}
