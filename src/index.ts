/** loyalty's programmatic API. */
export { analyze, computeAnalysis, type AnalyzeSettings, type AnalyzeContext } from "./pipeline.js";
export { ReportSchema, reportJsonSchema, SCHEMA_VERSION, type Report } from "./report/report.js";
export { LoyaltyError, InputError, UsageError, DataError } from "./errors.js";
