import {
  AuthenticationConstants,
  BotFrameworkAuthentication,
  ConnectorFactory,
  type AuthenticateRequestResult,
  type BotFrameworkClient,
  type ClaimsIdentity,
  type ConnectorClient,
  type UserTokenClient,
} from 'botframework-connector';
import type { Activity } from 'botbuilder';
import { withLeanReplies } from './LeanConnectorClient';

const CACHE_LIMIT = 256;

/** One per inbound activity, so declared once here: a class expression per request showed in the profile. */
class CachingConnectorFactory extends ConnectorFactory {
  constructor(
    private readonly connectors: Map<string, Promise<ConnectorClient>>,
    private readonly appId: string,
    private readonly factory: ConnectorFactory,
    private readonly lean: boolean,
  ) {
    super();
  }

  create(serviceUrl: string, audience?: string): Promise<ConnectorClient> {
    return remember(this.connectors, `${this.appId}\u0000${serviceUrl}\u0000${audience ?? ''}`, async () => {
      const client = await this.factory.create(serviceUrl, audience);
      // botbuilder's HTTP client hands a URL's bracketed IPv6 literal (`[::1]`) to DNS as a name, a query
      // that leaves the machine and fails; the lean path connects to the address itself.
      return this.lean || hasIpv6LiteralHost(serviceUrl) ? withLeanReplies(client, serviceUrl) : client;
    });
  }
}

/**
 * botbuilder builds a new ConnectorClient (a whole HTTP pipeline) and a new UserTokenClient for every
 * inbound activity; measured, that was a third of a turn's CPU time (docs/benchmarks.md). Clients for one
 * bot app id and service URL are interchangeable and renew their own tokens, so this keeps them, delegating
 * everything else (authentication included) to botbuilder's own implementation unchanged.
 */
export class CachingBotFrameworkAuthentication extends BotFrameworkAuthentication {
  private readonly connectors = new Map<string, Promise<ConnectorClient>>();
  private readonly userTokenClients = new Map<string, Promise<UserTokenClient>>();

  /** With `leanReplies`, the cached clients send replies through `withLeanReplies` (LeanConnectorClient.ts). */
  constructor(
    private readonly inner: BotFrameworkAuthentication,
    private readonly options: { readonly leanReplies?: boolean } = {},
  ) {
    super();
  }

  override async authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    return this.withCachingFactory(await this.inner.authenticateRequest(activity, authHeader));
  }

  override async authenticateStreamingRequest(authHeader: string, channelIdHeader: string): Promise<AuthenticateRequestResult> {
    return this.withCachingFactory(await this.inner.authenticateStreamingRequest(authHeader, channelIdHeader));
  }

  override createConnectorFactory(claimsIdentity: ClaimsIdentity): ConnectorFactory {
    return this.cachingFactory(claimsIdentity, this.inner.createConnectorFactory(claimsIdentity));
  }

  override createUserTokenClient(claimsIdentity: ClaimsIdentity): Promise<UserTokenClient> {
    return remember(this.userTokenClients, appIdOf(claimsIdentity), () => this.inner.createUserTokenClient(claimsIdentity));
  }

  override createBotFrameworkClient(): BotFrameworkClient {
    return this.inner.createBotFrameworkClient();
  }

  override getOriginatingAudience(): string {
    return this.inner.getOriginatingAudience();
  }

  override authenticateChannelRequest(authHeader: string): Promise<ClaimsIdentity> {
    return this.inner.authenticateChannelRequest(authHeader);
  }

  private withCachingFactory(result: AuthenticateRequestResult): AuthenticateRequestResult {
    if (!result.connectorFactory) return result;
    return { ...result, connectorFactory: this.cachingFactory(result.claimsIdentity, result.connectorFactory) };
  }

  private cachingFactory(claimsIdentity: ClaimsIdentity, factory: ConnectorFactory): ConnectorFactory {
    return new CachingConnectorFactory(this.connectors, appIdOf(claimsIdentity), factory, this.options.leanReplies === true);
  }
}

function hasIpv6LiteralHost(serviceUrl: string): boolean {
  try {
    return new URL(serviceUrl).hostname.startsWith('[');
  } catch {
    return false;
  }
}

function appIdOf(identity: ClaimsIdentity): string {
  return identity.getClaimValue(AuthenticationConstants.AudienceClaim) ?? identity.getClaimValue(AuthenticationConstants.AppIdClaim) ?? '';
}

/** Cached promise per key; a failed creation is forgotten so the next turn tries again. */
function remember<T>(cache: Map<string, Promise<T>>, key: string, create: () => Promise<T>): Promise<T> {
  let value = cache.get(key);
  if (!value) {
    if (cache.size >= CACHE_LIMIT) cache.clear();
    value = create();
    cache.set(key, value);
    value.catch(() => cache.delete(key));
  }
  return value;
}
