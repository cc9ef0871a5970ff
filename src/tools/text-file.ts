import { open } from 'node:fs/promises';

/** How much of a file is inspected to decide whether it is text (what git and grep do too). */
export const SNIFF_BYTES = 8192;

/** A NUL byte near the start means binary: text encodings tools deal with never contain one. */
export function looksBinary(head: Uint8Array): boolean {
  return head.subarray(0, SNIFF_BYTES).includes(0);
}

export async function isBinaryFile(abs: string): Promise<boolean> {
  const handle = await open(abs, 'r');
  try {
    const head = new Uint8Array(SNIFF_BYTES);
    const { bytesRead } = await handle.read(head, 0, SNIFF_BYTES, 0);
    return looksBinary(head.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}
