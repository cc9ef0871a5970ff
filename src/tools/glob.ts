import { globToRegExp, pathMatcher } from '../memory/index.js';

export { globToRegExp };

/**
 * Builds the filter for a listing or search under `base` (relative to the
 * workspace root). A glob without `/` matches the file name, like
 * `.gitignore`; one with `/` matches the path relative to the root or to
 * `base`, whichever the model meant.
 */
export function pathFilter(glob: string, base: string): (rel: string) => boolean {
  const matches = pathMatcher(glob);
  if (!glob.includes('/')) return matches;
  const prefix = base === '.' ? '' : `${base}/`;
  return (rel) =>
    matches(rel) || (prefix !== '' && rel.startsWith(prefix) && matches(rel.slice(prefix.length)));
}
