import { describe, expect, it } from "vitest";
import { lineConfidenceBand, spanOf } from "../../../src/stats/line-band.js";

// R's `women` data and predict(lm(weight ~ height), interval = "confidence"): fixtures/reference/line-band.R
const height = [58, 59, 60, 61, 62, 63, 64, 65, 66, 67, 68, 69, 70, 71, 72];
const weight = [115, 117, 120, 123, 126, 129, 132, 135, 139, 142, 146, 150, 154, 159, 164];
const at = [58, 61.5, 65, 72, 80];

const close = (actual: number, expected: number) => expect(Math.abs(actual - expected) / Math.abs(expected)).toBeLessThan(1e-12);

describe("lineConfidenceBand", () => {
  it("equals R's predict(lm, interval = 'confidence') at 95% and 90%", () => {
    const r95 = [
      [112.58333333333337, 110.96373402110726, 114.20293264555949],
      [124.65833333333336, 123.56357937575827, 125.75308729090845],
      [136.73333333333335, 135.88267809993147, 137.58398856673523],
      [160.88333333333333, 159.26373402110721, 162.50293264555944],
      [188.48333333333332, 185.40993923353633, 191.55672743313031],
    ];
    const r90 = [
      [112.58333333333337, 111.25568839571667, 113.91097827095007],
      [124.65833333333336, 123.76092337598244, 125.55574329068428],
      [136.73333333333335, 136.03602004988247, 137.43064661678423],
      [160.88333333333333, 159.55568839571663, 162.21097827095002],
      [188.48333333333332, 185.96395950605745, 191.00270716060919],
    ];
    for (const [level, expected] of [[0.95, r95], [0.9, r90]] as const) {
      const band = lineConfidenceBand(height, weight, at, level)!;
      band.forEach((point, i) => {
        expect(point.x).toBe(at[i]);
        close(point.y, expected[i]![0]!);
        close(point.low, expected[i]![1]!);
        close(point.high, expected[i]![2]!);
      });
    }
  });

  it("has no band with fewer than 3 points or a constant x", () => {
    expect(lineConfidenceBand([1, 2], [3, 4], [1])).toBeNull();
    expect(lineConfidenceBand([5, 5, 5], [1, 2, 3], [5])).toBeNull();
  });

  it("spans the x range evenly", () => {
    expect(spanOf([3, 1, 2], 3)).toEqual([1, 2, 3]);
    expect(spanOf([4, 4])).toEqual([4]);
  });
});
