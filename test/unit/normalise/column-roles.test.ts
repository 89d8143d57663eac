import { describe, expect, it } from "vitest";
import { normaliseHeader, resolveFinanceColumns, resolveSurveyColumns } from "../../../src/normalise/column-roles.js";
import { createRandom } from "../../../src/stats/random.js";
import { classifyDriverColumns } from "../../../src/normalise/driver-columns.js";
import { createFinanceLoader } from "../../../src/normalise/finance.js";
import { parseScore } from "../../../src/normalise/coerce.js";

describe("normaliseHeader", () => {
  it("folds case, accents, Nordic letters and punctuation", () => {
    expect(normaliseHeader(" Intäkt_SEK ")).toBe("intakt sek");
    expect(normaliseHeader("Omsætning")).toBe("omsaetning");
    expect(normaliseHeader("Kundenr.")).toBe("kundenr");
    expect(normaliseHeader("Måned")).toBe("maned");
  });
});

describe("role detection", () => {
  it("finds survey roles by English names and a question text", () => {
    const header = ["Customer Number", "How likely is it that you would recommend us?", "Recorded Date", "Segment", "Service"];
    const columns = resolveSurveyColumns(header, {}, "s.csv");
    expect([columns.customerId?.name, columns.score.name, columns.date?.name, columns.group?.name]).toEqual([
      "Customer Number",
      "How likely is it that you would recommend us?",
      "Recorded Date",
      "Segment",
    ]);
  });
  it("finds finance roles by Swedish, Norwegian and Danish names", () => {
    for (const header of [
      ["Kundnummer", "Period", "Intäkt", "Kostnad"],
      ["Kundenummer", "Måned", "Inntekt", "Kostnader"],
      ["Kunde", "Periode", "Omsætning", "Omkostninger"],
    ]) {
      const columns = resolveFinanceColumns(header, {}, "f.csv");
      expect([columns.customerId?.index, columns.period?.index, columns.revenue.index, columns.cost?.index], header.join()).toEqual([0, 1, 2, 3]);
    }
  });
  it("refuses to guess between two equally named columns", () => {
    expect(() => resolveSurveyColumns(["nps", "NPS", "customer_id"], {}, "s.csv")).toThrow(/2 columns could be the score column: nps, NPS/);
  });
  it("a flag matches the header exactly, or case- and accent-insensitively when unique", () => {
    expect(resolveSurveyColumns(["Betyg", "kund"], { score: "betyg" }, "s.csv").score.name).toBe("Betyg");
  });
  it("finds roles by word parts in the header names real exports use, and not in look-alikes", () => {
    const roles = (header: string[]) => {
      const c = resolveSurveyColumns(header, {}, "s.csv");
      return { score: c.score.name, id: c.customerId?.name ?? null, date: c.date?.name ?? null, group: c.group?.name ?? null };
    };
    expect(roles(["review_id", "order_id", "customer_state", "review_score", "review_creation_date", "review_answer_timestamp"])).toEqual({
      score: "review_score", id: null, date: "review_answer_timestamp", group: "customer_state",
    });
    expect(roles(["Customer ID", "Satisfaction Score", "Churn Score", "City"])).toEqual({ score: "Satisfaction Score", id: "Customer ID", date: null, group: "City" });
    expect(roles(["customer_unique_id", "NPS rating", "Sales region name"])).toMatchObject({ id: "customer_unique_id", score: "NPS rating", group: "Sales region name" });
    // a manager's id is not the customer's; "Area of improvement" and "Store rating" are not groups; eNPS is the employees'
    expect(roles(["Account Manager ID", "Area of improvement", "Store rating", "nps"])).toEqual({ score: "nps", id: null, date: null, group: null });
    expect(() => resolveSurveyColumns(["eNPS", "team"], {}, "e.csv")).toThrow(/no score column found/);
    expect(resolveFinanceColumns(["order_id", "payment_value"], { customerId: "order_id" }, "p.csv").revenue.name).toBe("payment_value");
    expect(resolveFinanceColumns(["CustomerID", "TotalRevenue", "Revenue Growth"], {}, "f.csv").revenue.name).toBe("TotalRevenue");
  });
  it("default drivers are whole-number rating columns that are not ids or other roles", () => {
    const header = ["response_id", "nps", "service", "comment", "price", "spend", "flag"];
    const rows = [
      ["1", "9", "8", "good", "7", "120.5", "1"],
      ["2", "3", "2", "bad", "", "99.0", "1"],
      ["3", "7", "6", "ok", "NA", "10", "1"],
      ["4", "8", "7", "fine", "5", "12", "1"],
    ];
    const drivers = classifyDriverColumns(header, [{ name: "nps", index: 1, detected: true }], (i) => rows.map((r) => r[i]!), (t) => (t === "" ? null : Number.isNaN(Number(t)) ? null : Number(t)));
    expect(drivers.filter((d) => d.taken).map((d) => d.name)).toEqual(["service", "price"]);
  });
  it("classifies the same from each distinct text with its count as from every cell in row order", () => {
    const random = createRandom(4);
    const pools = [["1", "2", "3", "4", "5"], ["1", "2", "3", "x", ""], ["0", "1"], ["4 - Good", "5 - Very good", "2", "NA"], ["3.5", "2", "4"], ["Bra", "Dålig", "Mycket bra", "Ganska bra", ""], ["7", "7", "7"], ["12", "250", "3"]];
    for (let round = 0; round < 20; round++) {
      const header = ["nps", ...pools.map((_, k) => `q${k}`)];
      const rows = Array.from({ length: 300 }, () => ["9", ...pools.map((pool) => (random.chance(0.03) ? "oops" : pool[random.integer(0, pool.length - 1)]!))]);
      const column = (i: number) => rows.map((r) => r[i]!);
      const counted = (i: number) => {
        const counts = new Map<string, number>();
        for (const text of column(i)) counts.set(text, (counts.get(text) ?? 0) + 1);
        return counts.entries();
      };
      const parse = (t: string) => (t === "" ? null : Number.isNaN(Number(t)) ? null : Number(t));
      const roles = [{ name: "nps", index: 0, detected: true }];
      expect(classifyDriverColumns(header, roles, column, parse, null, counted)).toEqual(classifyDriverColumns(header, roles, column, parse));
    }
  });
});

describe("parseScore", () => {
  it("reads whole numbers 0-10, treats NA-like text as not answered, and refuses the rest", () => {
    const parse = (texts: string[]) => texts.map((text) => parseScore(text));
    expect(parse(["0", "10", " 7 ", "9.0", "9,00", "+8"])).toEqual([0, 10, 7, 9, 9, 8]);
    expect(parse(["", "NA", "n/a", "#N/A", "null"])).toEqual([null, null, null, null, null]);
    expect(parse(["11", "-1", "7.5", "ten", "1e1", "10 10"])).toEqual([undefined, undefined, undefined, undefined, undefined, undefined]);
  });
  it("maps choice text to its number, and honours another scale", () => {
    expect(parseScore("10 - Extremely likely")).toBe(10);
    expect(parseScore("0 - Not at all likely")).toBe(0);
    expect(parseScore("7: Sannolikt")).toBe(7);
    expect(parseScore("5", { min: 1, max: 5 })).toBe(5);
    expect(parseScore("0", { min: 1, max: 5 })).toBeUndefined();
    expect(parseScore("6", { min: 1, max: 5 })).toBeUndefined();
  });
});

describe("createFinanceLoader", () => {
  const record = (line: number, values: string[]) => ({ line, values });
  it("rejects and counts rows with a blank id, a bad number or a bad period", () => {
    const loader = createFinanceLoader("f.csv", ["customer_id", "period", "revenue", "cost"], {}, ".");
    loader.add(record(2, ["A", "2025-01", "10", "5"]));
    loader.add(record(3, ["", "2025-01", "10", "5"]));
    loader.add(record(4, ["B", "2025-01", "1 0", "5"]));
    loader.add(record(5, ["B", "Jan", "10", "5"]));
    loader.add(record(6, ["B", "2025-02", "10", ""]));
    expect(loader.account.rowsRead).toBe(5);
    expect(loader.account.rowsAccepted).toBe(1);
    expect(loader.account.rejects.map((r) => [r.line, r.columnName])).toEqual([
      [3, "customer_id"],
      [4, "revenue"],
      [5, "period"],
      [6, "cost"],
    ]);
  });
  it("refuses a file that mixes months and quarters, naming both lines", () => {
    const loader = createFinanceLoader("f.csv", ["customer_id", "period", "revenue"], {}, ".");
    loader.add(record(2, ["A", "2025-01", "10"]));
    expect(() => loader.add(record(3, ["A", "2025-Q2", "10"]))).toThrow('period "2025-Q2" is a quarter, but line 2 has a month');
  });
  it("reads decimal commas in semicolon files", () => {
    const loader = createFinanceLoader("f.csv", ["kund", "period", "intäkt"], {}, ",");
    loader.add(record(2, ["A", "2025-01", "1 234,50"]));
    expect(loader.totals.customers.get("A")!.revenue).toBe(1234.5);
  });
});
