/** A start-up problem an operator must fix (bad data file, bad setting): reported in one block, no stack. */
export class StartupError extends Error {
  override readonly name = 'StartupError';
}
