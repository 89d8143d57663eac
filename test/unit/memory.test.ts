import { describe, expect, it } from "vitest";
import { collectGarbage } from "../../src/memory.js";

describe("collectGarbage", () => {
  it("collects at once an object nothing refers to any more", async () => {
    let target: { values: Float64Array } | null = { values: new Float64Array(1 << 20) };
    const ref = new WeakRef(target);
    target = null;
    // (a WeakRef keeps its target alive until the current job ends)
    await new Promise((resolve) => setTimeout(resolve, 0));
    collectGarbage();
    expect(ref.deref()).toBeUndefined();
  });
});
