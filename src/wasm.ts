/**
 * loyalty's WebAssembly kernels (stats/kernels, read/kernels) compiled and instantiated: the parts
 * of the WebAssembly API used here (the project's TypeScript libraries do not declare it). A module
 * that cannot be compiled (no WebAssembly, or no SIMD) is null, and its callers keep to TypeScript.
 */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}

const wasm = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

/** The module of this base64 WebAssembly, compiled on first use and kept; null when it cannot be compiled. */
export function wasmModule(base64: string): () => object | null {
  let compiled: object | null | undefined;
  return () => {
    if (compiled === undefined) {
      try {
        if (wasm === undefined) throw new Error("no WebAssembly");
        compiled = new wasm.Module(Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)));
      } catch {
        compiled = null;
      }
    }
    return compiled;
  };
}

/** A new instance of a compiled module (no imports): its exports. */
export function instantiate<T>(module: object): T {
  return new wasm!.Instance(module, {}).exports as T;
}

/** What every kernel module exports besides its functions: its memory, and where its heap starts. */
export interface KernelExports {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  __heap_base: { value: number };
}

/**
 * A kernel's memory from its heap base: take(bytes) gives the next 8-aligned address, grow(extra)
 * makes the memory hold all that was taken and `extra` bytes after it, and returns its buffer.
 */
export function layout(exports: KernelExports) {
  let next = Math.ceil(exports.__heap_base.value / 8) * 8;
  const take = (bytes: number) => {
    const at = next;
    next = Math.ceil((next + bytes) / 8) * 8;
    return at;
  };
  const grow = (extra = 0) => {
    const pages = Math.ceil((next + extra) / 65536) - exports.memory.buffer.byteLength / 65536;
    if (pages > 0) exports.memory.grow(pages);
    return exports.memory.buffer;
  };
  return { take, grow };
}
