import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
let lastTime = 0;
// one crypto call per 4 KiB of ids instead of one per id: randomBytes costs microseconds each time
let pool = Buffer.alloc(0);
let poolAt = 0;

function randomByte(): number {
  if (poolAt >= pool.length) {
    pool = randomBytes(4096);
    poolAt = 0;
  }
  return pool[poolAt++]!;
}
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
  let tail = ALPHABET[counter % 32] ?? '0';
  for (let i = 0; i < 8; i++) tail += ALPHABET[randomByte() % 32];
  return `${prefix}_${time}${tail}`;
}
