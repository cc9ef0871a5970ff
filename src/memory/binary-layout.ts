import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { MemoryCorruptError } from './errors.js';

/**
 * The file layout shared by segment and vector files:
 *   magic (8 bytes) | sections, each 8-byte aligned | header JSON | header length (u32) | magic
 * The header, written last, lists each section's offset and length, so a
 * file cut short by a crash has no valid tail and is refused rather than
 * half-read. Sections are read one at a time into aligned buffers, so a
 * reader loads only what it keeps in memory and reads the rest on demand.
 */

export type Section = [offset: number, length: number];

export class LayoutWriter {
  readonly parts: Uint8Array[] = [];
  private offset: number;
  private readonly sections: Record<string, Section> = {};

  constructor(private readonly magic: string) {
    this.parts.push(Buffer.from(magic, 'latin1'));
    this.offset = magic.length;
  }

  add(name: string, data: ArrayBufferView): void {
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    this.sections[name] = [this.offset, bytes.byteLength];
    this.parts.push(bytes);
    this.offset += bytes.byteLength;
    const pad = (8 - (this.offset % 8)) % 8;
    if (pad > 0) {
      this.parts.push(new Uint8Array(pad));
      this.offset += pad;
    }
  }

  finish(header: Record<string, unknown>): Uint8Array[] {
    const json = Buffer.from(JSON.stringify({ ...header, sections: this.sections }), 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32LE(json.byteLength);
    this.parts.push(json, length, Buffer.from(this.magic, 'latin1'));
    return this.parts;
  }
}

export class LayoutReader {
  readonly header: Record<string, unknown>;
  private readonly sections: Record<string, Section>;

  private constructor(
    readonly file: string,
    readonly fd: number,
    header: Record<string, unknown>,
  ) {
    this.header = header;
    this.sections = header.sections as Record<string, Section>;
  }

  static open(file: string, magic: string): LayoutReader {
    const fd = openSync(file, 'r');
    try {
      const size = fstatSync(fd).size;
      const tail = Buffer.alloc(4 + magic.length);
      if (size < magic.length * 2 + 4) throw new MemoryCorruptError(file, 'file too short');
      readSync(fd, tail, 0, tail.length, size - tail.length);
      if (tail.toString('latin1', 4) !== magic)
        throw new MemoryCorruptError(file, 'incomplete or not a memory file');
      const length = tail.readUInt32LE(0);
      const json = Buffer.alloc(length);
      readSync(fd, json, 0, length, size - tail.length - length);
      const header = JSON.parse(json.toString('utf8')) as Record<string, unknown>;
      if (typeof header.sections !== 'object' || header.sections === null) {
        throw new MemoryCorruptError(file, 'no section table');
      }
      return new LayoutReader(file, fd, header);
    } catch (error) {
      closeSync(fd);
      if (error instanceof MemoryCorruptError) throw error;
      throw new MemoryCorruptError(file, error instanceof Error ? error.message : String(error));
    }
  }

  section(name: string): Section {
    const section = this.sections[name];
    if (!section) throw new MemoryCorruptError(this.file, `section ${name} missing`);
    return section;
  }

  /** Reads a whole section into its own (aligned) buffer. */
  read(name: string): ArrayBuffer {
    const [offset, length] = this.section(name);
    const buffer = new ArrayBuffer(length);
    this.readInto(new Uint8Array(buffer), offset);
    return buffer;
  }

  /** Reads `target.byteLength` bytes at `position` (absolute in the file). */
  readInto(target: Uint8Array, position: number): void {
    let done = 0;
    while (done < target.byteLength) {
      const n = readSync(this.fd, target, done, target.byteLength - done, position + done);
      if (n === 0) throw new MemoryCorruptError(this.file, 'unexpected end of file');
      done += n;
    }
  }

  close(): void {
    closeSync(this.fd);
  }
}
