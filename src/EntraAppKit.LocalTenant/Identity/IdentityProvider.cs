using System;
using System.Threading;
using System.Threading.Tasks;
using EntraAppKit.LocalTenant.Http;
using EntraAppKit.LocalTenant.Persistence;
using EntraAppKit.LocalTenant.Routing;
using EntraAppKit.LocalTenant.Store;

namespace EntraAppKit.LocalTenant.Identity
{
    /// <summary>
    /// The tenant as its own identity provider, so the real Azure.Identity/MSAL stack runs offline: it answers the identity
    /// routes (discovery, JWKS, token v2.0 and v1, device code, managed identity) one at a time under the tenant's lock, with
    /// Entra's error shape (AADSTS…) and correlation headers. Not Graph calls: not authenticated, faulted or logged.
    /// </summary>
    internal sealed class IdentityProvider
    {
        private readonly TenantLock _lock;
        private readonly TenantClock _clock;

        public IdentityProvider(TenantLock tenantLock, TenantClock clock) { _lock = tenantLock; _clock = clock; }

        public async Task<GraphResponse> HandleAsync(GraphRequest request, IdentityRoute route, string tenant, CancellationToken cancellationToken)
        {
            string traceId = Guid.NewGuid().ToString();
            // Entra echoes the client's client-request-id as the correlation id; MSAL checks it.
            string correlationId = request.Header("client-request-id") ?? Guid.NewGuid().ToString();
            GraphResponse response;
            try
            {
                using (await _lock.EnterAsync(cancellationToken).ConfigureAwait(false))
                    response = route.Handler(new IdentityContext(request, route, tenant, correlationId, traceId));
            }
            catch (AadstsException e)
            {
                response = OAuthResponses.Token(e.Status, e.ToJson(_clock.Now, traceId, correlationId));
            }
            catch (GraphException e)
            {
                // The state file could not be read or saved: Entra's answer when its store is unavailable, so MSAL retries.
                var unavailable = new AadstsException(503, "temporarily_unavailable", 90033, "A transient error has occurred. Please try again. " + e.Message);
                response = OAuthResponses.Token(unavailable.Status, unavailable.ToJson(_clock.Now, traceId, correlationId));
            }
            catch (Exception e) when (!(e is OperationCanceledException && cancellationToken.IsCancellationRequested))
            {
                // The last resort, as for Graph: a bug answers this request with OAuth's server_error and never takes the server down.
                var failed = new AadstsException(500, "server_error", 50000, "There was an error issuing a token or an issue with our sign-in service.");
                response = OAuthResponses.Token(failed.Status, failed.ToJson(_clock.Now, traceId, correlationId));
            }
            response.Headers["x-ms-request-id"] = traceId;
            response.Headers["client-request-id"] = correlationId;
            return response;
        }
    }
}
