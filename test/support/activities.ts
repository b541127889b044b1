let counter = 0;

/** A message activity as the Emulator posts it (no Authorization header: local, anonymous mode). */
export function messageActivity(serviceUrl: string, conversationId: string, text: string, extra: Record<string, unknown> = {}) {
  counter += 1;
  return {
    type: 'message',
    id: `in-${counter}`,
    channelId: 'emulator',
    serviceUrl,
    timestamp: new Date().toISOString(),
    from: { id: `user-${conversationId}`, name: 'User' },
    recipient: { id: 'bot', name: 'Waymark' },
    conversation: { id: conversationId },
    text,
    ...extra,
  };
}

export async function postActivity(baseUrl: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${baseUrl}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}
