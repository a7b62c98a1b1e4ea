using EntraAppKit.LocalTenant.Http;

namespace EntraAppKit.LocalTenant.Routing
{
    /// <summary>A request to an identity endpoint, as its handler gets it.</summary>
    internal sealed class IdentityContext
    {
        public IdentityContext(GraphRequest request, IdentityRoute route, string tenant, string correlationId, string traceId = "")
        {
            Request = request; Route = route; Tenant = tenant; CorrelationId = correlationId; TraceId = traceId;
        }

        /// <summary>The answer's x-ms-request-id, which Entra also names as the Trace ID of its error texts.</summary>
        public string TraceId { get; }

        public GraphRequest Request { get; }

        public IdentityRoute Route { get; }

        /// <summary>The {tenant} path segment as sent: a tenant id, a domain, "organizations" or "common".</summary>
        public string Tenant { get; }

        /// <summary>The client's client-request-id, echoed as Entra's correlation id (MSAL checks it).</summary>
        public string CorrelationId { get; }

        public bool IsV1 => Route.IsV1;
    }
}
