// The HTML report in a real browser: Debian's headless Chromium, driven by playwright-core. The page
// must load with no console error and no request beyond the file itself, draw every chart, print,
// and look right: the screenshots are kept in test-artifacts/ (and one is the README's).
import { existsSync, mkdirSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/run-cli.js";

const CHROMIUM = process.env.LOYALTY_CHROMIUM ?? "/usr/bin/chromium";
const artifacts = fileURLToPath(new URL("../../test-artifacts/", import.meta.url));
const page = `${artifacts}demo-report.html`;

// CI installs Debian's chromium (.ci/run); elsewhere the test says how to get it rather than pass silently
if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install chromium, or set LOYALTY_CHROMIUM`);

describe("the HTML report in headless Chromium", { timeout: 120_000 }, () => {
  let browser: Browser;
  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    const result = await runCli(["demo", "-q", "-o", page], { SOURCE_DATE_EPOCH: "1767225600" });
    expect(result.code, result.stderr).toBe(0);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("loads with no console error and no request beyond the file, and draws every chart", async () => {
    const tab = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    const errors: string[] = [];
    const requests: string[] = [];
    tab.on("console", (message) => {
      if (message.type() === "error" || message.type() === "warning") errors.push(message.text());
    });
    tab.on("pageerror", (error) => errors.push(String(error)));
    tab.on("request", (request) => requests.push(request.url()));
    await tab.goto(pathToFileURL(page).href, { waitUntil: "load" });
    expect(errors).toEqual([]);
    expect(requests).toEqual([pathToFileURL(page).href]);

    const charts = await tab.$$eval("figure.chart", (figures) =>
      figures.map((f) => {
        const svgs = [...f.querySelectorAll("svg")];
        return {
          id: f.id,
          svgs: svgs.length,
          drawn: svgs.every((s) => s.getBoundingClientRect().width > 200 && s.getBoundingClientRect().height > 150),
          marks: f.querySelectorAll("circle, rect, path, line").length,
          text: f.textContent ?? "",
        };
      }),
    );
    expect(charts.map((c) => c.id)).toEqual(["nps-nps-by-group", "revenue-revenue-by-category", "survival-survival-curves", "trend-nps-trend", "linkage-linkage-scatter", "drivers-importance-performance"]);
    for (const chart of charts) {
      expect(chart.drawn, chart.id).toBe(true);
      expect(chart.marks, chart.id).toBeGreaterThan(10);
    }
    // one dot and one interval per region, labelled with the region
    const byGroup = charts[0]!;
    for (const region of ["Århus", "Bergen", "Göteborg", "København", "Malmö", "Oslo", "Stockholm", "Uppsala"]) expect(byGroup.text).toContain(region);
    expect(await tab.locator("#nps-nps-by-group svg circle").count()).toBe(8);
    expect(await tab.locator("#drivers-importance-performance svg circle").count()).toBe(5);
    // the curves are drawn inside the plot, one per category (a mark outside its scale's domain would not show)
    expect(await tab.locator('#survival-survival-curves svg g[aria-label="line"] path').count()).toBe(3);
    expect(await tab.locator('#trend-nps-trend svg g[aria-label="line"] path').count()).toBe(1);
    expect(await tab.locator('#linkage-linkage-scatter svg g[aria-label="area"] path').count()).toBe(1);
    for (const id of ["survival-survival-curves", "trend-nps-trend", "nps-nps-by-group"]) {
      const inside = await tab.evaluate<boolean>(`(() => {
        const svg = document.querySelector("#${id} svg").getBoundingClientRect();
        return [...document.querySelectorAll("#${id} svg g[aria-label='line'] path, #${id} svg g[aria-label='dot'] circle")].every((m) => {
          const r = m.getBoundingClientRect();
          return r.top >= svg.top - 1 && r.bottom <= svg.bottom + 1 && r.left >= svg.left - 1 && r.right <= svg.right + 1;
        });
      })()`);
      expect(inside, `${id}: every line and dot inside its chart`).toBe(true);
    }

    // tables read as tables: numbers right-aligned
    const align = await tab.evaluate<string>("getComputedStyle(document.querySelector('#nps table td.num')).textAlign");
    expect(align).toBe("right");

    await tab.screenshot({ path: `${artifacts}demo-report-top.png` });
    await tab.screenshot({ path: `${artifacts}demo-report.png`, fullPage: true });
    await tab.locator("#nps").screenshot({ path: `${artifacts}demo-report-nps.png` });
    await tab.close();
  });

  it("the feedback report for one owner (--split -f html): no error, the owners' intervals drawn inside the chart, the call-back table", async () => {
    const dir = `${artifacts}feedback/`;
    const result = await runCli(["feedback", "-s", `${fileURLToPath(new URL("../../fixtures/demo/", import.meta.url))}survey.csv`, "-F", `${fileURLToPath(new URL("../../fixtures/demo/", import.meta.url))}finance.csv`, "--split", dir, "-f", "html", "-q", "-n", "5"], { SOURCE_DATE_EPOCH: "1767225600" });
    expect(result.code, result.stderr).toBe(0);
    const tab = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    const errors: string[] = [];
    tab.on("console", (message) => {
      if (message.type() === "error" || message.type() === "warning") errors.push(message.text());
    });
    tab.on("pageerror", (error) => errors.push(String(error)));
    await tab.goto(pathToFileURL(`${dir}index.html`).href, { waitUntil: "load" });
    expect(errors).toEqual([]);
    expect(await tab.locator("#owners-nps-by-owner svg circle").count()).toBe(10);
    const inside = await tab.evaluate<boolean>(`(() => {
      const svg = document.querySelector("#owners-nps-by-owner svg").getBoundingClientRect();
      return [...document.querySelectorAll("#owners-nps-by-owner svg circle")].every((m) => {
        const r = m.getBoundingClientRect();
        return r.top >= svg.top - 1 && r.bottom <= svg.bottom + 1 && r.left >= svg.left - 1 && r.right <= svg.right + 1;
      });
    })()`);
    expect(inside).toBe(true);
    await tab.screenshot({ path: `${artifacts}feedback-index.png`, fullPage: true });
    await tab.goto(pathToFileURL(`${dir}jonas-berg.html`).href, { waitUntil: "load" });
    expect(errors).toEqual([]);
    expect(await tab.locator("#jonas-berg table#call-back tbody tr").count()).toBe(5);
    expect(await tab.locator("#jonas-berg li").count()).toBeGreaterThanOrEqual(0);
    await tab.screenshot({ path: `${artifacts}feedback-owner.png`, fullPage: true });
    await tab.close();
  });

  it("prints: a PDF of several A4 pages with no chart cut in two", async () => {
    const tab = await browser.newPage();
    await tab.goto(pathToFileURL(page).href);
    await tab.emulateMedia({ media: "print" });
    const breakInside = await tab.evaluate<string>("getComputedStyle(document.querySelector('figure.chart')).breakInside");
    expect(breakInside).toBe("avoid");
    const pdf = await tab.pdf({ format: "A4", path: `${artifacts}demo-report.pdf` });
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    const pages = pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g)?.length ?? 0;
    expect(pages).toBeGreaterThan(3);
    await tab.close();
  });
});
