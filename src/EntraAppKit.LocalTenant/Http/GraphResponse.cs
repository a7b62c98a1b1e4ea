using System;
using System.Collections.Generic;

namespace EntraAppKit.LocalTenant.Http
{
    /// <summary>A transport-neutral Graph response.</summary>
    public sealed class GraphResponse
    {
        public GraphResponse(int status, string? body = null, string contentType = "application/json")
        {
            Status = status;
            Body = body;
            if (body != null) Headers["Content-Type"] = contentType == "application/json"
                ? "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8"
                : contentType;
        }

        public int Status { get; }

        public string? Body { get; }

        public IDictionary<string, string> Headers { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

        public override string ToString() => $"{Status} {Body}";
    }
}
