using System;
using System.Text.Json.Nodes;
using EntraAppKit.LocalTenant.Authorization;
using EntraAppKit.LocalTenant.Http;

namespace EntraAppKit.LocalTenant.Routing
{
    /// <summary>A Graph request as the router hands it to a handler: the caller, the key as addressed and the objects it resolved.</summary>
    internal sealed class RouteContext
    {
        private JsonObject? _body;

        public RouteContext(GraphRequest request, string? keyValue)
        {
            Request = request; KeyValue = keyValue;
        }

        public GraphRequest Request { get; }

        public Caller Caller => Request.Caller ?? throw new InvalidOperationException("The request reached a handler without being authenticated.");

        /// <summary>The service root context URLs are built on.</summary>
        public string ServiceRoot => Request.ServiceRoot;

        /// <summary>The key as addressed (an id, or the value of an alternate key such as uniqueName); null for the collection.</summary>
        public string? KeyValue { get; }

        /// <summary>The item <c>{key}</c> resolved to (an entity, or the tenant's own facts).</summary>
        public object? Item { get; set; }

        /// <summary>The navigation member <c>{id}</c> resolved to.</summary>
        public object? Member { get; set; }

        /// <summary>The JSON body, read once (Graph's 400 when it is missing or malformed).</summary>
        public JsonObject Body => _body ??= GraphPayload.Parse(Request);

        public T ItemAs<T>() where T : class => Item as T ?? throw new InvalidOperationException($"The route resolved no {typeof(T).Name}.");

        public T MemberAs<T>() where T : class => Member as T ?? throw new InvalidOperationException($"The route resolved no {typeof(T).Name}.");
    }
}
