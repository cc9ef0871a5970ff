import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
let lastTime = 0;
let counter = 0;

/**
 * Time-ordered ids (`run_01j...`): sortable as text, so listings by id are
 * listings by creation time, and unique across processes by the random tail.
 */
export function newId(prefix: string): string {
  const now = Date.now();
  counter = now === lastTime ? counter + 1 : 0;
  lastTime = now;
  let time = '';
  let t = now;
  for (let i = 0; i < 9; i++) {
    time = ALPHABET[t % 32] + time;
    t = Math.floor(t / 32);
  }
  const bytes = randomBytes(8);
  let tail = ALPHABET[counter % 32] ?? '0';
  for (const b of bytes) tail += ALPHABET[b % 32];
  return `${prefix}_${time}${tail}`;
}
