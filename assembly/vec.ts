// Growable containers over raw linear memory. They live in the stub runtime's bump heap, which the host
// resets at the start of every simulation (heap.reset), so nothing is ever freed one by one. Growth doubles
// capacity; in steady state no container allocates.

/** A list of i32 with O(1) push, pop from the back and pop from the front (logical range [head, len)). */
@unmanaged
export class I32List {
  ptr: usize = 0;
  head: i32 = 0;
  len: i32 = 0;
  cap: i32 = 0;

  @inline get size(): i32 {
    return this.len - this.head;
  }
  @inline at(i: i32): i32 {
    return load<i32>(this.ptr + (<usize>(this.head + i) << 2));
  }
  @inline setAt(i: i32, v: i32): void {
    store<i32>(this.ptr + (<usize>(this.head + i) << 2), v);
  }
  @inline push(v: i32): void {
    if (this.len == this.cap) this.makeRoom();
    store<i32>(this.ptr + (<usize>this.len << 2), v);
    this.len++;
  }
  @inline popFront(): i32 {
    const v = load<i32>(this.ptr + (<usize>this.head << 2));
    this.head++;
    if (this.head == this.len) this.clear();
    return v;
  }
  @inline popBack(): i32 {
    this.len--;
    const v = load<i32>(this.ptr + (<usize>this.len << 2));
    if (this.head == this.len) this.clear();
    return v;
  }
  @inline clear(): void {
    this.head = 0;
    this.len = 0;
  }
  private makeRoom(): void {
    if (this.head > 0) {
      const n = this.len - this.head;
      memory.copy(this.ptr, this.ptr + (<usize>this.head << 2), <usize>n << 2);
      this.head = 0;
      this.len = n;
      if (this.len < this.cap) return;
    }
    const nc = this.cap < 8 ? 8 : this.cap << 1;
    this.ptr = heap.realloc(this.ptr, <usize>nc << 2);
    this.cap = nc;
  }
}

export function newI32List(cap: i32): I32List {
  const l = changetype<I32List>(heap.alloc(offsetof<I32List>()));
  const c = cap < 8 ? 8 : cap;
  l.ptr = heap.alloc(<usize>c << 2);
  l.head = 0;
  l.len = 0;
  l.cap = c;
  return l;
}

/** A double-ended queue of i32 on a power-of-two ring buffer. */
@unmanaged
export class I32Deque {
  ptr: usize = 0;
  head: i32 = 0;
  len: i32 = 0;
  mask: i32 = 0;

  @inline at(i: i32): i32 {
    return load<i32>(this.ptr + (<usize>((this.head + i) & this.mask) << 2));
  }
  @inline pushBack(v: i32): void {
    if (this.len > this.mask) this.grow();
    store<i32>(this.ptr + (<usize>((this.head + this.len) & this.mask) << 2), v);
    this.len++;
  }
  pushFront(v: i32): void {
    if (this.len > this.mask) this.grow();
    this.head = (this.head - 1) & this.mask;
    store<i32>(this.ptr + (<usize>this.head << 2), v);
    this.len++;
  }
  @inline front(): i32 {
    return load<i32>(this.ptr + (<usize>this.head << 2));
  }
  @inline popFront(): i32 {
    const v = load<i32>(this.ptr + (<usize>this.head << 2));
    this.head = (this.head + 1) & this.mask;
    this.len--;
    return v;
  }
  private grow(): void {
    const oldCap = this.mask + 1;
    const newCap = oldCap << 1;
    const np = heap.alloc(<usize>newCap << 2);
    for (let i = 0; i < this.len; i++) store<i32>(np + (<usize>i << 2), this.at(i));
    this.ptr = np;
    this.head = 0;
    this.mask = newCap - 1;
  }
}

export function newI32Deque(capPow2: i32): I32Deque {
  const d = changetype<I32Deque>(heap.alloc(offsetof<I32Deque>()));
  let c = 8;
  while (c < capPow2) c <<= 1;
  d.ptr = heap.alloc(<usize>c << 2);
  d.head = 0;
  d.len = 0;
  d.mask = c - 1;
  return d;
}

/** Growable column of f64 (output records). */
@unmanaged
export class F64Col {
  ptr: usize = 0;
  len: i32 = 0;
  cap: i32 = 0;
  @inline push(v: f64): void {
    if (this.len == this.cap) this.grow();
    store<f64>(this.ptr + (<usize>this.len << 3), v);
    this.len++;
  }
  @inline at(i: i32): f64 {
    return load<f64>(this.ptr + (<usize>i << 3));
  }
  @inline setAt(i: i32, v: f64): void {
    store<f64>(this.ptr + (<usize>i << 3), v);
  }
  private grow(): void {
    const nc = this.cap < 1024 ? 1024 : this.cap << 1;
    this.ptr = heap.realloc(this.ptr, <usize>nc << 3);
    this.cap = nc;
  }
}

export function newF64Col(cap: i32): F64Col {
  const c = changetype<F64Col>(heap.alloc(offsetof<F64Col>()));
  c.cap = cap < 16 ? 16 : cap;
  c.ptr = heap.alloc(<usize>c.cap << 3);
  c.len = 0;
  return c;
}

/** Growable column of i32 (output records). */
@unmanaged
export class I32Col {
  ptr: usize = 0;
  len: i32 = 0;
  cap: i32 = 0;
  @inline push(v: i32): void {
    if (this.len == this.cap) this.grow();
    store<i32>(this.ptr + (<usize>this.len << 2), v);
    this.len++;
  }
  @inline at(i: i32): i32 {
    return load<i32>(this.ptr + (<usize>i << 2));
  }
  @inline setAt(i: i32, v: i32): void {
    store<i32>(this.ptr + (<usize>i << 2), v);
  }
  private grow(): void {
    const nc = this.cap < 1024 ? 1024 : this.cap << 1;
    this.ptr = heap.realloc(this.ptr, <usize>nc << 2);
    this.cap = nc;
  }
}

export function newI32Col(cap: i32): I32Col {
  const c = changetype<I32Col>(heap.alloc(offsetof<I32Col>()));
  c.cap = cap < 16 ? 16 : cap;
  c.ptr = heap.alloc(<usize>c.cap << 2);
  c.len = 0;
  return c;
}

// ---- raw array helpers ----
@inline export function allocF64(n: i32): usize {
  const count: i32 = n > 0 ? n : 1;
  const bytes = (<usize>count) << 3;
  const p = heap.alloc(bytes);
  memory.fill(p, 0, bytes);
  return p;
}
@inline export function allocI32(n: i32): usize {
  const count: i32 = n > 0 ? n : 1;
  const bytes = (<usize>count) << 2;
  const p = heap.alloc(bytes);
  memory.fill(p, 0, bytes);
  return p;
}
@inline export function loadF64(base: usize, i: i32): f64 {
  return load<f64>(base + (<usize>i << 3));
}
@inline export function storeF64(base: usize, i: i32, v: f64): void {
  store<f64>(base + (<usize>i << 3), v);
}
@inline export function loadI32(base: usize, i: i32): i32 {
  return load<i32>(base + (<usize>i << 2));
}
@inline export function storeI32(base: usize, i: i32, v: i32): void {
  store<i32>(base + (<usize>i << 2), v);
}
@inline export function loadPtr(base: usize, i: i32): usize {
  return load<usize>(base + (<usize>i << alignof<usize>()));
}
@inline export function storePtr(base: usize, i: i32, v: usize): void {
  store<usize>(base + (<usize>i << alignof<usize>()), v);
}
