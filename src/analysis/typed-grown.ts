/** Typed array grown by copying into one twice the size (amortised O(1) per append). */
export function grown<T extends Uint8Array | Uint16Array | Int16Array | Uint32Array | Int32Array | Float64Array>(a: T, need: number): T {
  if (need <= a.length) return a;
  let n = Math.max(16, a.length);
  while (n < need) n *= 2;
  const b = new (a.constructor as new (n: number) => T)(n);
  b.set(a);
  return b;
}
