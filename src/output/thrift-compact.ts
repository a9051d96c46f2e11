/**
 * A Thrift compact-protocol encoder, just enough for Parquet metadata (page headers and the file footer):
 * structs, i16/i32/i64, bool, binary/string and lists. Field ids must be written in increasing order within a
 * struct (they are delta-encoded). Spec: https://github.com/apache/thrift/blob/master/doc/specs/thrift-compact-protocol.md
 */

/** Compact-protocol type ids. */
export const ThriftType = {
  TRUE: 1,
  FALSE: 2,
  BYTE: 3,
  I16: 4,
  I32: 5,
  I64: 6,
  DOUBLE: 7,
  BINARY: 8,
  LIST: 9,
  SET: 10,
  MAP: 11,
  STRUCT: 12,
} as const;

const utf8 = new TextEncoder();

/**
 * Appends compact-protocol fields to a growing byte buffer.
 *
 * @example
 * const w = new CompactWriter();
 * w.i32(1, 7); w.string(4, "x"); w.stop();
 * w.bytes(); // Uint8Array [0x15, 0x0e, 0x38, 0x01, 0x78, 0x00]
 */
export class CompactWriter {
  private buf = new Uint8Array(256);
  private used = 0;
  private lastField = 0;
  private readonly outer: number[] = [];

  /** The bytes written so far (a view: copy it before the next reset()). */
  bytes(): Uint8Array {
    return this.buf.subarray(0, this.used);
  }

  get length(): number {
    return this.used;
  }

  /** Empties the buffer for the next top-level struct (keeps its memory). */
  reset(): void {
    this.used = 0;
    this.lastField = 0;
    this.outer.length = 0;
  }

  i16(id: number, value: number): void {
    this.field(id, ThriftType.I16);
    this.varint(zigzag(value));
  }

  i32(id: number, value: number): void {
    this.field(id, ThriftType.I32);
    this.varint(zigzag(value));
  }

  /** i64 from a JS number: exact up to 2^53, far beyond any file offset or row count. */
  i64(id: number, value: number): void {
    this.field(id, ThriftType.I64);
    this.varint(zigzag(value));
  }

  bool(id: number, value: boolean): void {
    this.field(id, value ? ThriftType.TRUE : ThriftType.FALSE);
  }

  binary(id: number, value: Uint8Array): void {
    this.field(id, ThriftType.BINARY);
    this.rawBinary(value);
  }

  string(id: number, value: string): void {
    this.binary(id, utf8.encode(value));
  }

  /** A nested struct field; `body` writes its fields. */
  struct(id: number, body: () => void): void {
    this.field(id, ThriftType.STRUCT);
    this.structBody(body);
  }

  /** A list of structs. */
  structList<T>(id: number, items: readonly T[], each: (item: T, index: number) => void): void {
    this.listHeader(id, items.length, ThriftType.STRUCT);
    items.forEach((item, index) => this.structBody(() => each(item, index)));
  }

  /** A list of i32 (and enum) values. */
  i32List(id: number, items: readonly number[]): void {
    this.listHeader(id, items.length, ThriftType.I32);
    for (const v of items) this.varint(zigzag(v));
  }

  /** A list of strings. */
  stringList(id: number, items: readonly string[]): void {
    this.listHeader(id, items.length, ThriftType.BINARY);
    for (const s of items) this.rawBinary(utf8.encode(s));
  }

  /** Ends the top-level struct. */
  stop(): void {
    this.byte(0);
  }

  private structBody(body: () => void): void {
    this.outer.push(this.lastField);
    this.lastField = 0;
    body();
    this.byte(0);
    this.lastField = this.outer.pop()!;
  }

  private listHeader(id: number, size: number, elementType: number): void {
    this.field(id, ThriftType.LIST);
    if (size < 15) this.byte((size << 4) | elementType);
    else {
      this.byte(0xf0 | elementType);
      this.varint(size);
    }
  }

  private field(id: number, type: number): void {
    const delta = id - this.lastField;
    if (delta > 0 && delta <= 15) this.byte((delta << 4) | type);
    else {
      this.byte(type);
      this.varint(zigzag(id));
    }
    this.lastField = id;
  }

  private rawBinary(value: Uint8Array): void {
    this.varint(value.length);
    this.reserve(value.length);
    this.buf.set(value, this.used);
    this.used += value.length;
  }

  /** Unsigned LEB128 of a non-negative integer up to 2^53 (division, not bit ops, past 2^31). */
  private varint(n: number): void {
    while (n >= 0x80) {
      this.byte((n % 0x80) | 0x80);
      n = Math.floor(n / 0x80);
    }
    this.byte(n);
  }

  private byte(b: number): void {
    this.reserve(1);
    this.buf[this.used++] = b;
  }

  private reserve(n: number): void {
    if (this.used + n <= this.buf.length) return;
    const grown = new Uint8Array(Math.max(this.buf.length * 2, this.used + n));
    grown.set(this.buf.subarray(0, this.used));
    this.buf = grown;
  }
}

function zigzag(n: number): number {
  return n >= 0 ? n * 2 : -n * 2 - 1;
}
