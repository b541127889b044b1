import type { RequestContext, Access as WebAccess, WebRoute } from '../../web/webRoute';
import type { WebModule } from '../../web/WebModule';
import type { WebTypes } from '../../web/principal';
import type { ApiToken, Role, StaffAccount, StaffLocale, TokenScope } from '../staffModel';
import type { OpenSession } from '../StaffSessions';

/** The web kit's types, narrowed to staff: handlers see a `StaffAccount`, an `ApiToken`, staff role names. */
export interface StaffWeb extends WebTypes {
  readonly session: OpenSession;
  readonly account: StaffAccount;
  readonly token: ApiToken;
  readonly locale: StaffLocale;
  readonly role: Role;
  readonly scope: TokenScope;
}

export type Access = WebAccess<StaffWeb>;
export type StaffRequestContext = RequestContext<StaffWeb>;
export type StaffRoute = WebRoute<StaffWeb>;
export type StaffModule = WebModule<StaffWeb>;
