const DIFF_START = /^(diff --git |--- |\+\+\+ |@@ )/m;

/** A unified diff found in a tool call's arguments or result (an edit tool's patch), if any. */
export function findDiff(value: unknown): string | undefined {
  if (typeof value === 'string') {
    if (DIFF_START.test(value) && /^@@ /m.test(value)) return value;
    try {
      return findDiff(JSON.parse(value));
    } catch {
      return undefined;
    }
  }
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value as Record<string, unknown>)) {
      const found = findDiff(inner);
      if (found) return found;
    }
  }
  return undefined;
}

export function DiffView({ diff }: { diff: string }) {
  const lines = diff.replace(/\n$/, '').split('\n');
  return (
    <pre className="diff">
      {lines.map((line, i) => {
        const kind =
          line.startsWith('+++') || line.startsWith('---')
            ? 'file'
            : line.startsWith('@@')
              ? 'hunk'
              : line.startsWith('+')
                ? 'add'
                : line.startsWith('-')
                  ? 'del'
                  : 'ctx';
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: lines of a fixed text, never reordered
          <span key={i} className={`diff-${kind}`}>
            {line}
            {'\n'}
          </span>
        );
      })}
    </pre>
  );
}
