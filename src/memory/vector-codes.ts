/**
 * The compact forms of a segment's vectors, kept in memory while the
 * float32 originals stay on disk:
 * - int8 with one scale per vector (4x smaller, dot products within about
 *   1%), stored by dimension (dimension `d` of every vector, then `d + 1`),
 *   so a query with few non-zero dimensions (every lexical one) scores all
 *   vectors by reading just those rows, sequentially;
 * - sign bits, stored by column (byte `c` of every vector, then byte `c + 1`)
 *   for dense queries, which need every dimension.
 */
export interface VectorCodes {
  i8: Int8Array;
  scale: Float32Array;
  bits: Uint8Array;
}

export function bitColumns(dims: number): number {
  return Math.ceil(dims / 8);
}

export function allocateCodes(count: number, dims: number): VectorCodes {
  return {
    i8: new Int8Array(count * dims),
    scale: new Float32Array(count),
    bits: new Uint8Array(bitColumns(dims) * count),
  };
}

/** Encodes vector `doc` (one row of `dims` floats) into the codes of a segment of `count` vectors. */
export function encodeRow(
  row: Float32Array,
  doc: number,
  count: number,
  dims: number,
  codes: VectorCodes,
): void {
  let max = 0;
  for (let d = 0; d < dims; d++) {
    const v = row[d]!;
    if (v > max) max = v;
    else if (-v > max) max = -v;
  }
  const s = max > 0 ? max / 127 : 1;
  codes.scale[doc] = s;
  const inv = 1 / s;
  const { i8, bits } = codes;
  const columns = bitColumns(dims);
  for (let c = 0; c < columns; c++) {
    let byte = 0;
    const from = c * 8;
    const end = Math.min(from + 8, dims);
    for (let d = from; d < end; d++) {
      const v = row[d]!;
      // round half away from zero without Math.round's call
      i8[d * count + doc] = (v * inv + (v >= 0 ? 0.5 : -0.5)) | 0;
      if (v > 0) byte |= 1 << (d - from);
    }
    bits[c * count + doc] = byte;
  }
}
