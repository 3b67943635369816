/**
 * This tool's own version (semver: it is an npm package), sent in the User-Agent.
 * A constant rather than a read of package.json so that the ncc bundle carries it;
 * test/core/version.test.ts keeps the two equal.
 */
export const TOOL_NAME = 'fapilog-plugins';
export const TOOL_VERSION = '0.1.0';
export const USER_AGENT = `${TOOL_NAME}/${TOOL_VERSION}`;
