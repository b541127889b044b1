/*
 * src/web/ is the staff web kit: what every staff-facing feature (staff accounts, the escalation console, the
 * directory editor, the insights pages) shares to serve server-rendered pages under /staff and the integrations
 * API under /api/v1: templating, layout, cookies, CSRF, request readers and the route pipeline. It is named for
 * the layer, not for one feature, because it must not belong to one: it imports no feature and learns who is
 * asking through its own small types (principal.ts). The migrants' web chat is a channel (src/channels/webchat/)
 * and does not use it.
 */
import type { Purger } from '../privacy/startRetentionJob';
import type { WebTypes } from './principal';
import type { WebRoute } from './webRoute';

/** A link in the page header, contributed by the feature that owns the page. */
export interface NavEntry<W extends WebTypes = WebTypes> {
  /** Translation key of the link's text. */
  readonly labelKey: string;
  readonly path: string;
  /** Who sees it: every signed-in person, or only holders of one of these roles. */
  readonly roles?: readonly W['role'][];
}

/**
 * What one feature contributes to the staff web: its routes (each with its access rule), its links in the header,
 * and the retention jobs for what it stores. `createWebRouter` mounts every module's routes behind the same
 * pipeline and builds the header from every module's nav, in module order; the authorisation matrix test walks
 * every module's routes against its table, so a module cannot add a route nobody has reviewed.
 *
 * A new feature (the escalation console, the directory editor, the insights pages) adds itself like this:
 *
 * ```ts
 * const QUEUE_KEY = …; // a literal key, so the translation check sees it
 * export function consoleModule(deps: ConsoleDeps): StaffModule {
 *   return {
 *     name: 'console',
 *     routes: [{ method: 'get', path: '/staff/console', access: { kind: 'roles', roles: ['caseworker', 'supervisor'] }, handle: … }],
 *     nav: [{ labelKey: QUEUE_KEY, path: '/staff/console', roles: ['caseworker', 'supervisor'] }],
 *     purgers: [],
 *   };
 * }
 * // then list it in staffWebModules (src/staff/createStaffWeb.ts) and give each route a line in
 * // test/staff/http/authorisationMatrix.test.ts: the test walks that list and fails until it has one.
 * ```
 */
export interface WebModule<W extends WebTypes = WebTypes> {
  readonly name: string;
  readonly routes: readonly WebRoute<W>[];
  readonly nav: readonly NavEntry<W>[];
  readonly purgers: readonly Purger[];
  /** Ends what the module keeps open (live connections) when the server begins to shut down. */
  readonly close?: () => void;
}
