import type { EscalationTopic } from '../staffModel';

/** Text keys of escalation topic names (literal, so the translation check sees every one in use). */
export const TOPIC_LABEL_KEYS: Readonly<Record<EscalationTopic, string>> = {
  health: 'staff:topics.health',
  justice: 'staff:topics.justice',
  housing: 'staff:topics.housing',
  employment: 'staff:topics.employment',
  general: 'staff:topics.general',
};
