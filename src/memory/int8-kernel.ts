/**
 * The hot loop of vector search in WebAssembly SIMD: every document's int8
 * dot product with a (sparse) query, 16 documents per instruction group.
 * Measured 8 to 10 times faster than the same loop in JavaScript, which is
 * what keeps exact-quality search within a few milliseconds at hundreds of
 * thousands of chunks. The module is a few hundred bytes, assembled here
 * instruction by instruction (no toolchain needed), and validated before
 * use; where SIMD is unavailable the JavaScript loop runs instead.
 *
 * Memory layout (one WebAssembly.Memory per segment):
 *   [0, dims * stride)            int8 codes, dimension-major, rows padded to `stride` (a multiple of 16)
 *   then `dims` i32               the query's dimension indexes
 *   then `dims` i32               the query's weights, quantised to +-2047
 *   then `stride` i32             the output: one integer score per document
 * With weights within 12 bits, 2,048 dimensions of int8 cannot overflow 32 bits.
 */

export const WEIGHT_SCALE = 2047;

// scan(codes, stride, dimsPtr, weightsPtr, count, outPtr)
const P_CODES = 0;
const P_STRIDE = 1;
const P_DIMS = 2;
const P_WEIGHTS = 3;
const P_COUNT = 4;
const P_OUT = 5;
const L_BLOCK = 6;
const L_J = 7;
const L_ADDR = 8;
const L_ROW = 9;
const L_V = 10;
const L_LO = 11;
const L_HI = 12;
const L_W = 13;
const L_TILE = 14;
const L_TILE_END = 15;
/** Documents per tile: 4,096 scores (16 KB) stay in the L1 cache while every query dimension adds to them. */
const TILE = 4096;

const I32 = 0x7f;
const V128 = 0x7b;

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

const get = (i: number) => [0x20, ...uleb(i)];
const set = (i: number) => [0x21, ...uleb(i)];
const i32Const = (n: number) => [0x41, ...uleb(n)];
const simd = (op: number, ...immediates: number[]) => [0xfd, ...uleb(op), ...immediates];
const I32_ADD = 0x6a;
const I32_MUL = 0x6c;
const I32_SHL = 0x74;
const I32_GE_U = 0x4f;
const I32_LT_U = 0x49;
const SELECT = 0x1b;
const i32Load = [0x28, 2, 0];
const v128Load = simd(0x00, 0, 0);
const v128Store = (offset: number) => simd(0x0b, 0, ...uleb(offset));
const I16X8_SPLAT = simd(0x10);
const EXTEND_LOW_S = simd(0x87);
const EXTEND_HIGH_S = simd(0x88);
const I32X4_ADD = simd(0xae);
const EXTMUL_LOW_S = simd(0xbc);
const EXTMUL_HIGH_S = simd(0xbd);

/**
 * for each tile of TILE documents (its scores stay in the L1 cache):
 *   for each query dimension j: row = codes + dims[j] * stride, w = weights[j];
 *     for each block of 16 documents of the tile: out[block..block+16] += row[block..] * w
 * Each row is read front to back within a tile (the prefetcher's favourite).
 */
function body(): number[] {
  const element = (param: number) => [
    ...get(param),
    ...get(L_J),
    ...i32Const(2),
    I32_SHL,
    I32_ADD,
    ...i32Load,
  ];
  const accumulate = (offset: number, half: number, mul: number[]) => [
    ...get(L_ADDR),
    ...get(L_ADDR),
    ...simd(0x00, 0, ...uleb(offset)),
    ...get(half),
    ...get(L_W),
    ...mul,
    ...I32X4_ADD,
    ...v128Store(offset),
  ];
  const code = [
    ...i32Const(0),
    ...set(L_TILE),
    0x02,
    0x40, // block: all tiles done
    0x03,
    0x40, // loop over tiles
    ...get(L_TILE),
    ...get(P_STRIDE),
    I32_GE_U,
    0x0d,
    1,
    // tileEnd = min(tile + TILE, stride)
    ...get(L_TILE),
    ...i32Const(TILE),
    I32_ADD,
    ...get(P_STRIDE),
    ...get(L_TILE),
    ...i32Const(TILE),
    I32_ADD,
    ...get(P_STRIDE),
    I32_LT_U,
    SELECT,
    ...set(L_TILE_END),
    ...i32Const(0),
    ...set(L_J),
    0x02,
    0x40, // block: all dimensions done
    0x03,
    0x40, // loop over the query's dimensions
    ...get(L_J),
    ...get(P_COUNT),
    I32_GE_U,
    0x0d,
    1,
    ...get(P_CODES),
    ...element(P_DIMS),
    ...get(P_STRIDE),
    I32_MUL,
    I32_ADD,
    ...set(L_ROW),
    ...element(P_WEIGHTS),
    ...I16X8_SPLAT,
    ...set(L_W),
    ...get(L_TILE),
    ...set(L_BLOCK),
    0x02,
    0x40, // block: the tile of this row is done
    0x03,
    0x40, // loop over blocks of 16 documents
    ...get(L_BLOCK),
    ...get(L_TILE_END),
    I32_GE_U,
    0x0d,
    1,
    ...get(L_ROW),
    ...get(L_BLOCK),
    I32_ADD,
    ...v128Load,
    ...set(L_V),
    ...get(L_V),
    ...EXTEND_LOW_S,
    ...set(L_LO),
    ...get(L_V),
    ...EXTEND_HIGH_S,
    ...set(L_HI),
    ...get(P_OUT),
    ...get(L_BLOCK),
    ...i32Const(2),
    I32_SHL,
    I32_ADD,
    ...set(L_ADDR),
    ...accumulate(0, L_LO, EXTMUL_LOW_S),
    ...accumulate(16, L_LO, EXTMUL_HIGH_S),
    ...accumulate(32, L_HI, EXTMUL_LOW_S),
    ...accumulate(48, L_HI, EXTMUL_HIGH_S),
    ...get(L_BLOCK),
    ...i32Const(16),
    I32_ADD,
    ...set(L_BLOCK),
    0x0c,
    0, // next block
    0x0b,
    0x0b, // end loop, end block
    ...get(L_J),
    ...i32Const(1),
    I32_ADD,
    ...set(L_J),
    0x0c,
    0, // next dimension
    0x0b,
    0x0b, // end loop, end block
    ...get(L_TILE),
    ...i32Const(TILE),
    I32_ADD,
    ...set(L_TILE),
    0x0c,
    0, // next tile
    0x0b,
    0x0b, // end loop, end block
    0x0b, // end function
  ];
  const locals = [3, ...uleb(4), I32, ...uleb(4), V128, ...uleb(2), I32];
  return [...uleb(locals.length + code.length), ...locals, ...code];
}

function section(id: number, content: number[]): number[] {
  return [id, ...uleb(content.length), ...content];
}

const name = (text: string) => [...uleb(text.length), ...Buffer.from(text, 'latin1')];

function moduleBytes(): Uint8Array {
  const type = [1, 0x60, 6, I32, I32, I32, I32, I32, I32, 0];
  const memoryImport = [1, ...name('env'), ...name('memory'), 0x02, 0x00, 1];
  const bytes = [
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...section(1, type),
    ...section(2, memoryImport),
    ...section(3, [1, 0]),
    ...section(7, [1, ...name('scan'), 0x00, 0]),
    ...section(10, [1, ...body()]),
  ];
  return Uint8Array.from(bytes);
}

/** The part of the WebAssembly API used here (the ES library types do not declare it as a value). */
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (
    module: object,
    imports: Record<string, Record<string, unknown>>,
  ) => { exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number }) => { buffer: ArrayBuffer };
}

const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
let compiled: object | null | undefined;

/** The compiled module, or null where WebAssembly SIMD is not supported. */
function kernelModule(): object | null {
  if (compiled === undefined) {
    const bytes = moduleBytes();
    compiled = wasm.validate(bytes) ? new wasm.Module(bytes) : null;
  }
  return compiled;
}

/** A segment's int8 codes with their scan: in WebAssembly memory when SIMD is there, else plain arrays. */
export class Int8Codes {
  /** Dimension-major codes: dimension `d` of document `doc` is at `d * stride + doc`. */
  readonly codes: Int8Array;
  readonly stride: number;
  private readonly scanner: ((count: number) => void) | undefined;
  private readonly dimsArea: Int32Array;
  private readonly weightsArea: Int32Array;
  private readonly out: Int32Array;

  constructor(
    readonly dims: number,
    readonly docs: number,
    useKernel = true,
  ) {
    this.stride = Math.ceil(docs / 16) * 16 || 16;
    const codeBytes = dims * this.stride;
    const module = useKernel ? kernelModule() : null;
    const total = codeBytes + dims * 8 + this.stride * 4;
    // the memory never grows, so views into its buffer stay valid
    const memory = module ? new wasm.Memory({ initial: Math.ceil(total / 65536) }) : undefined;
    const buffer = memory ? memory.buffer : new ArrayBuffer(total);
    this.codes = new Int8Array(buffer, 0, codeBytes);
    this.dimsArea = new Int32Array(buffer, codeBytes, dims);
    this.weightsArea = new Int32Array(buffer, codeBytes + dims * 4, dims);
    this.out = new Int32Array(buffer, codeBytes + dims * 8, this.stride);
    if (module && memory) {
      const instance = new wasm.Instance(module, { env: { memory } });
      const scan = instance.exports.scan as (...args: number[]) => void;
      const [dimsPtr, weightsPtr, outPtr] = [codeBytes, codeBytes + dims * 4, codeBytes + dims * 8];
      this.scanner = (count) => scan(0, this.stride, dimsPtr, weightsPtr, count, outPtr);
    }
  }

  /** Whether the SIMD kernel runs the scans. */
  get accelerated(): boolean {
    return this.scanner !== undefined;
  }

  /** Fills row `d` (one dimension of every document) from the file's unpadded layout. */
  setRow(d: number, row: Int8Array): void {
    this.codes.set(row, d * this.stride);
  }

  /**
   * Integer scores of every document for the query's non-zero dimensions
   * (weights already quantised to +-WEIGHT_SCALE). The array is reused by the next scan.
   */
  scan(dimensions: readonly number[], weights: readonly number[]): Int32Array {
    const count = dimensions.length;
    for (let j = 0; j < count; j++) {
      this.dimsArea[j] = dimensions[j]!;
      this.weightsArea[j] = weights[j]!;
    }
    const out = this.out;
    out.fill(0);
    if (this.scanner) {
      this.scanner(count);
      return out;
    }
    for (let j = 0; j < count; j++) {
      const base = dimensions[j]! * this.stride;
      const w = weights[j]!;
      for (let doc = 0; doc < this.docs; doc++) out[doc] = out[doc]! + w * this.codes[base + doc]!;
    }
    return out;
  }
}
