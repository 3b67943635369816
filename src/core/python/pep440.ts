/** Kept for modules not yet moved: the PEP 440 module lives in src/core/pep440/. */
export * from '../pep440/index.ts';
