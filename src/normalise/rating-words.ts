/**
 * Ratings and scores written as words: built-in vocabularies of the rating words survey tools
 * export (quality, satisfaction, agreement, likelihood, yes/maybe/no) in English and the Nordic
 * languages, each an ordered scale 1..k; and maps the user writes (`--score-map`, `--rating-map`).
 * Words are compared after `normaliseHeader` (case, accents and punctuation folded).
 */
import { normaliseHeader, isMissing } from "./column-roles.js";

/** An ordered scale of words: each word's value, and the scale's bounds. */
export interface WordScale {
  /** What the scale measures and in which language, e.g. "satisfaction (Swedish)". */
  name: string;
  /** Normalised word → value. */
  values: ReadonlyMap<string, number>;
  min: number;
  max: number;
  /** The map as the user wrote it (--score-map, --rating-map), for the config file. */
  spec?: string;
  /** Value → the word as written, for messages (the first spelling of each level). */
  labels: ReadonlyMap<number, string>;
}

/** Levels from lowest to highest; a level may be written several ways ("neutral" | "neither …"). */
type Levels = readonly (readonly string[])[];

function scale(name: string, levels: Levels): WordScale {
  const values = new Map<string, number>();
  const labels = new Map<number, string>();
  levels.forEach((spellings, i) => {
    labels.set(i + 1, spellings[0]!.charAt(0).toUpperCase() + spellings[0]!.slice(1));
    for (const word of spellings) values.set(normaliseHeader(word), i + 1);
  });
  return { name, values, min: 1, max: levels.length, labels };
}

/**
 * The built-in vocabularies, tried in this order: the first that holds every word of a column is
 * used (so "Poor, Good, Excellent" reads on the five-level quality scale 1, 3, 5).
 */
export const WORD_SCALES: readonly WordScale[] = [
  scale("quality (English)", [["poor", "bad"], ["fair"], ["good"], ["very good"], ["excellent"]]),
  scale("quality (English, very poor to excellent)", [["very poor", "very bad"], ["poor", "bad"], ["average", "fair", "ok", "okay"], ["good"], ["excellent", "very good"]]),
  scale("satisfaction (English)", [["very dissatisfied", "very unsatisfied"], ["dissatisfied", "unsatisfied"], ["neither satisfied nor dissatisfied", "neutral"], ["satisfied"], ["very satisfied"]]),
  scale("agreement (English)", [["strongly disagree"], ["disagree"], ["neither agree nor disagree", "neutral"], ["agree"], ["strongly agree"]]),
  scale("agreement (English, seven levels)", [["strongly disagree"], ["disagree"], ["somewhat disagree"], ["neither agree nor disagree", "neutral"], ["somewhat agree"], ["agree"], ["strongly agree"]]),
  scale("likelihood (English)", [["very unlikely"], ["unlikely"], ["neither likely nor unlikely", "neutral"], ["likely"], ["very likely"]]),
  scale("yes/maybe/no (English)", [["no"], ["maybe"], ["yes"]]),
  scale("satisfaction (Swedish)", [["mycket missnöjd"], ["missnöjd", "ganska missnöjd"], ["varken nöjd eller missnöjd", "varken eller", "neutral"], ["nöjd", "ganska nöjd"], ["mycket nöjd"]]),
  scale("agreement (Swedish)", [["instämmer inte alls", "tar helt avstånd"], ["instämmer inte", "tar delvis avstånd", "instämmer delvis inte"], ["varken eller", "varken instämmer eller tar avstånd", "neutral"], ["instämmer delvis", "instämmer till stor del"], ["instämmer helt"]]),
  scale("quality (Swedish)", [["mycket dålig"], ["dålig"], ["varken bra eller dålig", "godtagbar", "okej", "ok"], ["bra"], ["mycket bra", "utmärkt"]]),
  scale("yes/maybe/no (Swedish)", [["nej"], ["kanske", "vet ej"], ["ja"]]),
  scale("satisfaction (Norwegian)", [["svært misfornøyd", "meget misfornøyd"], ["misfornøyd"], ["verken fornøyd eller misfornøyd", "nøytral"], ["fornøyd"], ["svært fornøyd", "meget fornøyd"]]),
  scale("agreement (Norwegian and Danish)", [["helt uenig"], ["uenig", "delvis uenig"], ["verken enig eller uenig", "hverken enig eller uenig", "nøytral", "neutral"], ["enig", "delvis enig"], ["helt enig"]]),
  scale("quality (Norwegian)", [["svært dårlig", "meget dårlig"], ["dårlig"], ["middels", "verken god eller dårlig"], ["god", "bra"], ["svært god", "svært bra", "meget god", "utmerket"]]),
  scale("yes/maybe/no (Norwegian)", [["nei"], ["kanskje", "vet ikke"], ["ja"]]),
  scale("satisfaction (Danish)", [["meget utilfreds"], ["utilfreds"], ["hverken tilfreds eller utilfreds", "neutral"], ["tilfreds"], ["meget tilfreds"]]),
  scale("quality (Danish)", [["meget dårlig"], ["dårlig"], ["middel", "hverken god eller dårlig"], ["god"], ["meget god", "fremragende"]]),
  scale("yes/maybe/no (Danish)", [["nej"], ["måske", "ved ikke"], ["ja"]]),
  scale("satisfaction (Finnish)", [["erittäin tyytymätön"], ["tyytymätön", "melko tyytymätön"], ["ei tyytyväinen eikä tyytymätön", "neutraali"], ["tyytyväinen", "melko tyytyväinen"], ["erittäin tyytyväinen"]]),
  scale("agreement (Finnish)", [["täysin eri mieltä"], ["jokseenkin eri mieltä", "eri mieltä"], ["ei samaa eikä eri mieltä", "neutraali"], ["jokseenkin samaa mieltä", "samaa mieltä"], ["täysin samaa mieltä"]]),
  scale("quality (Finnish)", [["erittäin huono"], ["huono"], ["kohtalainen", "keskinkertainen"], ["hyvä"], ["erittäin hyvä", "erinomainen"]]),
  scale("yes/maybe/no (Finnish)", [["ei"], ["ehkä", "en osaa sanoa"], ["kyllä"]]),
];

/**
 * The built-in vocabulary that holds every non-missing word of a column, or null when the column
 * is not (all) words of one vocabulary, or uses fewer than two of its words.
 * @param tolerance how many values may fall outside the vocabulary (bad cells, counted later as rejects)
 */
export function detectWordScale(values: Iterable<string>, tolerance = 0): WordScale | null {
  const counts = new Map<string, number>();
  for (const text of values) {
    if (isMissing(text)) continue;
    const key = normaliseHeader(text);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  if (counts.size < 2) return null;
  let total = 0;
  for (const count of counts.values()) total += count;
  for (const candidate of WORD_SCALES) {
    let inside = 0;
    let distinct = 0;
    for (const [word, count] of counts) {
      if (candidate.values.has(word)) {
        inside += count;
        distinct++;
      }
    }
    if (distinct >= 2 && total - inside <= tolerance) return candidate;
  }
  return null;
}

/**
 * A map written as `No=0,Maybe=8,Yes=10` (`--score-map`, `--rating-map`): words to numbers.
 * @throws {Error} naming the part that is not `word=number`
 */
export function parseWordMap(spec: string, flag: string): WordScale {
  const values = new Map<string, number>();
  const labels = new Map<number, string>();
  for (const part of spec.split(",")) {
    const match = /^\s*(.*?)\s*=\s*([+-]?\d+(?:\.\d+)?)\s*$/.exec(part);
    if (!match || match[1] === "") throw new Error(`${flag}: "${part.trim()}" is not word=number; write e.g. ${flag} "No=0,Maybe=8,Yes=10"`);
    const word = normaliseHeader(match[1]!);
    if (word === "") throw new Error(`${flag}: "${match[1]}" has no letters or digits to match`);
    if (values.has(word)) throw new Error(`${flag}: "${match[1]}" is mapped twice`);
    values.set(word, Number(match[2]));
    if (!labels.has(Number(match[2]))) labels.set(Number(match[2]), match[1]!);
  }
  if (values.size === 0) throw new Error(`${flag} needs at least one word=number`);
  const numbers = [...values.values()];
  return { name: flag, values, min: Math.min(...numbers), max: Math.max(...numbers), spec: spec.trim(), labels };
}

/** A word's value on the scale; undefined when the scale does not hold it. */
export function wordValue(scale: WordScale, text: string): number | undefined {
  return scale.values.get(normaliseHeader(text));
}

/** The words of a scale in order of value, for messages: "Poor (1), Good (3)". */
export function describeWords(scale: WordScale, max = 7): string {
  const byValue = new Map<number, string>(scale.labels);
  for (const [word, value] of scale.values) if (!byValue.has(value)) byValue.set(value, word);
  const listed = [...byValue].sort((a, b) => a[0] - b[0]).map(([value, word]) => `${word}=${value}`);
  return listed.length > max ? `${listed.slice(0, max).join(", ")}, …` : listed.join(", ");
}
