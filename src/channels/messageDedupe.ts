/**
 * The channel message ids already answered (keyed HMACs, never the raw ids), each remembered until it
 * expires. A channel whose platform redelivers (WhatsApp retries an unacknowledged webhook for days) asks
 * here before answering. Ids are recorded only with the commit of the turn that answered them (see
 * `TurnEffects.answered`), so an id is "answered" exactly when its answer is stored: a redelivery is
 * recognised, and a message whose turn never committed is processed when it comes again.
 */
export interface MessageDedupe {
  /** True when `idHmac` was recorded by a committed turn and its window has not passed. */
  isAnswered(idHmac: string): boolean | Promise<boolean>;
  /** Forgets ids whose window has passed (one may then be answered again); returns how many. */
  purgeExpired(): number | Promise<number>;
}
