using System;
using System.Threading;
using System.Threading.Tasks;
using EntraAppKit.LocalTenant.Http;
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
        private readonly SemaphoreSlim _gate;
        private readonly TenantClock _clock;

        public IdentityProvider(SemaphoreSlim gate, TenantClock clock) { _gate = gate; _clock = clock; }

        public async Task<GraphResponse> HandleAsync(GraphRequest request, IdentityRoute route, string tenant, CancellationToken cancellationToken)
        {
            string traceId = Guid.NewGuid().ToString();
            // Entra echoes the client's client-request-id as the correlation id; MSAL checks it.
            string correlationId = request.Header("client-request-id") ?? Guid.NewGuid().ToString();
            GraphResponse response;
            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                response = route.Handler(new IdentityContext(request, route, tenant, correlationId));
            }
            catch (AadstsException e)
            {
                response = OAuthResponses.Token(e.Status, e.ToJson(_clock.Now, traceId, correlationId));
            }
            finally { _gate.Release(); }
            response.Headers["x-ms-request-id"] = traceId;
            response.Headers["client-request-id"] = correlationId;
            return response;
        }
    }
}
