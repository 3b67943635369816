/**
 * The one PEP 440 module (ground floor: imports nothing else of the project). The analysis, the
 * manifest engine, the front ends and the server all ask it, so a version compares and a
 * specifier matches the same way everywhere, as Python's `packaging` does
 * (test/core/python/pep440-differential.test.ts checks every function exported here that the
 * server relies on: normalize, isValid, isPrerelease, compare, equal, isValidSpecifier, satisfies).
 */
export * from './pep440.ts';
export * from './limits.ts';
export * from './sets.ts';
