/** Outgoing mail to staff (invitations, password resets). Plain text only: links, never migrants' data. */
export interface Mailer {
  send(message: { readonly to: string; readonly subject: string; readonly text: string }): Promise<void>;
}
