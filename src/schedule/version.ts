/**
 * The timeweave version written into trace files (`meta.timeweave`). Kept as a constant rather than
 * read from package.json so the core stays free of Node-only imports and JSON module imports.
 * @module
 */

/** The version of timeweave that writes trace files; keep in step with package.json. */
export const TIMEWEAVE_VERSION = '0.1.0';
