/**
 * Not a module of its own: the one PEP 440 module is src/core/pep440/. This path only keeps an
 * import written before the move working (a branch merged later); new code imports the room.
 */
export * from '../pep440/index.ts';
