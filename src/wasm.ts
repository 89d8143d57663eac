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
