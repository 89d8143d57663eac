// The columnar per-customer sums against a plain reference written from their definitions, on
// random finance rows: unsorted periods far apart, repeated periods, blank costs and groups, flags.
import { describe, expect, it } from "vitest";
import { addFinanceRow, addFinanceRowAt, emptyFinanceTotals, periodsOf, periodsWithRows, revenueInOrNull } from "../../../src/join/customer-finance.js";
import { createRandom } from "../../../src/stats/random.js";
import { LatestResponses } from "../../../src/join/latest-response.js";
import { SurveyResponses } from "../../../src/normalise/survey.js";
import { categoryOf } from "../../../src/metrics/nps.js";

interface Row {
  id: string;
  revenue: number;
  cost: number | null;
  ordinal: number;
  group: string | null;
  flag: boolean | null;
}

describe("CustomerStore", () => {
  it("holds what the definitions say, for 3,000 customers of random rows", () => {
    const random = createRandom(3);
    const rows: Row[] = [];
    for (let i = 0; i < 40_000; i++) {
      const id = `K${random.integer(0, 2999)}`;
      // most periods within four years; some 30 years before (an unsorted file's early periods), some 40 after (kept apart)
      const ordinal = random.chance(0.02) ? 24000 + random.integer(0, 40) : random.chance(0.005) ? 24800 + random.integer(0, 5) : 24300 + random.integer(0, 47);
      rows.push({ id, revenue: Math.round(random.next() * 1e4) / 100, cost: random.chance(0.1) ? null : Math.round(random.next() * 5e3) / 100, ordinal, group: random.chance(0.3) ? null : random.pick(["Oslo", "Malmö", "Åbo"]), flag: random.chance(0.5) ? null : random.chance(0.2) });
    }
    const totals = emptyFinanceTotals((id) => (id.endsWith("7") ? null : `G${id.length}`));
    for (const r of rows) addFinanceRow(totals, r.id, r.revenue, r.cost, { granularity: "month", ordinal: r.ordinal }, r.group, r.flag);

    const byId = new Map<string, Row[]>();
    for (const r of rows) byId.set(r.id, [...(byId.get(r.id) ?? []), r]);
    expect(totals.customers.size).toBe(byId.size);
    expect([...totals.customers.keys()]).toEqual([...byId.keys()]);
    let repeated = 0;
    for (const [id, list] of byId) {
      const c = totals.customers.get(id)!;
      const sum = (f: (r: Row) => number) => list.reduce((s, r) => s + f(r), 0);
      expect(c.revenue).toBe(sum((r) => r.revenue));
      expect(c.cost).toBe(list[0]!.cost === null ? null : sum((r) => r.cost ?? 0));
      expect(c.rows).toBe(list.length);
      const periods = [...new Set(list.map((r) => r.ordinal))].sort((a, b) => a - b);
      repeated += list.length - periods.length;
      expect(periodsOf(c)).toEqual(periods);
      expect(periodsWithRows(c)).toBe(periods.length);
      expect(c.firstPeriod).toBe(periods[0]);
      expect(c.lastPeriod).toBe(periods.at(-1));
      const revenueIn = (p: number) => sum((r) => (r.ordinal === p ? r.revenue : 0));
      // sums in the order the rows came, as the store adds them
      const inOrder = (p: number) => list.filter((r) => r.ordinal === p).reduce((s, r) => s + r.revenue, 0);
      expect(c.firstRevenue).toBeCloseTo(revenueIn(periods[0]!), 9);
      expect(c.lastRevenue).toBeCloseTo(inOrder(periods.at(-1)!), 9);
      // its periods among the 13 up to its last (the file's last 13 lie within them)
      expect(c.recentPeriods).toEqual(periods.filter((p) => p > periods.at(-1)! - 13));
      c.recentPeriods.forEach((p, i) => expect(c.recentRevenue[i]).toBeCloseTo(revenueIn(p), 9));
      expect(c.group).toBe(list.filter((r) => r.group !== null).at(-1)?.group ?? null);
      // the flag of the latest period wins; within it, the later row; a row of an earlier period never overrides
      let flag: boolean | null = null;
      let latest: number | null = null;
      for (const r of list) {
        if (latest === null || r.ordinal >= latest) flag = r.flag;
        latest = latest === null ? r.ordinal : Math.max(latest, r.ordinal);
      }
      expect(c.churnFlag, id).toBe(flag);
      expect(c.sumGroup).toBe(id.endsWith("7") ? null : `G${id.length}`);
    }
    expect(totals.repeatedPeriodRows).toBe(repeated);
    expect([...totals.customers.periodCounts()]).toEqual([...byId.values()].map((list) => new Set(list.map((r) => r.ordinal)).size));
    // money per group and period, for the customers the survey places
    const g = totals.groupPeriods.get("G4")!;
    const want = rows.filter((r) => r.id.length === 4 && !r.id.endsWith("7") && r.ordinal === 24310).reduce((s, r) => s + r.revenue, 0);
    expect(g.get(24310)!.revenue).toBeCloseTo(want, 6);
    // peek: the same snapshot as get, in one object reused from one customer to the next (arrays shrinking and growing)
    const ids = [...byId.keys()];
    const reused = totals.customers.peek(ids[0]!);
    for (const id of ids) {
      const peeked = totals.customers.peek(id)!;
      expect(peeked).toBe(reused);
      expect(peeked).toStrictEqual(totals.customers.get(id)!);
      expect(Object.keys(peeked)).toEqual(Object.keys(totals.customers.get(id)!));
    }
    expect(totals.customers.peek("nobody")).toBeUndefined();
  });
  it("keeps each customer's revenue in the 13 periods up to its last, for files in period order with rows out of order among them", () => {
    const random = createRandom(13);
    for (const outOfOrder of [0, 0.05, 0.3]) {
      const totals = emptyFinanceTotals();
      const rows: { id: string; ordinal: number; revenue: number }[] = [];
      // customer after customer, each its periods in order (some repeated, some skipped), a few rows of an earlier period among them
      for (let k = 0; k < 300; k++) {
        const id = `C${k}`;
        const months = random.integer(1, 60);
        for (let m = 0; m < months; m++) {
          if (random.chance(0.2)) continue;
          const ordinal = random.chance(outOfOrder) ? 24300 + random.integer(0, m) : 24300 + m;
          for (let repeat = random.chance(0.1) ? 2 : 1; repeat > 0; repeat--) rows.push({ id, ordinal, revenue: Math.round(random.next() * 1e5) / 100 });
        }
      }
      for (const r of rows) addFinanceRow(totals, r.id, r.revenue, null, { granularity: "month", ordinal: r.ordinal });
      for (const id of new Set(rows.map((r) => r.id))) {
        const list = rows.filter((r) => r.id === id);
        const all = [...new Set(list.map((r) => r.ordinal))].sort((a, b) => a - b);
        const periods = all.filter((p) => p > all.at(-1)! - 13);
        const c = totals.customers.get(id)!;
        expect(c.recentPeriods, `${id} (${outOfOrder})`).toEqual(periods);
        // a period's revenue as the rows came (the same additions in the same order: the same bits)
        c.recentPeriods.forEach((p, i) => {
          let sum = 0;
          let counted = false;
          for (const r of list) {
            if (r.ordinal !== p) continue;
            sum = counted ? sum + r.revenue : r.revenue;
            counted = true;
          }
          expect(c.recentRevenue[i], `${id} ${p}`).toBe(sum);
        });
        // read in place (the join's reads) as from the snapshot, in and around the customer's periods
        const number = totals.customers.numberOf(id)!;
        for (let p = all[0]! - 2; p <= all.at(-1)! + 2; p++) expect(totals.customers.recentRevenueAt(number, p), `${id} ${p} in place`).toBe(revenueInOrNull(c, p));
        expect(totals.customers.firstPeriodAt(number)).toBe(c.firstPeriod);
      }
    }
  });

  it("keeps recent revenue in whole cents while it can, and the very same numbers when a value is not cents (from then on in numbers)", () => {
    // each case: what comes after 400 rows of cents (none: cents to the end)
    const cases: [string, number | null][] = [
      ["cents throughout", null],
      ["three decimals", 12.345],
      ["beyond 32-bit cents", 21_474_836.48],
      ["minus zero", -0],
      ["a sum that is no cents (0.1 + 0.2)", 0.1],
    ];
    for (const [name, odd] of cases) {
      const random = createRandom(11);
      const totals = emptyFinanceTotals();
      const rows: { id: string; ordinal: number; revenue: number }[] = [];
      // one row per customer and period (two rows' sum is rarely whole cents as a number), in a random order
      const order: { id: string; ordinal: number }[] = [];
      for (let k = 0; k <= 40; k++) for (let m = 0; m <= 20; m++) if (random.chance(0.7)) order.push({ id: `K${k}`, ordinal: 24300 + m });
      for (let i = order.length - 1; i > 0; i--) {
        const j = random.integer(0, i);
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
      order.forEach(({ id, ordinal }, i) => {
        rows.push({ id, ordinal, revenue: Math.round((random.next() - 0.2) * 1e5) / 100 });
        // the odd value alone in customer Z's period (in the sum case, 0.2 added to it there)
        if (odd !== null && i === 400) rows.push({ id: "Z", ordinal: 24310, revenue: odd });
        if (odd === 0.1 && i === 400) rows.push({ id: "Z", ordinal: 24310, revenue: 0.2 });
      });
      for (const r of rows) addFinanceRow(totals, r.id, r.revenue, null, { granularity: "month", ordinal: r.ordinal });
      for (const id of new Set(rows.map((r) => r.id))) {
        const list = rows.filter((r) => r.id === id);
        const number = totals.customers.numberOf(id)!;
        const all = [...new Set(list.map((r) => r.ordinal))].sort((a, b) => a - b);
        for (const p of all.filter((p) => p > all.at(-1)! - 13)) {
          // the additions as the rows came: the same bits (and −0 stays −0)
          const inPeriod = list.filter((r) => r.ordinal === p);
          const sum = inPeriod.slice(1).reduce((s, r) => s + r.revenue, inPeriod[0]!.revenue);
          expect(Object.is(totals.customers.recentRevenueAt(number, p), sum), `${name}: ${id} ${p}: ${totals.customers.recentRevenueAt(number, p)} against ${sum}`).toBe(true);
        }
      }
    }
  });

  it("reads a customer's recent revenue in place as from its snapshot, also for periods kept apart (far before its first row, or spanning many words)", () => {
    const totals = emptyFinanceTotals();
    const rows: [string, number, number][] = [
      // E: its first row late, then one far before (an early period), then the ones before its last
      ["E", 24400, 10.5], ["E", 24300, 7.25], ["E", 24399, 3], ["E", 24398, 1.75], ["E", 24400, 0.5],
      // W: periods 400 apart (its bits kept wide)
      ["W", 24300, 2], ["W", 24700, 4.5], ["W", 24699, 8], ["W", 24690, 16], ["W", 24688, 1],
    ];
    for (const [id, ordinal, revenue] of rows) addFinanceRow(totals, id, revenue, null, { granularity: "month", ordinal });
    for (const id of ["E", "W"]) {
      const c = totals.customers.get(id)!;
      const number = totals.customers.numberOf(id)!;
      expect(c.recentPeriods.length, id).toBeGreaterThan(2);
      for (let p = 24290; p <= 24710; p++) expect(totals.customers.recentRevenueAt(number, p), `${id} ${p}`).toBe(revenueInOrNull(c, p));
    }
    expect(totals.customers.recentRevenueAt(totals.customers.numberOf("E")!, 24400)).toBe(11);
    totals.customers.releaseRecent();
    expect(() => totals.customers.recentRevenueAt(0, 24400)).toThrow(/released/);
  });
  it("sums money per group and period exactly as a plain map would, for periods far outside the row loop's index", () => {
    const random = createRandom(11);
    const groups = ["North", "South", "East"];
    const totals = emptyFinanceTotals((id) => (id.endsWith("9") ? null : groups[id.length % 3]!));
    const want = new Map<string, Map<number, { revenue: number; cost: number | null }>>();
    for (let i = 0; i < 20_000; i++) {
      const id = `C${random.integer(0, 1999)}`;
      // mostly within a few years, some 30 to 60 years away on either side (past the 256-period index)
      const far = random.chance(0.05) ? (random.chance(0.5) ? -1 : 1) * (360 + random.integer(0, 359)) : 0;
      const ordinal = 24300 + random.integer(0, 39) + far;
      const revenue = Math.round(random.next() * 100_000) / 100;
      const cost = random.chance(0.1) ? null : Math.round(random.next() * 50_000) / 100;
      addFinanceRow(totals, id, revenue, cost, { granularity: "month", ordinal }, null);
      const group = totals.customers.sumGroupOf(totals.customers.slot(id, cost === null));
      if (group === null) continue;
      let periods = want.get(group);
      if (!periods) want.set(group, (periods = new Map()));
      const sums = periods.get(ordinal);
      if (!sums) periods.set(ordinal, { revenue, cost });
      else {
        sums.revenue += revenue;
        sums.cost = sums.cost === null || cost === null ? null : sums.cost + cost;
      }
    }
    // the same groups, periods (in the same order) and bits
    expect([...totals.groupPeriods.keys()]).toEqual([...want.keys()]);
    for (const [group, periods] of want) expect([...totals.groupPeriods.get(group)!]).toEqual([...periods]);
    expect([...want.values()].some((periods) => [...periods.keys()].some((p) => p < 24000))).toBe(true);
  });

  it("keeps, when narrowed after the join, each customer's revenue, group, last period and periods, and refuses a full snapshot or a new customer", () => {
    const random = createRandom(8);
    const totals = emptyFinanceTotals();
    for (let k = 0; k < 20_000; k++) {
      // some periods far before the others (kept apart) and some far after (a wide customer)
      const ordinal = random.chance(0.01) ? 23900 + random.integer(0, 5) : random.chance(0.005) ? 24700 : 24300 + random.integer(0, 40);
      addFinanceRow(totals, `C${random.integer(0, 1499)}`, Math.round(random.next() * 1e4) / 100, 1, { granularity: "month", ordinal }, random.chance(0.2) ? null : random.pick(["Oslo", "Åbo"]));
    }
    const store = totals.customers;
    const before = [...store.keys()].map((id) => {
      const money = store.get(id)!;
      return { id, periods: periodsOf(money), last: money.lastPeriod };
    });
    const sums = [...store.revenueAndGroup()];
    // the reused snapshot, taken once the recent revenue has gone (as the join's second pass does)
    store.releaseRecent();
    expect(store.peek("C1")!.recentPeriods).toEqual([]);
    store.narrow();
    for (const { id, periods, last } of before) {
      const kept = store.peekPeriodsAt(store.numberOf(id)!);
      expect(periodsOf(kept), id).toEqual(periods);
      expect(kept.lastPeriod, id).toBe(last);
    }
    expect(before.some((b) => b.periods[0]! < 24000) && before.some((b) => b.periods.at(-1) === 24700)).toBe(true);
    expect([...store.revenueAndGroup()]).toEqual(sums);
    expect(() => store.get("C1")).toThrow(/after the store was narrowed/);
    expect(() => addFinanceRow(totals, "new", 1, 1, { granularity: "month", ordinal: 24300 })).toThrow(/added after the store was narrowed/);
    // a released store takes customers again (its one reused snapshot too, after a narrowed one)
    store.release();
    addFinanceRow(totals, "C5", 7, 2, { granularity: "month", ordinal: 24400 }, null);
    expect(store.get("C5")).toMatchObject({ revenue: 7, cost: 2, rows: 1, firstPeriod: 24400, lastPeriod: 24400, recentPeriods: [24400], recentRevenue: [7] });
    expect(store.peek("C5")).toMatchObject({ revenue: 7, recentPeriods: [24400], recentRevenue: [7] });
  });

  it("shares one id table with the survey's respondents: the same customers, sums and answers, and the respondents stay the survey's", () => {
    const random = createRandom(12);
    // respondents R0..R2999 (some twice, some non-ASCII); finance customers overlap them and add their own
    const responses = new SurveyResponses(4000, 0);
    for (let i = 0; i < 4000; i++) {
      const k = random.integer(0, 2999);
      const score = random.integer(0, 10);
      responses.push({ line: i + 2, customerId: k % 97 === 0 ? `Å${k}` : `R${k}`, score, category: categoryOf(score), date: random.chance(0.2) ? null : Date.UTC(2025, random.integer(0, 11), 1), group: null, drivers: [], weight: 1, outcome: null, comment: null, owner: null, ratingsValid: true });
    }
    const latest = new LatestResponses(responses);
    const respondents = latest.size;
    const rows = Array.from({ length: 30_000 }, () => {
      const k = random.integer(0, 4999);
      return { id: k < 3000 ? (k % 97 === 0 ? `Å${k}` : `R${k}`) : `F${k}`, revenue: Math.round(random.next() * 1e4) / 100, ordinal: 24300 + random.integer(0, 30) };
    });
    const own = emptyFinanceTotals();
    own.respondentOf = (id) => latest.indexOf(id) ?? -1;
    const shared = emptyFinanceTotals(null, latest.sharedIds());
    for (const totals of [own, shared]) {
      for (const r of rows) {
        // ASCII ids as the byte reader gives them, the others as strings
        if (/^[\x00-\x7f]*$/.test(r.id)) {
          const bytes = Buffer.from(`,${r.id},`, "latin1");
          addFinanceRowAt(totals, totals.customers.slotOfBytes(bytes, 1, bytes.length - 1, false), r.revenue, 1, "month", r.ordinal);
        } else addFinanceRow(totals, r.id, r.revenue, 1, { granularity: "month", ordinal: r.ordinal });
      }
    }
    expect([...shared.customers.keys()]).toEqual([...own.customers.keys()]);
    for (const id of own.customers.keys()) {
      expect(shared.customers.get(id), id).toEqual(own.customers.get(id));
      const c = shared.customers.numberOf(id)!;
      expect(shared.customers.respondentOf(c), id).toBe(latest.indexOf(id) ?? -1);
    }
    // the finance-only customers are in the table now, yet not respondents
    expect(latest.size).toBe(respondents);
    expect(latest.indexOf("F4000")).toBeUndefined();
    expect(shared.customers.has("F4000") || !rows.some((r) => r.id === "F4000")).toBe(true);
    expect([...own.customers.keys()].filter((id) => id.startsWith("F")).length).toBeGreaterThan(1000);
    expect([...own.customers.keys()].filter((id) => id.startsWith("Å")).length).toBeGreaterThan(10);
    // a released store lets go of the table, not of the respondents
    shared.customers.release();
    expect(shared.customers.has("R5")).toBe(false);
    expect(latest.indexOf("R5")).toBe(new LatestResponses(responses).indexOf("R5"));
    addFinanceRow(shared, "R5", 3, 1, { granularity: "month", ordinal: 24300 });
    expect(shared.customers.get("R5")!.revenue).toBe(3);
  });

  it("lets every customer go on release, and is an empty store afterwards", () => {
    const totals = emptyFinanceTotals();
    for (let k = 0; k < 5000; k++) addFinanceRow(totals, `C${k % 1200}`, k, 1, { granularity: "month", ordinal: 24300 + (k % 30) }, "Oslo");
    const store = totals.customers;
    expect(store.size).toBe(1200);
    store.release();
    expect(store.size).toBe(0);
    expect([...store.keys()]).toEqual([]);
    expect(store.has("C5")).toBe(false);
    expect(store.get("C5")).toBeUndefined();
    // and takes customers again from scratch
    addFinanceRow(totals, "C5", 7, 2, { granularity: "month", ordinal: 24400 }, null);
    expect(store.get("C5")).toMatchObject({ revenue: 7, cost: 2, rows: 1, firstPeriod: 24400, lastPeriod: 24400 });
  });
});
