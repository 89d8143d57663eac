/**
 * --fail-if gates: `PATH OP NUMBER`, where PATH is a key path into the JSON report (`nps.overall.nps`,
 * `drivers.rSquared`), `[N]` an element and `[*]` any element (`nps.byGroup[*].nps < -20`), and OP
 * one of < <= > >= == !=. A gate trips when any value at its path compares true. Paths are checked
 * against the report's JSON Schema, so a typo is an error naming the nearest real paths, even when
 * this report happens to have no value there.
 */
import { UsageError } from "../errors.js";

export type Operator = "<" | "<=" | ">" | ">=" | "==" | "!=";

export interface Gate {
  /** As written. */
  expression: string;
  path: string;
  /** The path's steps: keys, element numbers, or "*". */
  steps: (string | number)[];
  operator: Operator;
  threshold: number;
}

export interface GateHit {
  /** The concrete path, e.g. nps.byGroup[2].nps. */
  path: string;
  value: number;
  /** The element's name where it has one (its group, category, driver…). */
  label: string | null;
}

export interface GateResult {
  gate: Gate;
  tripped: boolean;
  hits: GateHit[];
  /** Paths whose value is null in this report (a section not computed): not compared. */
  missing: string[];
}

const EXPRESSION = /^\s*([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*|\[(?:\d+|\*)\])*)\s*(<=|>=|==|!=|<|>)\s*(-?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)\s*$/i;

export function parseGate(expression: string): Gate {
  const match = EXPRESSION.exec(expression);
  if (!match) {
    throw new UsageError(`--fail-if "${expression}": expected PATH OPERATOR NUMBER, e.g. "nps.overall.nps < 0" or "nps.byGroup[*].nps < -20"`, {
      hint: "PATH is a key path into the JSON report (loyalty schema lists them); OPERATOR is one of < <= > >= == !=",
    });
  }
  const path = match[1]!;
  const steps: (string | number)[] = [];
  for (const part of path.matchAll(/([A-Za-z_$][\w$]*)|\[(\d+|\*)\]/g)) {
    if (part[1] !== undefined) steps.push(part[1]);
    else steps.push(part[2] === "*" ? "*" : Number(part[2]));
  }
  return { expression: expression.trim(), path, steps, operator: match[2] as Operator, threshold: Number(match[3]) };
}

type JsonSchema = { type?: string | string[]; properties?: Record<string, JsonSchema>; items?: JsonSchema; anyOf?: JsonSchema[]; oneOf?: JsonSchema[] };

/** Every path the schema allows, arrays written as [*], with whether it holds a number. */
export function schemaPaths(schema: JsonSchema): Map<string, boolean> {
  const paths = new Map<string, boolean>();
  const walk = (node: JsonSchema, prefix: string) => {
    for (const option of [...(node.anyOf ?? []), ...(node.oneOf ?? [])]) walk(option, prefix);
    const types = Array.isArray(node.type) ? node.type : node.type ? [node.type] : [];
    if (prefix && (types.includes("number") || types.includes("integer"))) paths.set(prefix, true);
    else if (prefix && types.length > 0 && !paths.has(prefix) && !types.includes("null")) paths.set(prefix, false);
    for (const [key, child] of Object.entries(node.properties ?? {})) walk(child, prefix ? `${prefix}.${key}` : key);
    if (node.items) walk(node.items, `${prefix}[*]`);
  };
  walk(schema, "");
  return paths;
}

function distance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0]!;
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j]!;
      previous[j] = Math.min(previous[j]! + 1, previous[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return previous[b.length]!;
}

/** The path with element numbers written as [*], as the schema lists it. */
const generic = (steps: readonly (string | number)[]) => steps.map((s, i) => (typeof s === "number" || s === "*" ? "[*]" : i === 0 ? s : `.${s}`)).join("");

/** Checks a gate's path against the report's schema: it must exist and hold a number. */
export function checkGate(gate: Gate, paths: Map<string, boolean>): void {
  const key = generic(gate.steps);
  const numeric = paths.get(key);
  if (numeric === true) return;
  const numbers = [...paths].filter(([, isNumber]) => isNumber).map(([p]) => p);
  const nearest = numbers
    .map((p) => [p, distance(key.toLowerCase(), p.toLowerCase())] as const)
    .sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, 3)
    .map(([p]) => p);
  const what = numeric === false ? `"${gate.path}" is not a number in the report` : `the report has no "${gate.path}"`;
  throw new UsageError(`--fail-if "${gate.expression}": ${what}; the nearest numbers are ${nearest.join(", ")}`, {
    hint: "loyalty schema prints every path of the report",
  });
}

function compare(value: number, operator: Operator, threshold: number): boolean {
  switch (operator) {
    case "<":
      return value < threshold;
    case "<=":
      return value <= threshold;
    case ">":
      return value > threshold;
    case ">=":
      return value >= threshold;
    case "==":
      return value === threshold;
    case "!=":
      return value !== threshold;
  }
}

const NAME_KEYS = ["group", "category", "driver", "term", "kpi", "period", "name", "section"];

/** Evaluates a gate against the report (as JSON data). */
export function evaluateGate(gate: Gate, report: unknown): GateResult {
  const hits: GateHit[] = [];
  const missing: string[] = [];
  const visit = (node: unknown, index: number, path: string, label: string | null) => {
    if (index === gate.steps.length) {
      if (typeof node === "number") {
        if (compare(node, gate.operator, gate.threshold)) hits.push({ path, value: node, label });
      } else missing.push(path);
      return;
    }
    if (node === null || node === undefined) {
      missing.push(path);
      return;
    }
    const step = gate.steps[index]!;
    if (typeof step === "string" && step !== "*") {
      visit((node as Record<string, unknown>)[step], index + 1, path ? `${path}.${step}` : step, label);
      return;
    }
    if (!Array.isArray(node)) return missing.push(path) as unknown as void;
    const elements = step === "*" ? node.map((_, i) => i) : [step];
    for (const i of elements) {
      const element = node[i] as unknown;
      const name = element && typeof element === "object" ? NAME_KEYS.map((k) => (element as Record<string, unknown>)[k]).find((v) => typeof v === "string") : undefined;
      visit(element, index + 1, `${path}[${i}]`, typeof name === "string" ? name : label);
    }
  };
  visit(report, 0, "", null);
  return { gate, tripped: hits.length > 0, hits, missing };
}

/** One line per tripped gate: which gate, and the values that tripped it. */
export function describeResult(result: GateResult): string {
  const values = result.hits.slice(0, 5).map((h) => `${h.path} = ${h.value}${h.label !== null ? ` (${h.label})` : ""}`);
  const more = result.hits.length > 5 ? ` and ${result.hits.length - 5} more` : "";
  return `gate tripped: ${result.gate.expression}: ${values.join(", ")}${more}`;
}
