import { describe, expect, it } from "vitest";
import { createRandom } from "../../../src/stats/random.js";
import { countByte } from "../../../src/read/scan-kernel.js";

function counted(bytes: Uint8Array, byte: number): number {
  let count = 0;
  for (const b of bytes) if (b === byte) count++;
  return count;
}

describe("countByte (the kernel that counts a chunk's line feeds)", () => {
  it("counts as a plain loop does, at every length around its sixteen-byte steps and 255-step blocks, with all or none of the bytes matching", () => {
    const random = createRandom(5);
    for (const n of [0, 1, 15, 16, 17, 31, 4079, 4080, 4081, 4095, 4096, 4097, 8160, 8161, 65_537, 1_048_576 + 3]) {
      const mixed = Uint8Array.from({ length: n }, () => (random.next() < 0.3 ? 0x0a : Math.floor(random.next() * 256)));
      expect(countByte(mixed, 0x0a), `n = ${n}`).toBe(counted(mixed, 0x0a));
      expect(countByte(new Uint8Array(n).fill(0x0a), 0x0a)).toBe(n);
      expect(countByte(new Uint8Array(n).fill(0x0b), 0x0a)).toBe(0);
      // another byte, and one with its top bit set
      expect(countByte(mixed, 0xe9)).toBe(counted(mixed, 0xe9));
    }
  });

  it("reads only the bytes it is given: a subarray in the middle of a larger buffer", () => {
    const buffer = Buffer.from("\n\n\nab\ncd\n\n\n");
    expect(countByte(buffer.subarray(3, 9), 0x0a)).toBe(2);
  });
});
