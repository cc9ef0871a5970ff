/**
 * The part of a Markdown file a run owns, between two HTML comments; what
 * people wrote around it is kept as it is. A file without the block gets it
 * appended (or is created with it).
 */
export function replaceBlock(
  existing: string | undefined,
  name: string,
  content: string,
  title: string,
): string {
  const start = `<!-- swarm:${name}:start -->`;
  const end = `<!-- swarm:${name}:end -->`;
  const block = `${start}\n${content.trim()}\n${end}`;
  if (existing === undefined || existing.trim() === '') return `# ${title}\n\n${block}\n`;
  const from = existing.indexOf(start);
  const to = existing.indexOf(end);
  if (from >= 0 && to > from) return `${existing.slice(0, from)}${block}${existing.slice(to + end.length)}`;
  return `${existing.trimEnd()}\n\n${block}\n`;
}

/** The content of a run's block, or '' when the file has none. */
export function readBlock(existing: string | undefined, name: string): string {
  if (!existing) return '';
  const start = `<!-- swarm:${name}:start -->`;
  const end = `<!-- swarm:${name}:end -->`;
  const from = existing.indexOf(start);
  const to = existing.indexOf(end);
  return from >= 0 && to > from ? existing.slice(from + start.length, to) : '';
}
