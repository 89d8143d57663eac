/**
 * The report's schema version (report.ts has the schema): apart, so that making a report does not
 * load the schema's library (zod, about 0.75 MB of the CLI's code), which only `--fail-if`, a config
 * file and `loyalty schema` need.
 */
export const SCHEMA_VERSION = 5;
