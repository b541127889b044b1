/**
 * Where time comes from: epoch milliseconds, `Date.now` in production. Injected wherever expiry or retention
 * is decided, so tests move time with a fake clock instead of waiting.
 */
export type Clock = () => number;
