export const DEFAULT_DIMENSIONS = 256;

/**
 * A deterministic embedding with no model behind it: lower-cased words and
 * character trigrams are hashed into signed buckets (the hashing trick) and
 * the vector is L2-normalised. Texts that share words or spellings get a
 * high cosine, the same text always gets the same vector, which is what
 * retrieval tests need.
 */
export function embed(text: string, dimensions = DEFAULT_DIMENSIONS): number[] {
  const vector = new Float64Array(dimensions);
  const lower = text.toLowerCase();
  const add = (feature: string, weight: number) => {
    const h = fnv1a(feature);
    // The top bit chooses the sign so that colliding features tend to cancel rather than pile up.
    vector[h % dimensions] = (vector[h % dimensions] ?? 0) + (h & 0x80000000 ? -weight : weight);
  };
  for (const word of lower.match(/[\p{L}\p{N}_]+/gu) ?? []) add(`w:${word}`, 1);
  const padded = Array.from(` ${lower} `);
  for (let i = 0; i + 3 <= padded.length; i++) add(`t:${padded.slice(i, i + 3).join('')}`, 0.5);
  const norm = Math.sqrt(vector.reduce((sum, v) => sum + v * v, 0));
  return Array.from(vector, (v) => (norm === 0 ? 0 : v / norm));
}

/** OpenAI's base64 encoding: float32s in the platform's byte order, little-endian on every host Node runs on. */
export function toBase64(vector: readonly number[]): string {
  return Buffer.from(new Float32Array(vector).buffer).toString('base64');
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
