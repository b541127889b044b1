/**
 * Opens one sealed value and seals it again with the current key (or returns it unchanged when it already
 * is): what key rotation passes to every store holding sealed values. `context` is the value's binding to
 * its row (see `FieldCipher`), so a value moved to another row does not open.
 */
export type Reseal = (sealed: string, context: string) => string;
