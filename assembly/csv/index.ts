// tokenwatt's CSV row encoder (build/csv.wasm), separate from the simulation engine. The host
// (src/output/csv-wasm.ts) calls reserve() once per table shape, writes column type codes and a block of
// column data through the returned pointers, calls encodeRows() and emits output[0, returned length).
// Every export works on module state; nothing is allocated per number, and memory only grows in reserve().
//
// Memory layout (from __heap_base, 16-byte aligned):
//   output   outBytes + WRITE_SLACK bytes (CSV text of one block of rows)
//   types    one u8 per column: 0 = f64, 1 = i32, 2 = f64 written like Python floats (integral values end in ".0")
//   columns  column c at columnPtr(c): `blockRows` values, f64 (8 bytes) or i32 (4 bytes) each
import { MAX_NUMBER_BYTES, WRITE_SLACK, writeF64, writeI32 } from "./number";

const TYPE_F64: u8 = 0;
const TYPE_I32: u8 = 1;
const DOT_ZERO: u16 = 0x302e; // ".0" little-endian
const COMMA: u8 = 44;
const NEWLINE: u8 = 10;
const INF: u32 = 0x00666e69; // "inf" little-endian
const MINUS_INF: u32 = 0x666e692d; // "-inf"

let numCols: i32 = 0;
let blockRows: i32 = 0;
let outAt: usize = 0;
let typesAt: usize = 0;
let columnsAt: usize = 0;

// @ts-ignore: decorator
@inline
function align16(p: u64): u64 {
  return (p + 15) & ~(<u64>15);
}

/**
 * Lays out memory for `ncols` columns of up to `rows` rows and an output area of `outBytes` (which must
 * hold `rows` rows of `ncols` numbers at MAX_NUMBER_BYTES + 1 bytes each, plus one byte per row). Grows
 * memory only when the layout does not fit. Returns 1, or 0 when memory cannot grow (pointers then invalid).
 */
export function reserve(ncols: i32, rows: i32, outBytes: i32): i32 {
  if (ncols < 0 || rows < 0 || outBytes < 0) return 0;
  const out = align16(<u64>__heap_base);
  const types = align16(out + <u64>outBytes + WRITE_SLACK);
  const columns = align16(types + <u64>ncols);
  const end = columns + <u64>ncols * <u64>rows * 8;
  const have = <u64>memory.size() << 16;
  if (end > have) {
    const pages = <i32>((end - have + 0xffff) >> 16);
    if (end > 0xffffffff || memory.grow(pages) < 0) return 0;
  }
  numCols = ncols;
  blockRows = rows;
  outAt = <usize>out;
  typesAt = <usize>types;
  columnsAt = <usize>columns;
  return 1;
}

/** Where the host writes one type code (u8) per column. */
export function typesPtr(): usize {
  return typesAt;
}

/** Where the host writes column `c` (f64 or i32 values of the current block). */
export function columnPtr(c: i32): usize {
  return columnsAt + <usize>c * (<usize>blockRows << 3);
}

/** Start of the CSV text written by encodeRows(). */
export function outputPtr(): usize {
  return outAt;
}

/**
 * Writes rows [0, rows) of the current block as CSV lines (no header): fields separated by ",", each line
 * ended by "\n"; NaN is an empty field, ±Infinity "inf"/"-inf", numbers as String(x) (type 2: integral values
 * below 1e16 followed by ".0"). Returns the byte count.
 */
export function encodeRows(rows: i32): i32 {
  if (rows > blockRows) rows = blockRows;
  const ncols = numCols;
  if (ncols == 0) return 0;
  const stride = <usize>blockRows << 3;
  let out = outAt;
  for (let r = 0; r < rows; r++) {
    let col = columnsAt;
    for (let c = 0; c < ncols; c++, col += stride) {
      const type = load<u8>(typesAt + c);
      if (type != TYPE_I32) {
        const x = load<f64>(col + (<usize>r << 3));
        if (abs(x) < Infinity) {
          out = writeF64(out, x);
          // Python's repr keeps ".0" on integral floats below 1e16 (Vidur's CSVs: request_preemption_time 0.0)
          if (type != TYPE_F64 && x == Math.floor(x) && abs(x) < 1e16) {
            store<u16>(out, DOT_ZERO);
            out += 2;
          }
        } else if (x == Infinity) {
          store<u32>(out, INF);
          out += 3;
        } else if (x == -Infinity) {
          store<u32>(out, MINUS_INF);
          out += 4;
        } // NaN: empty field
      } else {
        out = writeI32(out, load<i32>(col + (<usize>r << 2)));
      }
      store<u8>(out++, COMMA);
    }
    store<u8>(out - 1, NEWLINE); // the last field's comma becomes the line end
  }
  return <i32>(out - outAt);
}

/** Bytes one row can take at most (the host sizes blocks with this; mirrors MAX_NUMBER_BYTES). */
export function maxRowBytes(ncols: i32): i32 {
  return ncols * (MAX_NUMBER_BYTES + 1);
}
